import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver-protocol';
import { messageText } from './diagnostic-message.js';
import { LspClient } from './lsp-client.js';
import { APP_TS, HELPER_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

function items(report: DocumentDiagnosticReport): Diagnostic[] {
  assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
  return report.items;
}

describe('pull diagnostics', () => {
  let project: TempProject;
  let client: LspClient;
  let capabilities: Awaited<ReturnType<typeof LspClient.start>>['initialize']['capabilities'];

  before(async () => {
    project = new TempProject(expressProject());
    const started = await LspClient.start({ rootUri: project.rootUri });
    client = started.client;
    capabilities = started.initialize.capabilities;
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('announces pull diagnostics with inter-file dependencies', () => {
    assert.deepEqual(capabilities.diagnosticProvider, { identifier: 'blockcheck', interFileDependencies: true, workspaceDiagnostics: false });
  });

  it('warms the project at startup with work-done progress', async () => {
    await client.waitFor('the warm-up to end', () => client.progress.some((value) => value.kind === 'end'));
    assert.deepEqual(
      client.progress.map((value) => value.kind),
      ['begin', ...client.progress.filter((value) => value.kind === 'report').map(() => 'report'), 'end'],
    );
    await client.waitFor('the warm-up summary', () => client.logs.some((line) => /^blockcheck: warmed 1 project\(s\), 2 file\(s\) in \d+ ms$/.test(line)));
  });

  it('reports the sync call in a route with the rule id, its documentation and the message', async () => {
    const uri = project.uri('src/app.ts');
    await client.open(uri, APP_TS);
    const [diagnostic, ...rest] = items(await client.pull(uri));
    assert.equal(rest.length, 0, JSON.stringify(rest));
    assert.ok(diagnostic);
    assert.equal(diagnostic.source, 'blockcheck');
    assert.equal(diagnostic.code, 'blockcheck/no-sync-io');
    assert.match(diagnostic.codeDescription?.href ?? '', /no-sync-io/);
    assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
    assert.match(messageText(diagnostic), /readFileSync blocks the event loop in handler GET \/report\/:id \(src\/app\.ts:7\)/);
    // The range is the call on line 8 (0-based 7) of the buffer.
    assert.equal(diagnostic.range.start.line, 7);
    const line = APP_TS.split('\n')[7]!;
    assert.match(line.slice(diagnostic.range.start.character, diagnostic.range.end.character), /^(fs\.)?readFileSync\b/);
  });

  it('sends a status notification with the validation time', async () => {
    const uri = project.uri('src/app.ts');
    const before = client.statuses.length;
    await client.pull(uri);
    const status = client.statuses.slice(before).find((entry) => entry.uri === uri);
    assert.equal(status?.state, 'ok');
    assert.equal(status.findings, 1);
    assert.equal(typeof status.durationMs, 'number');
  });

  it('gives the handler-to-call chain as related information, one clickable entry per step', async () => {
    const uri = project.uri('src/helper.ts');
    await client.open(uri, HELPER_TS);
    const [diagnostic] = items(await client.pull(uri));
    assert.ok(diagnostic, 'the sync read in the helper is reached from GET /template/:name');
    const related = diagnostic.relatedInformation ?? [];
    assert.deepEqual(
      related.map((entry) => [entry.location.uri, entry.location.range.start.line, entry.message]),
      [
        [project.uri('src/app.ts'), 11, 'handler GET /template/:name (express-route)'],
        [project.uri('src/app.ts'), 12, 'calls loadTemplate'],
        [project.uri('src/helper.ts'), 3, 'blocking call fs.readFileSync'],
      ],
    );
    const callStep = related[1]!.location.range;
    const appLine = APP_TS.split('\n')[callStep.start.line]!;
    assert.equal(appLine.slice(callStep.start.character, callStep.end.character), 'loadTemplate');
  });

  it('follows edits to the unsaved buffer and answers "unchanged" when nothing changed', async () => {
    const uri = project.uri('src/app.ts');
    const first = await client.pull(uri);
    assert.equal(first.kind, DocumentDiagnosticReportKind.Full);
    const again = await client.pull(uri, first.resultId);
    assert.deepEqual(again, { kind: DocumentDiagnosticReportKind.Unchanged, resultId: first.resultId });

    await client.replace(
      uri,
      "fs.readFileSync(`reports/${req.params.id}.json`, 'utf8')",
      "await fs.promises.readFile(`reports/${req.params.id}.json`, 'utf8')",
    );
    assert.deepEqual(items(await client.pull(uri, first.resultId)), []);

    await client.replace(uri, 'res.send(report);', 'res.send(report);\n  fs.writeFileSync("audit.log", "x");');
    const [diagnostic] = items(await client.pull(uri));
    assert.match(messageText(diagnostic), /^fs\.writeFileSync blocks the event loop/);
  });

  it('shuts down cleanly on shutdown + exit', async () => {
    assert.equal(await client.shutdown(), 0);
  });
});

describe('superseded requests', () => {
  it('cancels an older pull for the same document when a newer one is queued, and answers the newest', async () => {
    const project = new TempProject(expressProject());
    const { client } = await LspClient.start({ rootUri: project.rootUri });
    try {
      const uri = project.uri('src/app.ts');
      await client.open(uri, APP_TS);
      await client.pull(uri);
      const pulls = Array.from({ length: 5 }, () => client.pull(uri));
      const settled = await Promise.allSettled(pulls);
      const last = settled.at(-1)!;
      assert.equal(last.status, 'fulfilled');
      assert.equal(last.value.kind === DocumentDiagnosticReportKind.Full && last.value.items.length, 1);
      const cancelled = settled.slice(0, -1).filter((result) => result.status === 'rejected');
      assert.ok(cancelled.length > 0, 'older pulls are cancelled');
      for (const result of cancelled) assert.equal((result.reason as { code?: number }).code, LSPErrorCodes.ServerCancelled);
    } finally {
      client.kill();
      project.remove();
    }
  });
});
