import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeModuleName, packageOfFile } from '../../core/declarations.js';
import { nameMatchesPath } from '../../core/specifiers.js';

describe('declaration origins', () => {
  it('names packages from their node_modules path, @types included', () => {
    assert.equal(packageOfFile('/p/node_modules/better-sqlite3/lib/index.d.ts'), 'better-sqlite3');
    assert.equal(packageOfFile('/p/node_modules/@types/better-sqlite3/index.d.ts'), 'better-sqlite3');
    assert.equal(packageOfFile('/p/node_modules/@types/koa__router/index.d.ts'), '@koa/router');
    assert.equal(packageOfFile('/p/node_modules/@koa/router/dist/index.d.ts'), '@koa/router');
    assert.equal(packageOfFile('/p/node_modules/a/node_modules/glob/dist/index.d.ts'), 'glob');
    assert.equal(packageOfFile('/p/src/app.ts'), undefined);
  });
  it('gives Node core modules their node: name', () => {
    assert.equal(normalizeModuleName('fs'), 'node:fs');
    assert.equal(normalizeModuleName('fs/promises'), 'node:fs/promises');
    assert.equal(normalizeModuleName('node:zlib'), 'node:zlib');
    assert.equal(normalizeModuleName('express'), 'express');
  });
  it('matches member paths by suffix, with * wildcards', () => {
    assert.equal(nameMatchesPath('Database.exec', ['BetterSqlite3', 'Database', 'exec']), true);
    assert.equal(nameMatchesPath('exec', ['BetterSqlite3', 'Database', 'exec']), true);
    assert.equal(nameMatchesPath('Statement.exec', ['BetterSqlite3', 'Database', 'exec']), false);
    assert.equal(nameMatchesPath('*Sync', ['readFileSync']), true);
    assert.equal(nameMatchesPath('*Sync', ['isSynchronous']), false);
    assert.equal(nameMatchesPath('a.b.c', ['b', 'c']), false);
  });
});
