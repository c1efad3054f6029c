import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspClient } from './lsp-client.js';
import { PACKAGE_JSON } from './projects.js';
import { TempProject } from './temp-project.js';

const SERVER_TS = `import http from 'node:http';
import fs from 'node:fs';

http.createServer((req, res) => res.end(fs.readFileSync('index.html'))).listen(8080);
`;

describe('a project whose Node types do not resolve', () => {
  let project: TempProject;
  let client: LspClient;

  before(async () => {
    // `types: []` leaves @types/node out although it is installed.
    const tsconfig = JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [] }, include: ['src'] });
    project = new TempProject({ 'package.json': PACKAGE_JSON, 'tsconfig.json': tsconfig, 'src/server.ts': SERVER_TS });
    ({ client } = await LspClient.start({ rootUri: project.rootUri }));
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('shows the warning the CLI prints, once', async () => {
    await client.open(project.uri('src/server.ts'), SERVER_TS);
    await client.pull(project.uri('src/server.ts'));
    await client.replace(project.uri('src/server.ts'), "'index.html'", "'other.html'");
    await client.pull(project.uri('src/server.ts'));
    assert.deepEqual(client.shownMessages, [
      "blockcheck: Node's types do not resolve (src/server.ts imports 'node:http'), so calls into Node are matched by name only and some are " +
        'missed: install @types/node (npm install --save-dev @types/node) and add "node" to compilerOptions.types',
    ]);
  });
});
