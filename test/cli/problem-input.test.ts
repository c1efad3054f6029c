/**
 * What a user meets first when the input is not a tidy project: a package under node_modules named on the
 * command line, folders and files that cannot be read, a tsconfig with a JSON syntax error, a project
 * whose Node types do not resolve. Each gets a clear line and ESLint's exit code, and the rest is reported.
 */
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { auditJson, lineOf, runCli, suiteProjects, type JsonReport } from './helpers.js';
import { PLAIN_SERVER, STORE_APP, STORE_PACKAGE } from './projects.js';

/** Root reads every file whatever its mode, so the unreadable cases cannot happen to it. */
const runsAsRoot = process.getuid?.() === 0;

/** A dependency that serves traffic itself: it must stay a dependency of the package that imports it. */
const SERVING_DEPENDENCY = {
  'package.json': JSON.stringify({ name: 'dep-server', version: '1.0.0', main: 'index.js' }),
  'index.js': "const http = require('http');\nconst fs = require('fs');\nhttp.createServer((req, res) => res.end(fs.readFileSync('/etc/hosts'))).listen(0);\n",
};

describe('input the audit meets first', () => {
  const project = suiteProjects();

  it('audits a package under node_modules that the user names, its own dependencies staying dependencies', async () => {
    const server = 'node_modules/some-server';
    const root = project({
      [`${server}/package.json`]: JSON.stringify({ name: 'some-server', version: '1.0.0', main: 'app.js' }),
      [`${server}/app.js`]: `${STORE_APP}require('dep-server');\n`,
      ...Object.fromEntries(Object.entries(STORE_PACKAGE).map(([file, text]) => [`${server}/${file}`, text])),
      ...Object.fromEntries(Object.entries(SERVING_DEPENDENCY).map(([file, text]) => [`node_modules/dep-server/${file}`, text])),
    });
    const { code, report, stderr } = await auditJson(['--no-eslint-config', `./${server}`], root);
    assert.equal(code, 1, stderr);
    assert.deepEqual(
      report.findings.map((finding) => [finding.file, finding.line, finding.handlers[0]!.chain.at(-1)!.file]),
      [[`${server}/app.js`, lineOf(STORE_APP, 'store.write('), `${server}/node_modules/kv-file-store/index.js`]],
      "the finding is in the named package, its chain runs into that package's dependency",
    );
    assert.deepEqual(
      report.handlers.map((handler) => handler.file),
      [`${server}/app.js`],
      "a dependency's own server is not a handler",
    );
    assert.equal(report.stats.files, 1, "the package's node_modules are not audited themselves");
  });

  it('reports a tsconfig with a JSON syntax error on one line, audits its files without it, and exits 2', async () => {
    const root = project({
      'tsconfig.json': '{\n  "compilerOptions": { "allowJs": true,, "module": "commonjs" },\n  "include": ["src"]\n}\n',
      'src/server.js': PLAIN_SERVER,
    });
    const result = await runCli(['audit', '--format', 'json', '--no-eslint-config'], root);
    assert.equal(result.code, 2, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(
      report.errors.map((error) => [error.file, error.line]),
      [['tsconfig.json', 2]],
    );
    assert.deepEqual(
      report.findings.map((finding) => finding.file),
      ['src/server.js'],
      'its files are still reported',
    );
    assert.deepEqual(result.stderr.trimEnd().split('\n'), [
      'blockcheck: cannot use tsconfig.json:2: Property assignment expected. (its files were audited without it)',
    ]);
  });

  it(
    'lists a folder and a file it cannot read as errors, reports the rest, and exits 1',
    { skip: runsAsRoot && 'root reads files whatever their mode' },
    async () => {
      const root = project({ 'src/server.js': PLAIN_SERVER, 'src/secret.js': PLAIN_SERVER, 'src/locked/inner.js': PLAIN_SERVER });
      chmodSync(path.join(root, 'src/secret.js'), 0o000);
      chmodSync(path.join(root, 'src/locked'), 0o000);
      try {
        const { code, report, stderr } = await auditJson(['--no-eslint-config'], root);
        assert.equal(code, 1, stderr);
        assert.deepEqual(report.errors, [
          { file: 'src/locked', message: 'Cannot read folder: EACCES: permission denied (its files were not audited)' },
          { file: 'src/secret.js', message: 'Cannot read file: EACCES: permission denied' },
        ]);
        assert.deepEqual(
          report.findings.map((finding) => finding.file),
          ['src/server.js'],
        );
        assert.doesNotMatch(stderr, /internal error/);
        // Nothing readable at all: nothing was audited, exit 2.
        assert.equal((await runCli(['audit', '--no-eslint-config', 'src/secret.js'], root)).code, 2);
      } finally {
        chmodSync(path.join(root, 'src/locked'), 0o755);
        chmodSync(path.join(root, 'src/secret.js'), 0o644);
      }
    },
  );

  it('finds the Node calls of a TypeScript project whose Node types do not resolve', async () => {
    // Outside the repository: no node_modules above it holds @types/node.
    const source =
      "import http from 'node:http';\nimport { readFileSync } from 'node:fs';\n\nhttp.createServer((req, res) => res.end(readFileSync('/etc/hosts'))).listen(0);\n";
    const root = project({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', strict: true, types: ['node'] }, include: ['src'] }),
      'src/server.ts': source,
    });
    const { code, report, stderr } = await auditJson(['--no-eslint-config'], root);
    assert.equal(code, 1, stderr);
    assert.deepEqual(
      report.findings.map((finding) => [finding.file, finding.line, finding.call]),
      [['src/server.ts', 4, 'readFileSync']],
    );
  });
});
