import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  WatchKind,
  type DidChangeWatchedFilesRegistrationOptions,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client.js';
import { APP_TS, HELPER_TS, PACKAGE_JSON, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

function codes(report: DocumentDiagnosticReport): string[] {
  assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
  return report.items.map((item) => `${item.code}@${item.range.start.line}`);
}

/** A second route file that does not call the helper yet. */
const ROUTES_TS = `import express from 'express';
import { loadTemplate } from './helper.js';

export const router = express.Router();

router.get('/page/:name', (req, res) => {
  res.send(req.params.name);
});

export { loadTemplate };
`;

describe('cross-file freshness', () => {
  let project: TempProject;
  let client: LspClient;

  before(async () => {
    project = new TempProject({ ...expressProject(), 'src/routes.ts': ROUTES_TS });
    ({ client } = await LspClient.start({ rootUri: project.rootUri }));
    await client.open(project.uri('src/app.ts'), APP_TS);
    await client.open(project.uri('src/helper.ts'), HELPER_TS);
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('refreshes the helper when an edit in another buffer removes the only chain to its sync call', async () => {
    const helper = project.uri('src/helper.ts');
    assert.deepEqual(codes(await client.pull(helper)), ['blockcheck/no-sync-io@3']);
    await client.pull(project.uri('src/app.ts'));
    const refreshes = client.refreshes;

    await client.replace(project.uri('src/app.ts'), 'res.send(loadTemplate(req.params.name));', 'res.send(req.params.name);');
    await client.waitFor('workspace/diagnostic/refresh', () => client.refreshes > refreshes);
    assert.deepEqual(codes(await client.pull(helper)), []);
  });

  it('refreshes the helper when a file changed on disk starts calling it from a route', async () => {
    const helper = project.uri('src/helper.ts');
    const refreshes = client.refreshes;
    project.write('src/routes.ts', ROUTES_TS.replace('res.send(req.params.name);', 'res.send(loadTemplate(req.params.name));'));
    await client.fileChanged(project.uri('src/routes.ts'), FileChangeType.Changed);
    await client.waitFor('workspace/diagnostic/refresh', () => client.refreshes > refreshes);
    const report = await client.pull(helper);
    assert.deepEqual(codes(report), ['blockcheck/no-sync-io@3']);
    const related = report.kind === DocumentDiagnosticReportKind.Full ? (report.items[0]!.relatedInformation ?? []) : [];
    assert.equal(related[0]?.location.uri, project.uri('src/routes.ts'));
    assert.match(related[0].message, /GET \/page\/:name/);
  });

  it('picks up a new file created on disk', async () => {
    const helper = project.uri('src/helper.ts');
    let refreshes = client.refreshes;
    project.write('src/routes.ts', ROUTES_TS);
    await client.fileChanged(project.uri('src/routes.ts'), FileChangeType.Changed);
    await client.waitFor('workspace/diagnostic/refresh', () => client.refreshes > refreshes);
    assert.deepEqual(codes(await client.pull(helper)), []);

    refreshes = client.refreshes;
    project.write('src/jobs.ts', `import { loadTemplate } from './helper.js';\nsetInterval(() => loadTemplate('digest'), 60_000);\n`);
    await client.fileChanged(project.uri('src/jobs.ts'), FileChangeType.Created);
    await client.waitFor('workspace/diagnostic/refresh', () => client.refreshes > refreshes);
    const report = await client.pull(helper);
    assert.deepEqual(codes(report), ['blockcheck/no-sync-io@3']);
    const related = report.kind === DocumentDiagnosticReportKind.Full ? (report.items[0]!.relatedInformation ?? []) : [];
    assert.equal(related[0]?.location.uri, project.uri('src/jobs.ts'));
  });

  /** A route file on disk (so that the tsconfig's project, not an inferred one, owns it), opened and pulled. */
  async function openRoute(name: string, importFrom: string): Promise<string> {
    const uri = project.uri(`src/${name}`);
    const text = `import express from 'express';
import { readStored } from '${importFrom}';

export const storedRouter = express.Router();

storedRouter.get('/stored/:id', (req, res) => {
  res.send(readStored(\`stored/\${req.params.id}.json\`, 'utf8'));
});
`;
    project.write(`src/${name}`, text);
    await client.fileChanged(uri, FileChangeType.Created);
    await client.open(uri, text);
    // While the import names nothing, the call is to nothing known.
    assert.deepEqual(codes(await client.pull(uri)), []);
    return uri;
  }

  /** Changes the disk, reports `name` to the server as changed in that way, and waits for its diagnostics refresh. */
  async function reportDiskChange(name: string, type: FileChangeType, change: () => void): Promise<void> {
    const refreshes = client.refreshes;
    change();
    await client.fileChanged(project.uri(name), type);
    await client.waitFor('workspace/diagnostic/refresh', () => client.refreshes > refreshes);
  }

  const STORE_TS = `import * as fs from 'node:fs';\n\nexport const readStored = fs.readFileSync;\n`;

  it("resolves an import that named a missing file once that file is created, outside the tsconfig's include", async () => {
    const route = await openRoute('stored.ts', '../lib/store.js');
    await reportDiskChange('lib/store.ts', FileChangeType.Created, () => project.write('lib/store.ts', STORE_TS));
    assert.deepEqual(codes(await client.pull(route)), ['blockcheck/no-sync-io@6']);
  });

  it('resolves an import through package.json "imports" once package.json gains the entry', async () => {
    project.write('src/store.ts', STORE_TS);
    await client.fileChanged(project.uri('src/store.ts'), FileChangeType.Created);
    const route = await openRoute('mapped.ts', '#store');
    await reportDiskChange('package.json', FileChangeType.Changed, () =>
      project.write('package.json', JSON.stringify({ ...JSON.parse(PACKAGE_JSON), imports: { '#store': './src/store.js' } })),
    );
    assert.deepEqual(codes(await client.pull(route)), ['blockcheck/no-sync-io@6']);
  });

  it('follows a folder moved in and then deleted on disk when the editor reports the folder alone', async () => {
    // VS Code reports a folder moved in or deleted only to a watcher whose pattern matches the folder itself.
    await client.waitFor('the watched files registration', () => client.registrations.some((r) => r.method === DidChangeWatchedFilesNotification.method));
    const watchers = client.registrations.flatMap((r) => (r.registerOptions as DidChangeWatchedFilesRegistrationOptions | undefined)?.watchers ?? []);
    assert.ok(watchers.some((watcher) => watcher.globPattern === '**/*' && watcher.kind === (WatchKind.Create | WatchKind.Delete)));

    const route = await openRoute('legacy.ts', './legacy/store.js');
    // Folders are staged outside src (the tsconfig's include) and moved in: one event for the folder, none
    // for the files in it.
    const moveIn = (storeText: string) => (): void => {
      project.write('staging/legacy/store.ts', storeText);
      fs.renameSync(project.path('staging/legacy'), project.path('src/legacy'));
    };
    await reportDiskChange('src/legacy', FileChangeType.Created, moveIn(STORE_TS));
    assert.deepEqual(codes(await client.pull(route)), ['blockcheck/no-sync-io@6']);

    // VS Code folds the deletion of a folder's files into one event for the folder.
    await reportDiskChange('src/legacy', FileChangeType.Deleted, () => fs.rmSync(project.path('src/legacy'), { recursive: true }));
    assert.deepEqual(codes(await client.pull(route)), []);

    // Back at the same path with other text: what was read from the deleted folder was forgotten. (The
    // findings stay as they are, so no refresh comes; the server handles the event before the pull.)
    moveIn(`export function readStored(file: string, encoding: string): string {\n  return file + encoding;\n}\n`)();
    await client.fileChanged(project.uri('src/legacy'), FileChangeType.Created);
    assert.deepEqual(codes(await client.pull(route)), []);
  });
});
