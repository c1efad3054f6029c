/**
 * One ESLint run over a project, as a child process of the benchmark: `none` (typescript-eslint's parser
 * and project service, no rules), `blockcheck` (plus configs.recommended), `noop` (plus one rule that does
 * nothing: the floor any rule pays), `no-floating-promises` (typescript-eslint's own type-aware rule: what
 * a rule that asks the checker about every call costs), or `n-no-sync` (eslint-plugin-n's name-based rule;
 * it asks for the project service's parser services too). Prints `{ messages, ruleMs }` as JSON: `ruleMs`
 * is the time ESLint's own stats (`--stats`) give the configured rules' listeners, summed over every file,
 * so that a rule's own share of the run can be told from the rest of what its presence changes (the
 * garbage collector's heap sizing, above all). Stats are on in the modes the rule overhead compares, so
 * that each of its runs pays their (small) cost, and off for `n-no-sync`, which is timed against
 * `blockcheck audit`.
 */
import * as path from 'node:path';
import { ESLint } from 'eslint';
import nodePlugin from 'eslint-plugin-n';
import * as tsParser from '@typescript-eslint/parser';
import tseslint from 'typescript-eslint';
import blockcheck from '../rules/index.js';

const [projectDir, mode, pattern = 'src/**/*.ts'] = process.argv.slice(2);
if (!projectDir || !mode) throw new Error('usage: lint-child <projectDir> <none|blockcheck|noop|no-floating-promises|n-no-sync> [pattern]');

// The ESLint binary turns typescript-eslint's single-run mode on by its name; an API run must say so.
process.env['TSESTREE_SINGLE_RUN'] = 'true';

const files = ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'];
const noopRule = { meta: { type: 'problem', schema: [] }, create: () => ({ Program(): void {} }) };
/** typescript-eslint's parser with the project service: every mode's base. */
const typed = { files, languageOptions: { parser: tsParser, parserOptions: { projectService: true } } };
const configs: Record<string, ESLint.Options['overrideConfig']> = {
  none: [typed],
  blockcheck: [{ ...blockcheck.configs.recommended, files } as never],
  noop: [{ ...typed, plugins: { bench: { rules: { noop: noopRule } } as never }, rules: { 'bench/noop': 'error' } }],
  'no-floating-promises': [
    {
      ...typed,
      plugins: { '@typescript-eslint': tseslint.plugin },
      rules: { '@typescript-eslint/no-floating-promises': 'error' },
    },
  ],
  'n-no-sync': [{ ...typed, plugins: { n: nodePlugin }, rules: { 'n/no-sync': 'error' } }],
};

const eslint = new ESLint({ cwd: path.resolve(projectDir), overrideConfigFile: true, overrideConfig: configs[mode] ?? [], stats: mode !== 'n-no-sync' });
const results = await eslint.lintFiles([pattern]);
const fatal = results.flatMap((result) => result.messages.filter((message) => message.fatal));
if (fatal.length > 0) throw new Error(`${fatal.length} files failed to parse: ${fatal[0]!.message}`);
let ruleMs = 0;
for (const result of results) {
  for (const pass of result.stats?.times.passes ?? []) {
    for (const time of Object.values(pass.rules ?? {})) ruleMs += time.total;
  }
}
process.stdout.write(JSON.stringify({ messages: results.reduce((count, result) => count + result.messages.length, 0), ruleMs }));
