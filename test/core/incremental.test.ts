/**
 * Reuse across programs: an editor's next program keeps unchanged SourceFile objects, and the analysis
 * reuses their per-file results, yet every answer must equal a fresh analysis of the new program,
 * including chains through a helper file that changed.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type * as ts from 'typescript';
import { analyzeProgram, type Finding } from '../../core/index.js';
import { VIRTUAL_ROOT, virtualPath, virtualProgram } from './virtual-program.js';

const ROUTES = `import express from 'express';
import { render } from './render.js';
export const app = express();
app.get('/report/:id', (req, res) => { res.send(render(req.params.id)); });
`;
const BLOCKING_HELPER = `import fs from 'node:fs';
export function render(id: string): string { return fs.readFileSync('/reports/' + id, 'utf8'); }
`;
const ASYNC_HELPER = `import fs from 'node:fs';
export function render(id: string): Promise<string> { return fs.promises.readFile('/reports/' + id, 'utf8'); }
`;

function describeFindings(findings: readonly Finding[]): string[] {
  return findings
    .map(
      (finding) =>
        `${path.relative(VIRTUAL_ROOT, finding.fileName)}:${finding.line}:${finding.column} ${finding.rule} ${finding.reaches
          .map((reach) => `${reach.handler.label}[${reach.chain.map((step) => `${step.name}@${step.line}`).join('>')}]`)
          .join(',')}`,
    )
    .sort();
}

/** The editor's next program, checked to keep `unchanged`'s SourceFile object. */
function nextProgram(files: Record<string, string>, previous: ts.Program, unchanged: string): ts.Program {
  const next = virtualProgram(files, previous);
  assert.equal(next.getSourceFile(virtualPath(unchanged)), previous.getSourceFile(virtualPath(unchanged)), `${unchanged} is reused`);
  return next;
}

function freshFindings(files: Record<string, string>): string[] {
  return describeFindings(analyzeProgram(virtualProgram(files)).allFindings());
}

