import express from 'express';
import { loadTemplate, renderReport } from '../lib/report.js';

export const reports = express.Router();

reports.get('/reports/:id', (req, res) => {
  res.send(renderReport(req.params.id));
});

reports.get('/templates/:name', (req, res) => {
  res.send(wrap(req.params.name));
});

function wrap(name: string): string {
  return `<main>${loadTemplate(name)}</main>`;
}
