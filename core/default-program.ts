/**
 * The program for code without a tsconfig: every JS/TS file under a project root, JavaScript allowed,
 * Node core typed by @types/node (the project's own, else the copy blockcheck ships), so `require('fs')`
 * resolves in a plain JavaScript project that has never heard of TypeScript.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import ts from 'typescript';
import { SOURCE_EXTENSIONS } from './source-files.js';

const EXCLUDED_FOLDERS = ['**/node_modules', '**/.git', '**/coverage'];

const require = createRequire(import.meta.url);

/** The folder holding blockcheck's own @types (for projects without @types/node). */
function bundledTypeRoot(): string | undefined {
  try {
    return path.dirname(path.dirname(require.resolve('@types/node/package.json')));
  } catch {
    return undefined;
  }
}

/** The nearest folder above `fileName` with a package.json (else the file's own folder). */
export function projectRootOf(fileName: string): string {
  const start = path.dirname(path.resolve(fileName));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

export function defaultCompilerOptions(rootDir: string, followDependencies = false): ts.CompilerOptions {
  const ownTypes = path.join(rootDir, 'node_modules', '@types');
  const typeRoots = fs.existsSync(path.join(ownTypes, 'node')) ? [ownTypes] : [bundledTypeRoot(), ownTypes].filter((root): root is string => !!root);
  return {
    allowJs: true,
    checkJs: false,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    jsx: ts.JsxEmit.Preserve,
    experimentalDecorators: true,
    types: ['node'],
    typeRoots,
    // Loading dependencies' JavaScript lets chains continue into them.
    maxNodeModuleJsDepth: followDependencies ? 2 : 0,
  };
}

export function sourceFilesUnder(rootDir: string): string[] {
  return ts.sys.readDirectory(rootDir, SOURCE_EXTENSIONS, EXCLUDED_FOLDERS, ['**/*']);
}

/**
 * A compiler host that survives files TypeScript cannot parse: a file nested too deeply for the parser's
 * recursion (a 10,000-level expression) is replaced by an empty file and reported in `parseFailures`,
 * instead of the stack overflow ending the whole program.
 */
export function createGuardedCompilerHost(
  options: ts.CompilerOptions,
  base: ts.CompilerHost = ts.createCompilerHost(options, true),
): {
  host: ts.CompilerHost;
  parseFailures: Map<string, string>;
} {
  const parseFailures = new Map<string, string>();
  const getSourceFile = base.getSourceFile.bind(base);
  // A copy of the host, not `Object.create(base)`: on Node 20 a host made a prototype stayed reachable after
  // its program was dropped, and with it every closure it holds and so the program (each program of a split
  // audit stayed in memory to the end).
  const host: ts.CompilerHost = {
    ...base,
    getSourceFile: (fileName, languageVersion, onError, shouldCreate) => {
      try {
        return getSourceFile(fileName, languageVersion, onError, shouldCreate);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        parseFailures.set(fileName, 'Parsing error: the file is nested too deeply to parse');
        return ts.createSourceFile(fileName, '', languageVersion, true);
      }
    },
  };
  return { host, parseFailures };
}

export function createDefaultProgram(
  rootDir: string,
  rootNames: readonly string[] = sourceFilesUnder(rootDir),
  options: { followDependencies?: boolean; host?: ts.CompilerHost; oldProgram?: ts.Program } = {},
): ts.Program {
  const compilerOptions = defaultCompilerOptions(rootDir, options.followDependencies);
  const { host } = createGuardedCompilerHost(compilerOptions, options.host);
  return ts.createProgram({
    rootNames,
    options: compilerOptions,
    host,
    ...(options.oldProgram ? { oldProgram: options.oldProgram } : {}),
  });
}
