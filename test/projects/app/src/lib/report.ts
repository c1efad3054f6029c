import fs from 'node:fs';

export function renderReport(id: string): string {
  return fs.readFileSync(`/reports/${id}.html`, 'utf8');
}

export async function renderReportAsync(id: string): Promise<string> {
  return fs.promises.readFile(`/reports/${id}.html`, 'utf8');
}

export function loadTemplate(name: string): string {
  return fs.readFileSync(`/templates/${name}`, 'utf8');
}

export function formatRows(rows: string[], columns: string[]): string {
  let out = '';
  for (const row of rows) {
    for (const column of columns) out += `${row}:${column}`;
  }
  return out;
}
