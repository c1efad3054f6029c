/**
 * Input that breaks naive tools: binary files, a 5 MB minified file, expressions nested 10,000 levels
 * deep, circular re-exports, a tsconfig that extends a missing file. Each gets a clear error for that file
 * and the rest is still reported; the exit code is 2 for the tsconfig (a configuration error, as in ESLint)
 * and when nothing could be audited.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../fixture-expectations.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');

interface Report {
  findings: Array<{ file: string; call: string }>;
  errors: Array<{ file: string; message: string }>;
}

function audit(cwd: string, ...args: string[]): { status: number | null; report: Report | undefined; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, 'audit', ...args, '--format', 'json', '--no-eslint-config'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let report: Report | undefined;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    report = undefined;
  }
  return { status: run.status, report, stderr: run.stderr };
}

function write(dir: string, name: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), content);
}

const SERVER = "const fs = require('fs');\nrequire('http').createServer((req, res) => res.end(fs.readFileSync('/etc/hosts'))).listen(0);\n";

/** About 5 MB of valid minified JavaScript on one line. */
function minified(): string {
  const parts: string[] = [];
  for (let index = 0; parts.join('').length < 5 * 1024 * 1024; index++) {
    parts.push(`function f${index}(a,b){return a*b+${index}}var v${index}=f${index}(${index},2);`.repeat(200));
  }
  return `${parts.join('')}module.exports=v0;`;
}

describe('malformed input to the audit', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blockcheck-malformed-'));
    write(dir, 'package.json', '{ "name": "malformed", "private": true }');
    write(dir, 'server.js', SERVER);
    write(dir, 'binary.js', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 0xff, 0xfe, 0, 0, 10, 0x41]));
    write(dir, 'minified.js', minified());
    write(dir, 'nested.js', `module.exports = ${'('.repeat(10_000)}1${')'.repeat(10_000)};\n`);
    write(dir, 'ts/tsconfig.json', '{ "extends": "./missing-base.json", "compilerOptions": { "types": ["node"] }, "include": ["*.ts"] }');
    write(dir, 'ts/a.ts', "export * from './b.js';\nexport const a = 1;\n");
    write(dir, 'ts/b.ts', "export * from './a.js';\nimport fs from 'node:fs';\nexport async function load() { return fs.readFileSync('/b'); }\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists each bad file with a clear error and still reports the rest', { timeout: 5 * 60_000 }, () => {
    const { status, report, stderr } = audit(dir, '.');
    assert.equal(status, 2, stderr);
    assert.ok(report);
    const errorFor = (name: string) => report.errors.find((error) => error.file.endsWith(name))?.message;
    assert.match(errorFor('binary.js') ?? '', /^Parsing error: .*binary/i);
    assert.match(errorFor('nested.js') ?? '', /^Parsing error: .*nested too deeply/);
    assert.match(errorFor('tsconfig.json') ?? '', /missing-base\.json/);
    assert.equal(errorFor('minified.js'), undefined, 'a large but valid file is audited');
    const reported = report.findings.map((finding) => `${path.basename(finding.file)} ${finding.call}`).sort();
    assert.deepEqual(reported, ['b.ts fs.readFileSync', 'server.js fs.readFileSync'], 'circular re-exports and the server are still analyzed');
    assert.doesNotMatch(stderr, /internal error|RangeError|    at /);
  });

  it('exits 1 for files it cannot parse when the configuration is sound', () => {
    const { status, report, stderr } = audit(dir, 'server.js', 'binary.js');
    assert.equal(status, 1, stderr);
    assert.deepEqual(
      report?.errors.map((error) => path.basename(error.file)),
      ['binary.js'],
    );
  });

  it('exits 2 when nothing could be audited', () => {
    const { status, stderr } = audit(dir, 'binary.js', 'nested.js');
    assert.equal(status, 2);
    assert.match(stderr, /nothing could be audited/);
    assert.doesNotMatch(stderr, /    at /);
  });
});
