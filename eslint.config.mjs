// The repository's own lint: the layers (core → engine → front ends) may only import downwards, and
// typescript-eslint's recommended rules. Fixtures and generated projects are sample code, not ours to lint.
import tseslint from 'typescript-eslint';

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

export default tseslint.config(
  { ignores: ['dist/**', 'fixtures/**', 'test/projects/**', 'lsp/vscode/**', 'node_modules/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerBoundaries,
);
