/**
 * The audit over real code nobody here wrote: 2,000 JS/TS files spread over the installed node_modules
 * (hundreds of packages, their tsconfigs good and broken). No crash, no analysis exception, every file
 * TypeScript cannot parse listed under `errors`, a line for each broken tsconfig, and the run completes.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { evenSample, sourceFilesBelow } from '../../bench/source-files.js';
import { REPO_ROOT } from '../fixture-expectations.js';

const SAMPLE_SIZE = 2000;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');

/**
 * Whether TypeScript's parser reports a syntax error for the file (what the audit must list), asked of a
 * one-file program without libraries or imports: syntax errors only, never the checker. (transpileModule
 * would also run the checker on TypeScript before 5.5, whose recursion overflows on large generated parsers
 * such as esquery's: a crash that says nothing about parsing.) A parser that overflows is unparsable.
 */
function isUnparsable(file: string): boolean {
  try {
    const program = ts.createProgram([file], { allowJs: true, noEmit: true, noLib: true, noResolve: true, types: [] });
    return program.getSyntacticDiagnostics(program.getSourceFile(file)).length > 0;
  } catch (error) {
    if (error instanceof RangeError) return true;
    throw error;
  }
}

describe('auditing real installed code', () => {
  it(`audits ${SAMPLE_SIZE} files from node_modules without crashing, listing every unparsable file`, { timeout: 10 * 60_000 }, () => {
    const sample = evenSample(sourceFilesBelow(path.join(REPO_ROOT, 'node_modules')), SAMPLE_SIZE).map((file) => path.relative(REPO_ROOT, file));
    assert.equal(sample.length, SAMPLE_SIZE);
    const run = spawnSync(process.execPath, [CLI, 'audit', ...sample, '--format', 'json', '--quiet', '--no-eslint-config'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    // Exit 2 only for the packages' broken tsconfigs (a configuration error, whose files are still audited).
    const stderrLines = run.stderr.split('\n').filter((line) => line !== '');
    const configErrors = stderrLines.filter((line) => /^blockcheck: cannot use .*tsconfig.*\(its files were audited without it\)$/.test(line));
    assert.ok(run.status === 0 || run.status === 1 || (run.status === 2 && configErrors.length > 0), `exit ${run.status}: ${run.stderr.slice(0, 500)}`);
    assert.deepEqual(stderrLines, configErrors, 'nothing but the tsconfig lines on stderr');
    const report = JSON.parse(run.stdout) as { errors: Array<{ file: string; message: string }>; stats: { files: number } };
    assert.equal(report.stats.files, SAMPLE_SIZE);
    const listed = new Set(report.errors.map((error) => path.normalize(error.file)));
    const unparsable = sample.filter((file) => isUnparsable(path.join(REPO_ROOT, file)));
    for (const file of unparsable) assert.ok(listed.has(path.normalize(file)), `${file} does not parse but is not listed under errors`);
  });
});
