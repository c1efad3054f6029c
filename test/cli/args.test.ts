import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseCommandLine, UsageError } from '../../cli/args.js';
import { REPO_ROOT, runBinary } from './helpers.js';

describe('parseCommandLine', () => {
  it('defaults an audit to the current directory, text format and no warning limit', () => {
    assert.deepEqual(parseCommandLine(['audit']), {
      command: 'audit',
      paths: ['.'],
      format: 'text',
      outputFile: undefined,
      maxWarnings: -1,
      quiet: false,
      useEslintConfig: true,
      probe: undefined,
      projects: [],
      ignorePatterns: [],
      targetRps: undefined,
      strict: false,
      color: undefined,
      debug: false,
    });
  });

  it('reads paths and every audit option', () => {
    const args = parseCommandLine([
      'audit',
      'src',
      'lib',
      '--format',
      'sarif',
      '-o',
      'out.sarif',
      '--max-warnings',
      '0',
      '--quiet',
      '--no-eslint-config',
      '-p',
      'a/tsconfig.json',
      '--project',
      'b/tsconfig.json',
      '--ignore-pattern',
      'dist/',
      '--ignore-pattern',
      '**/*.gen.ts',
      '--target-rps',
      '250',
      '--strict',
      '--no-color',
    ]);
    assert.deepEqual(args, {
      command: 'audit',
      paths: ['src', 'lib'],
      format: 'sarif',
      outputFile: 'out.sarif',
      maxWarnings: 0,
      quiet: true,
      useEslintConfig: false,
      probe: undefined,
      projects: ['a/tsconfig.json', 'b/tsconfig.json'],
      ignorePatterns: ['dist/', '**/*.gen.ts'],
      targetRps: 250,
      strict: true,
      color: false,
      debug: false,
    });
  });

  for (const [argv, message] of [
    [['audit', '--frobnicate'], /unknown option '--frobnicate'/],
    [['audit', '--format', 'xml'], /invalid --format 'xml'/],
    [['audit', '--format'], /argument missing/],
    [['audit', '--max-warnings', '1.5'], /invalid --max-warnings '1.5'/],
    [['audit', '--max-warnings=-2'], /invalid --max-warnings '-2'/],
    [['audit', '--target-rps', '0'], /invalid --target-rps '0'/],
    [['audit', '--target-rps', 'fast'], /invalid --target-rps 'fast'/],
    [['audit', '--quiet=yes'], /does not take an argument/],
    [['lint'], /unknown command 'lint'/],
    [[], /missing command/],
  ] as const) {
    it(`rejects ${JSON.stringify(argv)}`, () => {
      assert.throws(
        () => parseCommandLine(argv),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
      );
    });
  }

  it('knows --help per command and --version', () => {
    assert.deepEqual(parseCommandLine(['audit', '--help']), { command: 'help', topic: 'audit' });
    assert.deepEqual(parseCommandLine(['--help']), { command: 'help', topic: 'main' });
    assert.deepEqual(parseCommandLine(['--version']), { command: 'version' });
    assert.deepEqual(parseCommandLine(['init', '--write']), { command: 'init', write: true, debug: false });
  });
});

describe('blockcheck command line', () => {
  it('prints the package version', () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = runBinary(['--version'], REPO_ROOT);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${version}\n`);
  });

  it('prints the audit usage with --help and exits 0', () => {
    const result = runBinary(['audit', '--help'], REPO_ROOT);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: blockcheck audit \[paths\.\.\.\] \[options\]/);
    assert.match(result.stdout, /--format <text\|json\|sarif\|github>/);
  });

  it('answers an unknown flag with one error line, where to find the usage, and exit 2', () => {
    const result = runBinary(['audit', '--frobnicate'], REPO_ROOT);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, "blockcheck: unknown option '--frobnicate' (blockcheck audit --help shows the usage)\n");
  });

  it('answers a missing path with one error line and exit 2', () => {
    const result = runBinary(['audit', 'does-not-exist'], REPO_ROOT);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'blockcheck: no such file or directory: does-not-exist (blockcheck audit --help shows the usage)\n');
  });

  it('answers a missing --project tsconfig with one error line and exit 2', () => {
    const result = runBinary(['audit', '--project', 'nope/tsconfig.json'], REPO_ROOT);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'blockcheck: no such tsconfig: nope/tsconfig.json (blockcheck audit --help shows the usage)\n');
  });
});
