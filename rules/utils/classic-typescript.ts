/**
 * Stops the plugin at load when the `typescript` typescript-eslint's parser would use has no classic
 * compiler API (TypeScript 7): the rules analyze the parser's own Program with its own SyntaxKind numbers,
 * so they cannot bring another TypeScript as the CLI does. One line says what to install instead, where
 * the crash would otherwise come from deep inside a rule. Imported first by rules/index.ts, before anything
 * imports 'typescript'.
 */
import { createRequire } from 'node:module';
import { classicApiProblem, SIDE_BY_SIDE_RECIPE } from '../../core/typescript-api.js';

/** The problem with the TypeScript that the parser resolves from its own location, if any. */
export function parserTypeScriptProblem(from: string | URL): string | undefined {
  const require = createRequire(from);
  let typescript: unknown;
  try {
    const estree = createRequire(require.resolve('@typescript-eslint/parser')).resolve('@typescript-eslint/typescript-estree');
    typescript = createRequire(estree)('typescript');
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `typescript could not be loaded for typescript-eslint's parser (${message})`;
  }
  return classicApiProblem(typescript);
}

const problem = parserTypeScriptProblem(import.meta.url);
if (problem) {
  const error = new Error(`blockcheck: ${problem}; ${SIDE_BY_SIDE_RECIPE}.`);
  // ESLint prints a load error's message; the stack would only point here.
  error.stack = error.message;
  throw error;
}
