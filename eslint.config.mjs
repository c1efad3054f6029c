// The repository's own lint: the layers (core → engine → front ends) may only import downwards,
// typescript-eslint's strict type-checked rules and blockcheck's own. Fixtures and generated projects are
// sample code, not ours to lint.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
// The built plugin (dist/): `npm ci` builds it through `prepare`, as `npm run build` does after a change.
import blockcheck from 'blockcheck';

/** Each layer and the folders it must never import from. */
const LAYERS = {
  core: ['engine', 'rules', 'cli', 'lsp', 'runtime'],
  engine: ['rules', 'cli', 'lsp', 'runtime'],
  rules: ['engine', 'cli', 'lsp', 'runtime'],
  runtime: ['rules', 'cli', 'lsp'],
  lsp: ['rules', 'cli', 'runtime'],
  cli: ['rules', 'lsp'],
};

const layerBoundaries = Object.entries(LAYERS).map(([layer, forbidden]) => ({
  name: `blockcheck/layer-${layer}`,
  files: [`${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((folder) => ({
          regex: `^(\\.\\./)+${folder}/`,
          message: `${layer}/ must not import from ${folder}/: imports point down the layers core → engine → front ends (see ARCHITECTURE.md).`,
        })),
      },
    ],
  },
}));

/**
 * Our code that runs once and exits, where a blocking call holds up no one: test suites, benchmarks and
 * tooling (with blockcheck's default script patterns, which the option replaces).
 */
const OWN_SCRIPTS = ['**/scripts/**', '**/bin/**', '**/*.config.*', 'test/**', 'bench/**', 'tools/**', 'eval/**'];

const blockcheckRules = Object.fromEntries(
  Object.entries(blockcheck.configs.recommended.rules).map(([rule, level]) => [rule, [level, { scriptPatterns: OWN_SCRIPTS }]]),
);

export default defineConfig(
  // .cache holds the projects the benchmarks generate or download, .blockcheck the probe's last report: not ours.
  globalIgnores(['dist/**', 'fixtures/**', 'test/projects/**', 'lsp/vscode/**', 'node_modules/**', '**/*.d.ts', '.cache/**', '.blockcheck/**']),
  tseslint.configs.strictTypeChecked,
  blockcheck.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // node:test's describe/it return promises the runner itself awaits (as typescript-eslint's examples/node-test-floating-promises).
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      // With noUncheckedIndexedAccess, `!` marks an index the code has just checked (a regex group, a bounded loop).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `() => resolve()`, `(error) => reject(error)`: one-call callbacks whose value no caller reads (the rule's own option).
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Numbers have one obvious text form; the rule still rejects objects, nullish values and unknown.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      ...blockcheckRules,
    },
  },
  {
    // The .mjs scripts are untyped JavaScript (no checkJs): type-aware rules would see nothing but `any` there.
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  ...layerBoundaries,
);
