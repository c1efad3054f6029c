import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { toTsPath } from '../../engine/paths.js';
import { SourceStore } from '../../lsp/server/sources.js';

describe('source store: folders created or deleted', () => {
  const root = toTsPath(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'blockcheck-sources-'))));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function read(store: SourceStore, name: string, text: string): string {
    const fileName = `${root}/${name}`;
    fs.mkdirSync(path.dirname(fileName), { recursive: true });
    fs.writeFileSync(fileName, text);
    assert.equal(store.snapshot(fileName)?.getText(0, text.length), text);
    return fileName;
  }

  it('forgets what was read from under a folder, even one named like a source file, and nothing else', () => {
    const store = new SourceStore();
    const inside = read(store, 'vendor/chart.js/src/index.js', 'export const version = 1;');
    const outside = read(store, 'src/app.ts', 'export {};');
    const [insideVersion, outsideVersion] = [store.version(inside), store.version(outside)];

    fs.writeFileSync(inside, 'export const version = 2;');
    assert.equal(store.forgetUnder(new Set([`${root}/vendor/chart.js`])), true);
    assert.notEqual(store.version(inside), insideVersion);
    assert.equal(store.snapshot(inside)?.getText(0, 25), 'export const version = 2;');
    assert.equal(store.version(outside), outsideVersion);
  });

  it('tells paths that hold no file read at once: logs, other files, the files read themselves', () => {
    const store = new SourceStore();
    const fileName = read(store, 'src/routes/users.ts', 'export {};');
    const version = store.version(fileName);
    assert.equal(store.forgetUnder(new Set([`${root}/logs`, `${root}/src/routes/notes.txt`, fileName])), false);
    assert.equal(store.version(fileName), version);
  });
});

describe('source store: large files', () => {
  it("sees the user's sources over the limit as empty, never declaration files or installed packages", () => {
    const store = new SourceStore(10);
    const text = 'export const long = 1;';
    const names = ['/w/src/generated.ts', '/w/src/types.d.ts', '/w/node_modules/lib/index.js', '/w/lib.dom.d.ts'];
    for (const name of names) store.setBuffer(name, text);
    assert.deepEqual(
      names.map((name) => [name, store.isLarge(name), store.snapshot(name)?.getLength()]),
      [
        ['/w/src/generated.ts', true, 0],
        ['/w/src/types.d.ts', false, text.length],
        ['/w/node_modules/lib/index.js', false, text.length],
        ['/w/lib.dom.d.ts', false, text.length],
      ],
    );
  });
});
