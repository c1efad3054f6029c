import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { holdsWatchedFiles } from '../../lsp/server/watched-folders.js';

describe('folders created in the workspace', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blockcheck-folders-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function folder(name: string, files: string[]): string {
    const dir = path.join(root, name);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), '');
    }
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  it('counts a folder with sources at any depth, or with declaration files, package.json or a tsconfig', () => {
    assert.equal(holdsWatchedFiles(folder('nested', ['docs/readme.md', 'src/routes/deep/handler.mjs'])), true);
    assert.equal(holdsWatchedFiles(folder('typed', ['types/express.d.ts'])), true);
    assert.equal(holdsWatchedFiles(folder('package', ['package.json', 'README.md'])), true);
    assert.equal(holdsWatchedFiles(folder('project', ['tsconfig.build.json'])), true);
  });

  it('passes over folders of other files, empty folders, files and paths that are gone', () => {
    assert.equal(holdsWatchedFiles(folder('logs', ['app.log', 'archive/2026-12-01.log.gz', 'data.json'])), false);
    assert.equal(holdsWatchedFiles(folder('empty', [])), false);
    assert.equal(holdsWatchedFiles(path.join(folder('file', ['notes.txt']), 'notes.txt')), false);
    assert.equal(holdsWatchedFiles(path.join(root, 'missing')), false);
  });

  it('takes a folder too big to search to hold something watched', () => {
    const big = folder('big', ['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    assert.equal(holdsWatchedFiles(big, 3), true);
    assert.equal(holdsWatchedFiles(big, 4), false);
  });
});
