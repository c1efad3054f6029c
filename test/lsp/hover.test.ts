import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client.js';
import { APP_TS, HELPER_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

/** What `blockcheck audit --probe --format json` writes (schemaVersion 1, runtime/report.ts), for the helper's sync read. */
function auditReport(root: string, verdict: string, p95: number): string {
  return JSON.stringify({
    schemaVersion: 1,
    root,
    findings: [
      {
        id: 'f1',
        rule: 'blockcheck/no-sync-io',
        file: 'src/helper.ts',
        line: 4,
        column: 10,
        call: 'fs.readFileSync',
        handlers: [],
        runtime: {
          verdict,
          thresholdMs: 1,
          executions: 40,
          requestsAffected: 40,
          blockedMsPerRequest: { p50: p95 / 2, p95, max: p95 * 2 },
          shareOfLoopBusy: 0.5,
          cpuWallRatio: 0.1,
          routes: [{ route: 'GET /template/:name', requests: 40 }],
          measuredBy: 'timing-wrapper',
        },
      },
    ],
    recommendation: { workerClass: 'fix-first', reason: 'Handlers make synchronous I/O calls.' },
  });
}

describe('hover', () => {
  let project: TempProject;
  let client: LspClient;

  async function hoverAt(file: string, text: string, search: string): Promise<string | undefined> {
    const offset = text.indexOf(search);
    const before = text.slice(0, offset).split('\n');
    const position = { line: before.length - 1, character: before.at(-1)!.length + 1 };
    const hover: Hover | null = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: project.uri(file) }, position });
    return hover ? (hover.contents as MarkupContent).value : undefined;
  }

  before(async () => {
    project = new TempProject(expressProject());
    ({ client } = await LspClient.start({ rootUri: project.rootUri }));
    await client.open(project.uri('src/app.ts'), APP_TS);
    await client.open(project.uri('src/helper.ts'), HELPER_TS);
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('explains a flagged call: why it blocks, the handler and chain, the alternative, the worker class', async () => {
    const value = await hoverAt('src/helper.ts', HELPER_TS, 'readFileSync');
    assert.ok(value, 'a hover on the flagged call');
    assert.match(value, /\*\*blockcheck\/no-sync-io\*\*/);
    assert.match(value, /\*\*Why it blocks:\*\* `fs\.readFileSync` it waits for disk or network I\/O/);
    assert.match(
      value,
      /handler GET \/template\/:name \(express-route\) \(\[src\/app\.ts:12\]\(file:\/\/.*src\/app\.ts#L12,\d+\)\) → calls loadTemplate .* → blocking call fs\.readFileSync/,
    );
    assert.match(value, /\*\*Alternative:\*\* `await fs\.promises\.readFile\(\.\.\.\)`/);
    assert.match(value, /\*\*Worker class:\*\* fix-first — /);
    assert.doesNotMatch(value, /Measured/);
  });

  it('adds the measured cost from the last probe report', async () => {
    project.write('.blockcheck/last-audit.json', auditReport(project.root, 'confirmed', 38.4));
    const value = await hoverAt('src/helper.ts', HELPER_TS, 'readFileSync');
    assert.match(value ?? '', /\*\*Measured \(`\.blockcheck\/last-audit\.json`\):\*\* blocked 38 ms p95 per request, confirmed at runtime\./);
    assert.match(value ?? '', /\*\*Worker class \(last audit\):\*\* fix-first — Handlers make synchronous I\/O calls\./);
  });

  it('says when the probe did not reproduce it, and ignores a broken report', async () => {
    project.write('.blockcheck/last-audit.json', auditReport(project.root, 'not-reproduced', 0.4));
    assert.match((await hoverAt('src/helper.ts', HELPER_TS, 'readFileSync')) ?? '', /blocked 0\.4 ms p95 per request, not confirmed \(not-reproduced\)/);
    project.write('.blockcheck/last-audit.json', '{ "schemaVersion": 1, "findings": [ {');
    const value = await hoverAt('src/helper.ts', HELPER_TS, 'readFileSync');
    assert.doesNotMatch(value ?? '', /Measured/);
    assert.ok(
      client.logs.some((line) => /ignoring the audit report .*last-audit\.json/.test(line)),
      client.logs.join('\n'),
    );
  });

  it('has nothing to say about code that is not flagged', async () => {
    assert.equal(await hoverAt('src/app.ts', APP_TS, 'listen'), undefined);
  });
});
