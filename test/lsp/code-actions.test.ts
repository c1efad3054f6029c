import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  DocumentDiagnosticReportKind,
  ExecuteCommandRequest,
  type CodeAction,
  type Command,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client.js';
import { APP_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

function items(report: DocumentDiagnosticReport): Diagnostic[] {
  return report.kind === DocumentDiagnosticReportKind.Full ? report.items : [];
}

function isAction(item: CodeAction | Command): item is CodeAction {
  return 'kind' in item || 'edit' in item || 'diagnostics' in item;
}

describe('code actions', () => {
  let project: TempProject;
  let client: LspClient;
  const uri = () => project.uri('src/app.ts');

  async function actionsAtFinding(): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
    const [diagnostic] = items(await client.pull(uri()));
    assert.ok(diagnostic, 'expected a finding');
    const result = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uri() },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    return { diagnostic, actions: (result ?? []).filter(isAction) };
  }

  before(async () => {
    project = new TempProject(expressProject());
    ({ client } = await LspClient.start({ rootUri: project.rootUri }));
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('applies the preferred async rewrite through workspace/applyEdit, leaving code the rule no longer flags', async () => {
    await client.open(uri(), APP_TS);
    const { actions } = await actionsAtFinding();
    const fix = actions.find((action) => action.isPreferred);
    assert.ok(fix?.command, `a preferred quick fix, got ${actions.map((action) => action.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    const version = client.documents.get(uri())!.version;
    const result: unknown = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: fix.command.command,
      arguments: fix.command.arguments ?? [],
    });
    assert.deepEqual(result, { applied: true });
    assert.ok(client.documents.get(uri())!.version > version, 'the server sent workspace/applyEdit and the buffer changed');
    assert.match(client.text(uri()), /await (fs\.promises\.readFile|readFile)\(`reports\/\$\{req\.params\.id\}\.json`, 'utf8'\)/);
    assert.deepEqual(items(await client.pull(uri())), []);
  });

  it('refuses a fix offered for an older version of the buffer', async () => {
    await client.replace(uri(), 'res.send(report);', 'res.send(report);\n  const extra = fs.readFileSync("extra.txt", "utf8");\n  res.write(extra);');
    const { actions } = await actionsAtFinding();
    const fix = actions.find((action) => action.isPreferred);
    assert.ok(fix?.command);
    await client.replace(uri(), 'res.write(extra);', 'res.write(extra + "!");');
    await assert.rejects(
      client.connection.sendRequest(ExecuteCommandRequest.type, { command: fix.command.command, arguments: fix.command.arguments ?? [] }),
      /document changed/,
    );
  });

  it('disables the rule for the line with a comment ESLint and the server both honour', async () => {
    const { actions } = await actionsAtFinding();
    const disable = actions.find((action) => action.title === 'Disable blockcheck/no-sync-io for this line');
    const change = disable?.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
    assert.ok(change, 'an edit for the document');
    await client.edit(uri(), change.edits as never);
    assert.match(client.text(uri()), /\n {2}\/\/ eslint-disable-next-line blockcheck\/no-sync-io\n {2}const extra = fs\.readFileSync/);
    assert.deepEqual(items(await client.pull(uri())), []);
  });

  it('disables the rule for the file', async () => {
    await client.replace(uri(), 'res.write(extra + "!");', 'res.write(extra + "!");\n  fs.writeFileSync("log.txt", "x");');
    const { actions } = await actionsAtFinding();
    const disable = actions.find((action) => action.title === 'Disable blockcheck/no-sync-io for this file');
    const change = disable?.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
    assert.ok(change);
    await client.edit(uri(), change.edits as never);
    assert.match(client.text(uri()), /^\/\* eslint-disable blockcheck\/no-sync-io \*\/\nimport express/);
    assert.deepEqual(items(await client.pull(uri())), []);
  });

  it('opens the rule documentation with window/showDocument', async () => {
    await client.edit(uri(), [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, newText: '' }]);
    const { diagnostic, actions } = await actionsAtFinding();
    const docs = actions.find((action) => action.title === 'Show documentation for blockcheck/no-sync-io');
    assert.ok(docs?.command);
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: docs.command.command, arguments: docs.command.arguments ?? [] });
    assert.deepEqual(client.shownDocuments, [{ uri: diagnostic.codeDescription!.href, external: true }]);
  });
});
