import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';
import { after, afterEach, describe, it } from 'node:test';
import {
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver-protocol';
import { messageText } from './diagnostic-message.js';
import { LspClient } from './lsp-client.js';
import { APP_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

const PLUGIN = pathToFileURL(fileURLToPath(new URL('../../rules/index.js', import.meta.url))).href;

function items(report: DocumentDiagnosticReport): Diagnostic[] {
  assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
  return report.items;
}

describe('settings', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  after(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function start(files: Record<string, string>, settings: unknown): Promise<{ project: TempProject; client: LspClient; uri: string }> {
    const project = new TempProject(files);
    // The user consented to running the workspace's ESLint config (see workspace-trust.test.ts).
    const { client } = await LspClient.start({ rootUri: project.rootUri, settings, initializationOptions: { loadEslintConfig: true } });
    cleanups.push(() => {
      client.kill();
      project.remove();
    });
    const uri = project.uri('src/app.ts');
    await client.open(uri, APP_TS);
    return { project, client, uri };
  }

  it('shows the calls handlers reach whose target cannot be known as information with blockcheck.strict', async () => {
    const helper = `const renderers: Record<string, (name: string) => string> = { plain: (name) => name };

export function loadTemplate(name: string): string {
  return renderers[name]!(name);
}
`;
    const { client, project } = await start({ ...expressProject(), 'src/helper.ts': helper }, {});
    const helperUri = project.uri('src/helper.ts');
    await client.open(helperUri, helper);
    assert.deepEqual(items(await client.pull(helperUri)), [], 'nothing without blockcheck.strict');

    client.settings = { strict: true };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const [unresolved, ...others] = items(await client.pull(helperUri));
    assert.deepEqual(others, []);
    assert.equal(unresolved?.severity, DiagnosticSeverity.Information);
    assert.equal(unresolved.code, 'unresolved-call');
    assert.equal(
      unresolved.range.start.line,
      helper.split('\n').findIndex((line) => line.includes('renderers[name]')),
    );
    assert.match(messageText(unresolved), /picked at run time by `name` in handler GET \/template\/:name/);
    assert.deepEqual(
      unresolved.relatedInformation?.map((related) => related.message),
      ['handler GET /template/:name (express-route)'],
    );
  });

  it('takes rule severities from the project ESLint config, and the folder settings over it', async () => {
    const config = `import blockcheck from '${PLUGIN}';\nexport default [{ files: ['**/*.ts'], plugins: { blockcheck }, rules: { 'blockcheck/no-sync-io': 'warn' } }];\n`;
    const { client, uri } = await start({ ...expressProject(), 'eslint.config.js': config }, {});
    assert.deepEqual(
      items(await client.pull(uri)).map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Warning],
      client.logs.join('\n'),
    );

    client.settings = { rules: { 'blockcheck/no-sync-io': 'error' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual(
      items(await client.pull(uri)).map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Error],
    );

    client.settings = { rules: { 'no-sync-io': 'off' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual(items(await client.pull(uri)), []);
  });

  it('turns off entirely with enable: false', async () => {
    const { client, uri } = await start(expressProject(), { enable: false });
    assert.deepEqual(items(await client.pull(uri)), []);
  });

  it('in on-save mode reports the saved text until the next save', async () => {
    const { client, uri } = await start(expressProject(), { run: 'onSave' });
    assert.equal(items(await client.pull(uri)).length, 1);
    await client.replace(uri, 'res.send(report);', 'res.send(report);\n  fs.writeFileSync("b", "c");');
    assert.equal(items(await client.pull(uri)).length, 1, 'unsaved edits are not analyzed');
    await client.save(uri);
    assert.equal(items(await client.pull(uri)).length, 2);
  });

  it('applies extra catalog entries from the settings', async () => {
    const files: Record<string, string> = { ...expressProject(), 'src/legacy.ts': 'export function slowLookup(key: string): string {\n  return key;\n}\n' };
    files['src/app.ts'] = APP_TS.replace(
      "import { loadTemplate } from './helper.js';",
      "import { loadTemplate } from './helper.js';\nimport { slowLookup } from './legacy.js';",
    ).replace('res.send(report);', 'res.send(slowLookup(report));');
    const settings = {
      additionalApis: [{ declaration: { from: 'file', name: 'slowLookup', path: 'src/legacy.ts' }, alternative: 'await lookupAsync(...)' }],
    };
    const project = new TempProject(files);
    // The user consented to running the workspace's ESLint config (see workspace-trust.test.ts).
    const { client } = await LspClient.start({ rootUri: project.rootUri, settings, initializationOptions: { loadEslintConfig: true } });
    cleanups.push(() => {
      client.kill();
      project.remove();
    });
    const uri = project.uri('src/app.ts');
    await client.open(uri, files['src/app.ts']);
    const messages = items(await client.pull(uri)).map((diagnostic) => messageText(diagnostic));
    assert.ok(
      messages.some((message) => /^slowLookup blocks the event loop .*Use await lookupAsync/.test(message)),
      messages.join('\n'),
    );
  });

  it('logs validations slower than the budget, with the file', async () => {
    const { client, uri } = await start(expressProject(), { slowValidationMs: 0 });
    await client.pull(uri);
    await client.waitFor('the slow-validation log', () =>
      client.logs.some((line) => line.startsWith(`blockcheck: validating ${uri} took `) && line.endsWith(' ms (budget 0 ms)')),
    );
  });

  it('reports a bad setting in one line and keeps the rest', async () => {
    const { client, uri } = await start(expressProject(), { run: 'sometimes', rules: { 'no-sync-io': 'warn' } });
    assert.deepEqual(
      items(await client.pull(uri)).map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Warning],
    );
    assert.ok(
      client.logs.some((line) => /^blockcheck\.run must be "onType" or "onSave" \(got "sometimes"\); using the default/.test(line)),
      client.logs.join('\n'),
    );
  });
});
