/**
 * The audit over real code nobody here wrote: 2,000 JS/TS files spread over the installed node_modules
 * (hundreds of packages, their tsconfigs good and broken). No crash, no analysis exception, every file
 * TypeScript cannot parse listed under `errors`, and the run completes.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { evenSample, sourceFilesBelow } from '../../bench/source-files.js';
import { REPO_ROOT } from '../fixture-expectations.js';

const SAMPLE_SIZE = 2000;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** Whether TypeScript's parser reports a syntax error for the file (what the audit must list). */
function isUnparsable(file: string): boolean {
  const text = fs.readFileSync(file, 'utf8');
  try {
    const { diagnostics } = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { allowJs: true } });
    return (diagnostics ?? []).length > 0;
  } catch {
    return true;
  }
}

describe('auditing real installed code', () => {
  it(`audits ${SAMPLE_SIZE} files from node_modules without crashing, listing every unparsable file`, { timeout: 10 * 60_000 }, () => {
    const sample = evenSample(sourceFilesBelow(path.join(REPO_ROOT, 'node_modules')), SAMPLE_SIZE).map((file) => path.relative(REPO_ROOT, file));
    assert.equal(sample.length, SAMPLE_SIZE);
    const run = spawnSync(process.execPath, [CLI, 'audit', ...sample, '--format', 'json', '--quiet', '--no-eslint-config'], {
      cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024,
    });
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr.slice(0, 500)}`);
    assert.doesNotMatch(run.stderr, /internal error/);
    const report = JSON.parse(run.stdout) as { errors: Array<{ file: string; message: string }>; stats: { files: number } };
    assert.equal(report.stats.files, SAMPLE_SIZE);
    const listed = new Set(report.errors.map((error) => path.normalize(error.file)));
    const unparsable = sample.filter((file) => isUnparsable(path.join(REPO_ROOT, file)));
    for (const file of unparsable) assert.ok(listed.has(path.normalize(file)), `${file} does not parse but is not listed under errors`);
  });
});
