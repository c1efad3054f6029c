/**
 * What the audit leaves out: a built project's output (the tsconfig's outDir), what the tsconfig excludes,
 * .gitignore'd folders, the ESLint config's global ignores and --ignore-pattern. Each holds a copy of the
 * server, so a finding outside src/ means the audit read a folder the project says is not source.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditJson, removeProject } from './helpers.js';
import { projectInRepo } from './projects.js';

const SERVER_TS = `import http from 'node:http';
import fs from 'node:fs';

http.createServer((req, res) => {
  res.end(fs.readFileSync('./index.html'));
}).listen(3000);
`;

/** What \`tsc\` writes for SERVER_TS. */
const SERVER_JS = `import http from 'node:http';
import fs from 'node:fs';
http.createServer((req, res) => {
    res.end(fs.readFileSync('./index.html'));
}).listen(3000);
`;

describe('audit ignores', () => {
  let root: string;
  before(() => {
    root = projectInRepo({
      'package.json': '{ "private": true, "type": "module" }',
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'nodenext', target: 'es2022', outDir: 'dist', declarationDir: 'types', declaration: true, types: ['node'] },
        include: ['src', 'scripts'],
        exclude: ['scripts/generated'],
      }),
      'src/server.ts': SERVER_TS,
      'dist/server.js': SERVER_JS,
      'types/server.js': SERVER_JS,
      'scripts/generated/server.js': SERVER_JS,
      '.gitignore': 'build/\n*.bundle.js\n',
      'build/server.js': SERVER_JS,
      'src/app.bundle.js': SERVER_JS,
      'eslint.config.mjs': "export default [{ ignores: ['generated/**'] }];\n",
      'generated/server.js': SERVER_JS,
      'legacy/server.js': SERVER_JS,
    });
  });
  after(() => removeProject(root));

  it('reports the sources once, not the build output or what the project ignores', async () => {
    const { code, report, stderr } = await auditJson(['--ignore-pattern', 'legacy/'], root);
    assert.equal(code, 1, stderr);
    assert.deepEqual(
      report.findings.map((finding) => finding.file),
      ['src/server.ts'],
    );
  });

  it('leaves the ESLint config out with --no-eslint-config and the patterns out without the flag', async () => {
    const { report } = await auditJson(['--no-eslint-config'], root);
    assert.deepEqual(report.findings.map((finding) => finding.file).sort(), ['generated/server.js', 'legacy/server.js', 'src/server.ts']);
  });

  it('audits a folder the user names even when a .gitignore above it ignores it', async () => {
    const { report } = await auditJson(['--no-eslint-config', 'build'], root);
    assert.deepEqual(
      report.findings.map((finding) => finding.file),
      ['build/server.js'],
    );
  });
});
