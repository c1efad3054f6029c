import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { DocumentDiagnosticReportKind, ErrorCodes, type Diagnostic, type DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { messageText } from './diagnostic-message.js';
import { LspClient, SERVER } from './lsp-client.js';
import { APP_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

function items(report: DocumentDiagnosticReport): Diagnostic[] {
  assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
  return report.items;
}

/** A plain node:http server in a folder no tsconfig includes. */
const LOOSE_JS = `import http from 'node:http';
import fs from 'node:fs';

http.createServer((req, res) => {
  res.end(fs.readFileSync('index.html'));
}).listen(8080);
`;

/** An ESLint config that tries to end the process that loads it. */
const EXITING_CONFIG = `process.exit(3);\nexport default [];\n`;

describe('robustness', () => {
  let project: TempProject;
  let client: LspClient;
  const app = () => project.uri('src/app.ts');

  before(async () => {
    project = new TempProject({ ...expressProject(), 'other/server.js': LOOSE_JS, 'eslint.config.js': EXITING_CONFIG });
    ({ client } = await LspClient.start({ rootUri: project.rootUri, initializationOptions: { loadEslintConfig: true } }));
    await client.open(app(), APP_TS);
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('blocks process.exit from the ESLint config, reports it, and falls back to the recommended rules', async () => {
    assert.equal(items(await client.pull(app())).length, 1);
    assert.ok(
      client.logs.some((line) => /process\.exit\(3\) was called while .*the call was blocked/.test(line)),
      `log:\n${client.logs.join('\n')}`,
    );
    assert.equal(client.process.exitCode, null);
  });

  it('survives a malformed JSON-RPC message and keeps answering', async () => {
    const body = '{"jsonrpc": "2.0", "id": 99, "method": ';
    client.process.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    assert.equal(items(await client.pull(app())).length, 1);
  });

  it('answers an unknown request with MethodNotFound and ignores an unknown notification', async () => {
    await client.connection.sendNotification('blockcheck/noSuchNotification', {});
    await assert.rejects(client.connection.sendRequest('blockcheck/noSuchMethod', {}), (error: { code?: number }) => error.code === ErrorCodes.MethodNotFound);
    assert.equal(items(await client.pull(app())).length, 1);
  });

  it('analyses a file outside every tsconfig in an inferred project', async () => {
    const uri = project.uri('other/server.js');
    await client.open(uri, LOOSE_JS, 'javascript');
    const [diagnostic] = items(await client.pull(uri));
    assert.match(messageText(diagnostic), /readFileSync blocks the event loop in handler/);
  });

  it('survives a file that does not parse, and reports again once it does', async () => {
    const uri = project.uri('src/broken.ts');
    const broken = "import express from 'express';\nimport fs from 'node:fs';\nconst app = express();\napp.get('/x', (req, res) => { res.send(fs.readFileSync(";
    await client.open(uri, broken);
    await client.pull(uri);
    const end = { line: 3, character: broken.split('\n')[3]!.length };
    await client.edit(uri, [{ range: { start: end, end }, newText: "'x')); });\n" }]);
    assert.equal(items(await client.pull(uri)).length, 1);
    await client.close(uri);
  });

  it('analyses a 20,000-line file', async () => {
    const uri = project.uri('src/huge.ts');
    const routes = Array.from({ length: 4_000 }, (_, index) => `app.get('/r${index}', (req, res) => {\n  const a = ${index};\n  res.send(String(a));\n});\n`);
    const huge = `import express from 'express';\nimport fs from 'node:fs';\nconst app = express();\n${routes.join('')}app.get('/last', (req, res) => { res.send(fs.readFileSync('x')); });\n`;
    assert.ok(huge.split('\n').length > 16_000);
    await client.open(uri, huge);
    const diagnostics = items(await client.pull(uri));
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.range.start.line),
      [huge.split('\n').length - 2],
    );
    await client.close(uri);
  });

  it('keeps up with 1,000 rapid edits and reports on the final text', async () => {
    for (let index = 0; index < 1_000; index++) {
      await client.edit(app(), [{ range: { start: { line: 16, character: 0 }, end: { line: 16, character: 0 } }, newText: index % 2 ? 'x' : '' }]);
    }
    await client.replace(app(), 'res.send(report);', 'res.send(report);\n  fs.writeFileSync("b", "c");');
    const calls = items(await client.pull(app())).map((diagnostic) => messageText(diagnostic).split(' ')[0]);
    assert.deepEqual(calls, ['fs.readFileSync', 'fs.writeFileSync']);
    assert.equal(client.process.exitCode, null);
  });

  it('exits with code 1 on exit without shutdown', async () => {
    const exited = new Promise<number | null>((resolve) => client.process.once('exit', resolve));
    await client.connection.sendNotification('exit');
    assert.equal(await exited, 1);
  });
});

describe('blockcheck-lsp command line', () => {
  it('refuses to start without a transport, in one line, with exit code 2', () => {
    const result = spawnSync(process.execPath, [SERVER], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'blockcheck-lsp: no transport given. Usage: blockcheck-lsp --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n');
  });
});
