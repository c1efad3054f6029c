/** Catalog and CPU cases framed as the body of a sync Express route, the common frame of the rule tests. */
import { FILE, reportAt, type Invalid } from './rule-tester.js';

/** Code of an Express app whose one sync route runs `body`. */
export function inRoute(imports: string, body: string): string {
  return `${imports}
import express from 'express';
const app = express();
app.get('/x', (req, res) => {
  ${body}
  res.end();
});
`;
}

export interface FlaggedInRoute {
  name: string;
  imports?: string;
  body: string;
  /** The callee name (or pattern text) the report starts at. */
  at: string;
  /** Which occurrence of `at` in the whole code; by default the first one inside the route body. */
  occurrence?: number;
  options?: Record<string, unknown>;
}

/** One invalid case per flagged call, each expecting exactly one report at `at`. */
export function flaggedInRoute(cases: readonly FlaggedInRoute[]): Invalid[] {
  return cases.map(({ name, imports = '', body, at, occurrence, options }) => {
    const code = inRoute(imports, body);
    const inBody = code.slice(0, code.indexOf(body)).split(at).length;
    return { name, code, filename: FILE, errors: [reportAt(code, { at, occurrence: occurrence ?? inBody })], ...(options ? { options: [options] } : {}) };
  });
}

/** A valid case: the route body runs `body` and nothing is reported. */
export function validInRoute(
  name: string,
  imports: string,
  body: string,
  options?: Record<string, unknown>,
): { name: string; code: string; filename: string; options?: [Record<string, unknown>] } {
  return { name, code: inRoute(imports, body), filename: FILE, ...(options ? { options: [options] } : {}) };
}
