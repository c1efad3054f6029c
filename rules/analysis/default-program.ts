/**
 * The program for code without a tsconfig: every JS/TS file under a project root, JavaScript allowed,
 * Node core typed by @types/node (the project's own, else the copy blockcheck ships), so `require('fs')`
 * resolves in a plain JavaScript project that has never heard of TypeScript.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
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

export function createDefaultProgram(
  rootDir: string,
  rootNames: readonly string[] = sourceFilesUnder(rootDir),
  options: { followDependencies?: boolean; host?: ts.CompilerHost; oldProgram?: ts.Program } = {},
): ts.Program {
  const compilerOptions = defaultCompilerOptions(rootDir, options.followDependencies);
  return ts.createProgram({
    rootNames,
    options: compilerOptions,
    ...(options.host ? { host: options.host } : {}),
    ...(options.oldProgram ? { oldProgram: options.oldProgram } : {}),
  });
}
