import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli, suiteProjects } from './helpers.js';

describe('blockcheck init', () => {
  const project = suiteProjects();

  it('prints a config block that enables the recommended rules', async () => {
    const root = project({});
    const result = await runCli(['init'], root);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^import blockcheck from 'blockcheck';$/m);
    assert.match(result.stdout, /blockcheck\.configs\.recommended,/);
    assert.ok(!existsSync(path.join(root, 'eslint.config.mjs')));
  });

  it('writes eslint.config.js in an ESM package and .mjs otherwise', async () => {
    const esm = project({ 'package.json': '{ "type": "module" }' });
    assert.equal((await runCli(['init', '--write'], esm)).code, 0);
    assert.match(readFileSync(path.join(esm, 'eslint.config.js'), 'utf8'), /blockcheck\.configs\.recommended/);
    const cjs = project({ 'package.json': '{}' });
    assert.equal((await runCli(['init', '--write'], cjs)).code, 0);
    assert.ok(existsSync(path.join(cjs, 'eslint.config.mjs')));
  });

  it('never overwrites an existing config and prints the block to add instead', async () => {
    const root = project({ 'eslint.config.js': 'export default [];\n' });
    const result = await runCli(['init', '--write'], root);
    assert.equal(result.code, 0);
    assert.equal(readFileSync(path.join(root, 'eslint.config.js'), 'utf8'), 'export default [];\n');
    assert.match(result.stdout, /blockcheck\.configs\.recommended/);
    assert.match(result.stderr, /eslint\.config\.js already exists/);
  });

  it('says a config that already enables blockcheck needs nothing, and prints no block to add', async () => {
    const config = "import blockcheck from 'blockcheck';\nexport default [blockcheck.configs.recommended];\n";
    const root = project({ 'eslint.config.js': config });
    const result = await runCli(['init', '--write'], root);
    assert.equal(result.code, 0);
    assert.equal(readFileSync(path.join(root, 'eslint.config.js'), 'utf8'), config);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'blockcheck: eslint.config.js already configures blockcheck: nothing to write.\n');
  });
});
