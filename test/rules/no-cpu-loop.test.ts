/**
 * no-cpu-loop: CPU work that holds the loop, and request data followed from the handler's parameters
 * through variables, conversions and calls into helpers.
 */
import noCpuLoop from '../../rules/no-cpu-loop.js';
import { flaggedInRoute, inRoute, validInRoute, type FlaggedInRoute } from './route-code.js';
import { FILE, runRuleTests, type Invalid } from './rule-tester.js';

const flagged: FlaggedInRoute[] = [
  { name: 'a busy wait on Date.now()', body: 'const end = Date.now() + 50;\n  while (Date.now() < end) {}', at: 'Date.now() < end' },
  {
    name: 'a busy wait on performance.now()',
    body: 'const start = performance.now();\n  while (performance.now() - start < 5);',
    at: 'performance.now() - start',
  },
  {
    name: 'a do-while busy wait on new Date()',
    body: 'const start = new Date().getTime();\n  do { /* spin */ } while (new Date().getTime() - start < 5);',
    at: 'new Date().getTime() - start',
  },
  { name: 'for (;;) with no exit', body: 'let ticks = 0;\n  for (;;) { ticks++; }', at: 'for (;;)' },
  { name: 'while (true) whose only break leaves an inner loop', body: 'while (true) { for (const x of [1]) { if (x) break; } }', at: 'while (true)' },
  {
    name: 'nested loops bounded by request data',
    body: 'const n = Number(req.query.n);\n  let total = 0;\n  for (let i = 0; i < n; i++) { for (let j = 0; j < n; j++) { total += i * j; } }',
    at: 'for (let j',
  },
  {
    name: 'nested iteration methods over request data',
    body: "const rows = String(req.query.rows).split(',');\n  rows.forEach((a) => rows.forEach((b) => a + b));",
    at: 'rows.forEach((b)',
  },
  { name: 'a super-linear regex tested on request data', body: '/^(a+)+$/.test(String(req.query.q));', at: 'test' },
  { name: 'a super-linear regex matched against request data', body: "String(req.query.q ?? '').match(/(\\w+\\s?)*$/);", at: 'match' },
  { name: 'a loop over alternatives that share a word, on request data', body: '/^(a|a)*$/.test(String(req.query.q));', at: 'test' },
  {
    name: 'a super-linear regex held in a const',
    imports: 'const EMAIL = /^([a-zA-Z0-9]+)*@example\\.com$/;',
    body: 'EMAIL.test(String(req.query.email));',
    at: 'test',
  },
  { name: 'new RegExp(request data)', body: 'new RegExp(String(req.query.pattern));', at: 'RegExp' },
  { name: 'JSON.parse of request data', body: 'JSON.parse(req.body);', at: 'parse' },
  { name: 'JSON.stringify of request data', body: 'res.send(JSON.stringify(req.query));', at: 'stringify' },
  {
    name: "JSON.parse of each element of request data, in an array method's callback",
    body: 'const items: string[] = req.body.items;\n  res.json(items.map((item) => JSON.parse(item)));',
    at: 'parse',
  },
  {
    name: 'request data passed into a helper',
    imports: 'function parseAll(list: unknown) { return JSON.parse(String(list)); }',
    body: 'parseAll(req.query.list);',
    at: 'parse(String',
    occurrence: 1,
  },
];

const invalid: Invalid[] = flaggedInRoute(flagged);

runRuleTests('no-cpu-loop', noCpuLoop, {
  valid: [
    validInRoute('a loop with a break', '', 'let i = 0;\n  while (true) { if (++i > 10) break; }'),
    validInRoute('a loop that returns', '', 'for (;;) { return; }'),
    {
      name: 'a loop that awaits',
      code: 'export async function pump(next: () => Promise<boolean>) {\n  while (true) { if (await next()) continue; }\n}\n',
      filename: FILE,
    },
    { name: 'a busy wait while the module loads', code: 'const end = Date.now() + 5;\nwhile (Date.now() < end) {}\nexport {};\n', filename: FILE },
    validInRoute('nested loops over constant bounds', '', 'let t = 0;\n  for (let i = 0; i < 10; i++) { for (let j = 0; j < 10; j++) { t += i * j; } }'),
    validInRoute('a single loop over request data', '', "for (const part of String(req.query.q).split(',')) { void part; }"),
    validInRoute('a linear regex on request data', '', '/^[a-z]+$/.test(String(req.query.q));'),
    validInRoute('a super-linear regex on data that is not from the request', '', "/^(a+)+$/.test(process.env.NAME ?? '');"),
    validInRoute('new RegExp of a literal', '', "new RegExp('^[a-z]+$');"),
    validInRoute('JSON.parse of configuration', '', "JSON.parse(process.env.CONFIG ?? '{}');"),
    {
      name: 'JSON.parse of what a helper returned for request data (a file, not the request)',
      code: inRoute('function load(id: string): string { return id; }', 'JSON.parse(load(String(req.params.id)));'),
      filename: FILE,
    },
  ],
  invalid,
});
