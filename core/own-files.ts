/**
 * Which files of a program are the user's own code (analysed for handlers, reported) and which are
 * dependencies (followed only when a chain needs them). A file under `node_modules` is a dependency unless
 * the program was built for it: `blockcheck audit ./node_modules/some-server` makes that package's files
 * the program's root files, while what they import from node_modules stays a dependency.
 */
import ts from 'typescript';

const NODE_MODULES = /[\\/]node_modules[\\/]/;

const rootFilesByProgram = new WeakMap<ts.Program, ReadonlySet<string>>();

function rootFilesOf(program: ts.Program): ReadonlySet<string> {
  let roots = rootFilesByProgram.get(program);
  if (!roots) {
    // Root names as given; TypeScript's file names use forward slashes.
    roots = new Set(program.getRootFileNames().map((fileName) => fileName.replace(/\\/g, '/')));
    rootFilesByProgram.set(program, roots);
  }
  return roots;
}

export function isOwnSourceFile(program: ts.Program, sourceFile: ts.SourceFile): boolean {
  if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile)) return false;
  return !NODE_MODULES.test(sourceFile.fileName) || rootFilesOf(program).has(sourceFile.fileName);
}
