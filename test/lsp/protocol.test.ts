/** The server's side of the LSP base protocol: the initialize handshake and broken message framing. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  ErrorCodes,
  HoverRequest,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client.js';
import { APP_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

function findingCount(report: DocumentDiagnosticReport): number {
  assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
  return report.items.length;
}

describe('requests before initialize', () => {
  let project: TempProject;
  let client: LspClient;

  before(() => {
    project = new TempProject(expressProject());
    client = LspClient.launch({ rootUri: project.rootUri });
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('answers them with ServerNotInitialized (-32002) and serves normally once initialized', async () => {
    const textDocument = { uri: project.uri('src/app.ts') };
    const notInitialized = (error: { code?: number }) => error.code === ErrorCodes.ServerNotInitialized;
    await assert.rejects(client.connection.sendRequest(HoverRequest.type, { textDocument, position: { line: 7, character: 20 } }), notInitialized);
    await assert.rejects(client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument }), notInitialized);
    await assert.rejects(client.connection.sendRequest('blockcheck/noSuchMethod', {}), notInitialized);
  });
});

describe('malformed framing', () => {
  let project: TempProject;
  let client: LspClient;
  const app = () => project.uri('src/app.ts');

  before(async () => {
    project = new TempProject(expressProject());
    ({ client } = await LspClient.start({ rootUri: project.rootUri }));
    await client.open(app(), APP_TS);
    assert.equal(findingCount(await client.pull(app())), 1);
  });
  after(() => {
    client.kill();
    project.remove();
  });

  // Without recovery the server waits for the rest of the announced body, swallowing every later message:
  // alive, but it never answers again. The test's timeout is only there to end a server that stays mute.
  it('recovers from a message shorter than its Content-Length and answers the next request', { timeout: 30_000 }, async () => {
    client.process.stdin.write('Content-Length: 100000\r\n\r\n{"jsonrpc": "2.0", "method": "initialized", ');
    assert.equal(findingCount(await client.pull(app())), 1);
    assert.match(client.stderr, /blockcheck-lsp: dropped \d+ bytes of malformed input \(a message shorter than its Content-Length\)/);
    assert.equal(client.process.exitCode, null);
  });

  it('recovers from a header without Content-Length in the same write as the next message', { timeout: 30_000 }, async () => {
    client.process.stdin.write('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n');
    assert.equal(findingCount(await client.pull(app())), 1);
    assert.match(client.stderr, /dropped \d+ bytes of malformed input \(a header without a valid Content-Length\)/);
  });
});
