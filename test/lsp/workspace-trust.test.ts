/**
 * Opening a folder must not run its code: the folder's ESLint config (and the plugins it imports) is loaded
 * only when the client says the user consented (`initializationOptions.loadEslintConfig`).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { DocumentDiagnosticReportKind, type Diagnostic, type DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client.js';
import { APP_TS, HELPER_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

function items(report: DocumentDiagnosticReport): Diagnostic[] {
  assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
  return report.items;
}

const PLUGIN = pathToFileURL(fileURLToPath(new URL('../../rules/index.js', import.meta.url))).href;

/** An ESLint config that leaves a marker file behind when it runs, and turns the rule that would report off. */
const MARKING_CONFIG = `import * as fs from 'node:fs';
import blockcheck from '${PLUGIN}';
fs.writeFileSync(new URL('./config-ran.txt', import.meta.url), 'the workspace config ran');
export default [{ files: ['**/*.ts'], plugins: { blockcheck }, rules: { 'blockcheck/no-sync-io': 'off' } }];
`;

const NOT_LOADED = /the workspace's ESLint config is not loaded/;

describe('workspace trust', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function start(initializationOptions: unknown): Promise<{ project: TempProject; client: LspClient }> {
    const project = new TempProject({ ...expressProject(), 'eslint.config.js': MARKING_CONFIG });
    const { client } = await LspClient.start({ rootUri: project.rootUri, initializationOptions });
    cleanups.push(() => {
      client.kill();
      project.remove();
    });
    return { project, client };
  }

  it('without consent runs no workspace code, applies the recommended settings and says so once', async () => {
    const { project, client } = await start(undefined);
    await client.open(project.uri('src/app.ts'), APP_TS);
    await client.open(project.uri('src/helper.ts'), HELPER_TS);
    assert.equal(items(await client.pull(project.uri('src/app.ts'))).length, 1);
    assert.equal(items(await client.pull(project.uri('src/helper.ts'))).length, 1);
    assert.equal(fs.existsSync(project.path('config-ran.txt')), false, 'the workspace ESLint config ran');
    assert.equal(client.logs.filter((line) => NOT_LOADED.test(line)).length, 1, client.logs.join('\n'));
  });

  it('with loadEslintConfig: false runs no workspace code either', async () => {
    const { project, client } = await start({ loadEslintConfig: false });
    await client.open(project.uri('src/app.ts'), APP_TS);
    assert.equal(items(await client.pull(project.uri('src/app.ts'))).length, 1);
    assert.equal(fs.existsSync(project.path('config-ran.txt')), false, 'the workspace ESLint config ran');
  });

  it('loads the config once the client says the user consented', async () => {
    const { project, client } = await start({ loadEslintConfig: true });
    await client.open(project.uri('src/app.ts'), APP_TS);
    assert.deepEqual(items(await client.pull(project.uri('src/app.ts'))), []);
    assert.equal(fs.existsSync(project.path('config-ran.txt')), true);
    assert.equal(client.logs.filter((line) => NOT_LOADED.test(line)).length, 0);
  });
});
