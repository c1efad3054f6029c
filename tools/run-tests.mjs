// Runs one of the two test sets over the compiled suites in dist/test/:
//   quick (npm test): unit, rule, CLI, language-server and robustness suites, which wait on events only;
//   load (npm run test:load): the suites that start apps and drive load at them (the runtime probe, the
//   slow-service replay, `serve`), whose run time follows the machine's load. They run one at a time, so
//   that two of them never compete for the cores they measure.
// A suite not listed in LOAD is quick: a new suite lands in `npm test` unless it is added here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const LOAD = [
  'cli/probe.test.js',
  'runtime/failures.test.js',
  'runtime/frameworks.test.js',
  'runtime/probe-http.test.js',
  'runtime/serve.test.js',
  'runtime/slow-service.test.js',
  'runtime/stretches.test.js',
  'runtime/watch.test.js',
];

// The quick suites that take longest, started first: the suites run two at a
// time, and one of these started last would run alone at the end.
const LONGEST = ['cli/eslint-parity.test.js', 'robustness/real-code.test.js', 'robustness/malformed-input.test.js', 'lsp/settings.test.js'];
const startRank = (suite) => (LONGEST.includes(suite) ? LONGEST.indexOf(suite) : LONGEST.length);

const set = process.argv[2];
if (set !== 'quick' && set !== 'load') {
  process.stderr.write('usage: node tools/run-tests.mjs quick|load\n');
  process.exit(2);
}
const root = new URL('../dist/test/', import.meta.url).pathname;
const suites = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(path.join(root, dir.name))
      .filter((file) => file.endsWith('.test.js'))
      .map((file) => `${dir.name}/${file}`),
  )
  .filter((suite) => LOAD.includes(suite) === (set === 'load'))
  .sort((a, b) => startRank(a) - startRank(b) || a.localeCompare(b));
const concurrency = set === 'load' ? 1 : 2;
const { status, signal } = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...suites.map((suite) => path.join(root, suite))], {
  stdio: 'inherit',
});
process.exit(status ?? (signal ? 1 : 0));
