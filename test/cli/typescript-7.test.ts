/**
 * A project on TypeScript 7, whose `typescript` package has no JavaScript compiler API (only a version and
 * `typescript/unstable/*`): the CLI audits it on blockcheck's own TypeScript 6 and says so under --debug,
 * and the ESLint plugin finds the parser's TypeScript unusable, which stops it at load with one line.
 * blockcheck is laid out as a project installs it (node_modules/blockcheck beside node_modules/typescript).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chooseTypeScript } from '../../engine/typescript-runtime.js';
import { parserTypeScriptProblem } from '../../rules/utils/classic-typescript.js';
import { makeProject, removeProject, REPO_ROOT } from './helpers.js';
import { PLAIN_SERVER } from './projects.js';

/** What typescript@7.0.2's package exports at its root. */
const TYPESCRIPT_7 = {
  'node_modules/typescript/package.json': JSON.stringify({
    name: 'typescript',
    version: '7.0.2',
    exports: { '.': './lib/version.cjs', './package.json': './package.json' },
  }),
  'node_modules/typescript/lib/version.cjs': "module.exports = { version: '7.0.2', versionMajorMinor: '7.0' };\n",
};

describe('a project on TypeScript 7', () => {
  let root: string;
  before(() => {
    root = makeProject({ 'package.json': '{ "private": true }', 'server.js': PLAIN_SERVER, ...TYPESCRIPT_7 });
    // blockcheck as npm installs it: its build and manifest, its dependencies beside it, and no typescript
    // of its own (a peer dependency, so the project's 7 is what `import 'typescript'` finds).
    const installed = path.join(root, 'node_modules', 'blockcheck');
    mkdirSync(path.join(installed, 'dist'), { recursive: true });
    for (const folder of ['core', 'engine', 'cli', 'rules', 'runtime'])
      cpSync(path.join(REPO_ROOT, 'dist', folder), path.join(installed, 'dist', folder), { recursive: true });
    cpSync(path.join(REPO_ROOT, 'package.json'), path.join(installed, 'package.json'));
    for (const entry of readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
      if (entry === 'typescript' || entry === '@typescript-eslint' || entry.startsWith('.')) continue;
      symlinkSync(path.join(REPO_ROOT, 'node_modules', entry), path.join(root, 'node_modules', entry));
    }
    // typescript-eslint's parser copied, not linked, so that it resolves the project's typescript as it
    // would in an installed project.
    mkdirSync(path.join(root, 'node_modules', '@typescript-eslint'));
    for (const entry of readdirSync(path.join(REPO_ROOT, 'node_modules', '@typescript-eslint'))) {
      const [source, target] = [
        path.join(REPO_ROOT, 'node_modules', '@typescript-eslint', entry),
        path.join(root, 'node_modules', '@typescript-eslint', entry),
      ];
      if (entry === 'parser' || entry === 'typescript-estree') cpSync(source, target, { recursive: true, dereference: true });
      else symlinkSync(source, target);
    }
  });
  after(() => removeProject(root));

  it('is audited on blockcheck’s own TypeScript 6, which --debug names', () => {
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules', 'blockcheck', 'dist', 'cli', 'main.js'), 'audit', '--format', 'json', '--debug', '--no-eslint-config'],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { findings: Array<{ file: string; call: string }> };
    assert.deepEqual(
      report.findings.map((finding) => `${finding.file} ${finding.call}`),
      ['server.js fs.readFileSync'],
    );
    assert.match(
      run.stderr,
      /^blockcheck: using blockcheck's own TypeScript 6\.\d+\.\d+ \(.*typescript6.*\): TypeScript 7\.0\.2 has no JavaScript compiler API/m,
    );
  });

  it('stops the ESLint plugin at load with one line and the side-by-side recipe', () => {
    writeFileSync(path.join(root, 'eslint.config.mjs'), "import blockcheck from 'blockcheck';\nexport default [blockcheck.configs.recommended];\n");
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), 'server.js'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 2, run.stdout);
    const line = (run.stdout + run.stderr).split('\n').find((text) => text.startsWith('blockcheck:'));
    assert.match(
      line ?? '',
      /^blockcheck: TypeScript 7\.0\.2 has no JavaScript compiler API \(blockcheck needs typescript >=5\.4 <6\.1\); keep TypeScript 7 beside TypeScript 6 in package\.json: "typescript": "npm:@typescript\/typescript6@\^6\.0\.2"/,
    );
    assert.doesNotMatch(run.stdout + run.stderr, /    at /, 'no stack trace');
    assert.equal(parserTypeScriptProblem(pathToFileURL(path.join(REPO_ROOT, 'package.json'))), undefined, 'the repository’s own parser has TypeScript 6');
  });

  it('chooses the project’s TypeScript when it has the classic API, and names what is wrong otherwise', () => {
    assert.equal(chooseTypeScript(pathToFileURL(path.join(REPO_ROOT, 'package.json'))).problem, undefined);
    assert.match(chooseTypeScript(pathToFileURL(path.join(root, 'server.js'))).problem ?? '', /TypeScript 7\.0\.2 has no JavaScript compiler API/);
    assert.equal(chooseTypeScript(pathToFileURL('/package.json')).problem, 'no typescript package is installed');
  });
});
