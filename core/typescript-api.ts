/**
 * Which `typescript` modules blockcheck can run on. The analysis uses TypeScript's JavaScript compiler API
 * (createProgram, the checker, SyntaxKind numbers), which TypeScript 7 no longer has: its package only
 * exports `typescript/unstable/*`. This module loads no TypeScript itself, so that it can be asked before
 * one is imported.
 */

/** The versions the analysis supports: the package's peer range, as typescript-eslint's. */
export const SUPPORTED_TYPESCRIPT = '>=5.4 <6.1';

/** What a project with TypeScript 7 installs beside it for the tools that need the classic API (typescript-eslint's set-up). */
export const SIDE_BY_SIDE_RECIPE =
  'keep TypeScript 7 beside TypeScript 6 in package.json: "typescript": "npm:@typescript/typescript6@^6.0.2" and "typescript7": "npm:typescript@^7" ' +
  '(https://devblogs.microsoft.com/typescript/announcing-typescript-7-0/#running-side-by-side-with-typescript-6.0)';

/** Why a loaded `typescript` module cannot be used, or undefined when it can. */
export function classicApiProblem(typescript: unknown): string | undefined {
  const version = (typescript as { version?: unknown } | undefined)?.version;
  const named = typeof version === 'string' ? `TypeScript ${version}` : 'this typescript package';
  const major = typeof version === 'string' ? Number.parseInt(version, 10) : Number.NaN;
  if (typeof (typescript as { createProgram?: unknown } | undefined)?.createProgram !== 'function' || major >= 7) {
    return `${named} has no JavaScript compiler API (blockcheck needs typescript ${SUPPORTED_TYPESCRIPT})`;
  }
  return undefined;
}
