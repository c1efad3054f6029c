import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import blockcheck from '../../rules/index.js';
import { REPO_ROOT } from '../fixture-expectations.js';

interface Manifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;

describe('the plugin object', () => {
  it('names itself from package.json', () => {
    assert.deepEqual(blockcheck.meta, { name: manifest.name, version: manifest.version });
  });
  it('has the three rules, each with a doc beside it and a docs URL to it', () => {
    assert.deepEqual(Object.keys(blockcheck.rules ?? {}).sort(), ['no-blocking-client', 'no-cpu-loop', 'no-sync-io']);
    for (const [name, rule] of Object.entries(blockcheck.rules ?? {})) {
      const docs = (rule as { meta?: { docs?: { url?: string } } }).meta?.docs;
      assert.ok(docs?.url?.endsWith(`rules/docs/${name}.md`), `${name} docs url`);
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'rules', 'docs', `${name}.md`)), `${name}.md exists`);
    }
  });
  it('configs.recommended turns every rule on for TS and JS files, with the project service', () => {
    const recommended = blockcheck.configs.recommended;
    assert.deepEqual(Object.keys(recommended.rules ?? {}).sort(), ['blockcheck/no-blocking-client', 'blockcheck/no-cpu-loop', 'blockcheck/no-sync-io']);
    assert.equal(recommended.plugins?.['blockcheck'], blockcheck);
    assert.deepEqual(recommended.files, ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}']);
    assert.equal((recommended.languageOptions?.parserOptions as { projectService?: unknown }).projectService, true);
  });
  it("configs.recommended parses with the project's typescript-eslint parser, not a pinned copy of its own", () => {
    // As typescript-eslint's own plugin: a peer dependency, so npm installs no second copy beside the
    // project's (which would build every file's program twice) and the parser import finds the project's.
    const parser = '@typescript-eslint/parser';
    assert.equal(manifest.dependencies[parser], undefined);
    assert.equal(manifest.peerDependencies[parser], '^8.0.0');
    assert.match(manifest.devDependencies[parser] ?? '', /^8\.\d+\.\d+$/, 'development pins the version it is tested with');
    const parserMeta = (blockcheck.configs.recommended.languageOptions?.parser as { meta?: { version?: string } }).meta;
    assert.equal(parserMeta?.version, manifest.devDependencies[parser]);
  });
});
