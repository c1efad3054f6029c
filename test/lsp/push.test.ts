import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspClient } from './lsp-client.js';
import { APP_TS, HELPER_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

describe('push diagnostics for clients that do not pull', () => {
  let project: TempProject;
  let client: LspClient;

  before(async () => {
    project = new TempProject(expressProject());
    ({ client } = await LspClient.start({ rootUri: project.rootUri, pull: false }));
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('publishes diagnostics for an opened file, with the buffer version', async () => {
    const uri = project.uri('src/app.ts');
    await client.open(uri, APP_TS);
    await client.waitFor('diagnostics for app.ts', () => client.pushed.has(uri));
    const pushed = client.pushed.get(uri)!;
    assert.equal(pushed.version, 1);
    assert.deepEqual(
      pushed.diagnostics.map((diagnostic) => diagnostic.code),
      ['blockcheck/no-sync-io'],
    );
  });

  it('publishes again after each edit, and for other files whose chains changed', async () => {
    const app = project.uri('src/app.ts');
    const helper = project.uri('src/helper.ts');
    await client.open(helper, HELPER_TS);
    await client.waitFor('diagnostics for helper.ts', () => client.pushed.get(helper)?.diagnostics.length === 1);

    await client.replace(app, 'res.send(loadTemplate(req.params.name));', 'res.send(req.params.name);');
    await client.waitFor('the helper to be cleared', () => client.pushed.get(helper)?.diagnostics.length === 0);
    await client.waitFor('app.ts at version 2', () => client.pushed.get(app)?.version === 2);
    assert.equal(client.pushed.get(app)!.diagnostics.length, 1);
  });

  it('clears the diagnostics of a closed file', async () => {
    const app = project.uri('src/app.ts');
    await client.close(app);
    await client.waitFor('app.ts to be cleared', () => client.pushed.get(app)?.diagnostics.length === 0);
  });
});