describe('incremental analysis across programs', () => {
  it('follows a helper that changes, and matches a fresh analysis at every step', () => {
    let files: Record<string, string> = { 'routes.ts': ROUTES, 'render.ts': BLOCKING_HELPER };
    let program: ts.Program = virtualProgram(files);
    const first = describeFindings(analyzeProgram(program).allFindings());
    assert.equal(first.length, 1);
    assert.match(first[0]!, /^render\.ts:2:\d+ no-sync-io GET \/report\/:id\[render@4>fs\.readFileSync@2\]$/);

    files = { ...files, 'render.ts': ASYNC_HELPER };
    program = nextProgram(files, program, 'routes.ts');
    assert.deepEqual(describeFindings(analyzeProgram(program).allFindings()), []);

    files = { ...files, 'render.ts': BLOCKING_HELPER };
    program = virtualProgram(files, program);
    assert.deepEqual(describeFindings(analyzeProgram(program).allFindings()), first);
  });

  it("picks up a new handler added to an unchanged helper's caller", () => {
    let files: Record<string, string> = { 'routes.ts': ROUTES, 'render.ts': BLOCKING_HELPER };
    let program = virtualProgram(files);
    analyzeProgram(program).allFindings();
    files = { ...files, 'routes.ts': `${ROUTES}app.post('/report/:id/refresh', (req, res) => { res.send(render(req.params.id)); });\n` };
    program = virtualProgram(files, program);
    const after = describeFindings(analyzeProgram(program).allFindings());
    assert.deepEqual(after, freshFindings(files));
    assert.match(after[0]!, /GET \/report\/:id\[.*\],POST \/report\/:id\/refresh\[/);
  });

  // Each of these callers has a path no other test uses, so that it starts as a new SourceFile object.
  it('follows an import of a missing file, in an unchanged caller, once the file is added', () => {
    let files: Record<string, string> = { 'added/routes.ts': ROUTES };
    let program = virtualProgram(files);
    assert.deepEqual(describeFindings(analyzeProgram(program).allFindings()), [], './render.js does not exist yet');

    files = { ...files, 'added/render.ts': BLOCKING_HELPER };
    program = nextProgram(files, program, 'added/routes.ts');
    const after = describeFindings(analyzeProgram(program).allFindings());
    assert.deepEqual(after, freshFindings(files));
    assert.match(after[0] ?? '', /^added\/render\.ts:2:\d+ no-sync-io GET \/report\/:id\[render@4>fs\.readFileSync@2\]$/);
  });

  it('follows a helper deleted and created again, through an unchanged caller', () => {
    const withHelper = { 'recreated/routes.ts': ROUTES, 'recreated/render.ts': BLOCKING_HELPER };
    let program = virtualProgram(withHelper);
    const first = describeFindings(analyzeProgram(program).allFindings());
    assert.equal(first.length, 1);

    program = virtualProgram({ 'recreated/routes.ts': ROUTES }, program);
    assert.deepEqual(describeFindings(analyzeProgram(program).allFindings()), []);
    program = virtualProgram(withHelper, program);
    assert.deepEqual(describeFindings(analyzeProgram(program).allFindings()), first);
  });

  it('follows an unchanged import to the file it resolves to now', () => {
    // './render.js' names render.js until render.ts appears beside it: TypeScript then resolves it to the .ts file.
    const asyncJs = `import fs from 'node:fs';\nexport function render(id) { return fs.promises.readFile('/reports/' + id, 'utf8'); }\n`;
    let files: Record<string, string> = { 'retargeted/routes.ts': ROUTES, 'retargeted/render.js': asyncJs };
    let program = virtualProgram(files);
    assert.deepEqual(describeFindings(analyzeProgram(program).allFindings()), []);

    files = { ...files, 'retargeted/render.ts': BLOCKING_HELPER };
    program = virtualProgram(files, program);
    const after = describeFindings(analyzeProgram(program).allFindings());
    assert.deepEqual(after, freshFindings(files));
    assert.match(after[0] ?? '', /^retargeted\/render\.ts:2:\d+ no-sync-io GET/);
  });

  it('follows a helper into and out of script-only code as the files importing it change', () => {
    const seed = `import { render } from '../render.js';\nexport async function seed(): Promise<void> { render('all'); }\n`;
    const quietRoutes = `import express from 'express';\nexport const app = express();\napp.get('/health', (req, res) => { res.send('ok'); });\n`;
    let files: Record<string, string> = { 'routes.ts': quietRoutes, 'render.ts': BLOCKING_HELPER, 'scripts/seed.ts': seed };
    let program = virtualProgram(files);
    assert.deepEqual(describeFindings(analyzeProgram(program).allFindings()), [], 'a helper only a script imports runs in the script');

    files = { ...files, 'routes.ts': ROUTES };
    program = virtualProgram(files, program);
    const served = describeFindings(analyzeProgram(program).allFindings());
    assert.deepEqual(served, freshFindings(files));
    assert.match(served[0]!, /^render\.ts:2:\d+ no-sync-io GET \/report\/:id/);

    files = { ...files, 'routes.ts': quietRoutes };
    program = virtualProgram(files, program);
    assert.deepEqual(describeFindings(analyzeProgram(program).allFindings()), []);
  });

  it('resolves a method call it once skipped when a file the caller never imports gives the method a body', () => {
    // `save` has no body anywhere at first, so `getStore().save()` is not worth resolving. Then store.ts
    // implements it; routes.ts and get-store.ts, all the handler's summary depends on, stay the same objects.
    const routes = `import express from 'express';
import fs from 'node:fs';
import { getStore } from './get-store.js';
export const app = express();
app.get('/health', async (req, res) => { res.send(await fs.promises.readFile('/health', 'utf8')); });
app.post('/save', (req, res) => { getStore().save(); res.end(); });
`;
    const getStore = `import { store } from './store.js';\nexport function getStore() { return store; }\n`;
    const declaredStore = `export declare const store: { save(): void };\n`;
    const blockingStore = `import fs from 'node:fs';\nexport const store = { save(): void { fs.writeFileSync('/data', 'x'); } };\n`;
    let files: Record<string, string> = { 'routes.ts': routes, 'get-store.ts': getStore, 'store.ts': declaredStore };
    let program = virtualProgram(files);
    assert.deepEqual(describeFindings(analyzeProgram(program).allFindings()), []);

    files = { ...files, 'store.ts': blockingStore };
    program = nextProgram(files, program, 'get-store.ts');
    const after = describeFindings(analyzeProgram(program).allFindings());
    assert.deepEqual(after, freshFindings(files));
    assert.match(after[0]!, /^store\.ts:2:\d+ no-sync-io POST \/save\[getStore\(\.\.\.\)\.save@6>fs\.writeFileSync@2\]$/);
  });
});
