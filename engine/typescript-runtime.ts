/**
 * The TypeScript compiler API the CLI (and the language server) run on: the project's `typescript` when
 * it has the classic API, else the TypeScript 6 blockcheck brings (@typescript/typescript6), so that a
 * project on TypeScript 7, or with no TypeScript at all, can still be audited. The ESLint rules cannot do
 * this: they must use the very module typescript-eslint's parser uses (see rules/utils/classic-typescript.ts).
 * Call it before anything imports 'typescript'.
 */
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import type ts from 'typescript';
import { classicApiProblem } from '../core/typescript-api.js';

export interface TypeScriptInUse {
  version: string;
  path: string;
  /** Set when blockcheck's own TypeScript is used: why the project's could not be. */
  fallbackReason: string | undefined;
}

/** Which TypeScript a module under `from` (a file URL or path) would load, and the one to use instead. */
export function chooseTypeScript(from: string | URL = import.meta.url): { project: string | undefined; problem: string | undefined } {
  const require = createRequire(from);
  let project: string;
  try {
    project = require.resolve('typescript');
  } catch {
    return { project: undefined, problem: 'no typescript package is installed' };
  }
  try {
    return { project, problem: classicApiProblem(require(project)) };
  } catch (error) {
    return { project, problem: `typescript could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
}

let inUse: TypeScriptInUse | undefined;

/** The `typescript` module file to run on: the project's when it has the classic API, else blockcheck's own. */
function classicTypeScriptPath(): { path: string; fallbackReason: string | undefined } {
  const { project, problem } = chooseTypeScript();
  if (project && !problem) return { path: project, fallbackReason: undefined };
  return { path: createRequire(import.meta.url).resolve('@typescript/typescript6'), fallbackReason: problem };
}

/** Chooses once per process and, for blockcheck's own copy, routes `import 'typescript'` to it. */
export function useClassicTypeScript(): TypeScriptInUse {
  if (inUse) return inUse;
  const { path, fallbackReason } = classicTypeScriptPath();
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- its replacement, module.registerHooks, needs Node 22.15; we support 20.12
  if (fallbackReason !== undefined) register('./typescript-hooks.js', import.meta.url, { data: { url: pathToFileURL(path).href } });
  inUse = { version: (createRequire(import.meta.url)(path) as { version: string }).version, path, fallbackReason };
  return inUse;
}

/**
 * The same choice of TypeScript, loaded without routing anyone's `import 'typescript'` to it: for code that
 * runs inside the user's app (the probe's host), whose own imports must stay what they are.
 */
export function requireClassicTypeScript(): typeof ts {
  return createRequire(import.meta.url)(classicTypeScriptPath().path) as typeof ts;
}

/** The line `--debug` prints. */
export function describeTypeScript(used: TypeScriptInUse): string {
  return used.fallbackReason === undefined
    ? `using the project's TypeScript ${used.version} (${used.path})`
    : `using blockcheck's own TypeScript ${used.version} (${used.path}): ${used.fallbackReason}`;
}
