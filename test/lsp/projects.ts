/** The small Express projects the end-to-end tests edit: a route, a helper it calls, and a route file of its own. */
import { TSCONFIG } from './temp-project.js';

export const PACKAGE_JSON = JSON.stringify({ name: 'lsp-test-app', private: true, type: 'module' });

/** `GET /report/:id` reads a file directly, and `GET /template/:name` reaches a sync read in helper.ts. */
export const APP_TS = `import express from 'express';
import * as fs from 'node:fs';
import { loadTemplate } from './helper.js';

const app = express();

app.get('/report/:id', async (req, res) => {
  const report = fs.readFileSync(\`reports/\${req.params.id}.json\`, 'utf8');
  res.send(report);
});

app.get('/template/:name', (req, res) => {
  res.send(loadTemplate(req.params.name));
});

app.listen(3000);
`;

export const HELPER_TS = `import * as fs from 'node:fs';

export function loadTemplate(name: string): string {
  return fs.readFileSync(\`templates/\${name}.html\`, 'utf8');
}
`;

export function expressProject(): Record<string, string> {
  return { 'package.json': PACKAGE_JSON, 'tsconfig.json': TSCONFIG, 'src/app.ts': APP_TS, 'src/helper.ts': HELPER_TS };
}
