/** What a file imports: the modules it names, and the program files they resolve to. */
import ts from 'typescript';
import { normalizeModuleName } from './declarations.js';

const specifiersByFile = new WeakMap<ts.SourceFile, readonly ts.Expression[]>();

/** The module specifiers of import/export declarations, `import x = require()`, `require()` and `import()` calls. */
function moduleSpecifiers(sourceFile: ts.SourceFile): readonly ts.Expression[] {
  let specifiers = specifiersByFile.get(sourceFile);
  if (!specifiers) {
    specifiers = collectModuleSpecifiers(sourceFile);
    specifiersByFile.set(sourceFile, specifiers);
  }
  return specifiers;
}

function collectModuleSpecifiers(sourceFile: ts.SourceFile): ts.Expression[] {
  const specifiers: ts.Expression[] = [];
  // Declarations are top-level statements (or in `declare module` blocks); only calls can be anywhere.
  if (!/\b(?:require|import)\s*\(|\bdeclare\s+module\b/.test(sourceFile.text)) {
    for (const statement of sourceFile.statements) {
      if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier) specifiers.push(statement.moduleSpecifier);
      else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference))
        specifiers.push(statement.moduleReference.expression);
    }
    return specifiers;
  }
  // A walk with its own stack: valid code can nest deeper than the call stack allows (a 5,000-term sum).
  const pending: ts.Node[] = [sourceFile];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) specifiers.push(node.moduleSpecifier);
    else if (ts.isExternalModuleReference(node)) specifiers.push(node.expression);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      const argument = node.arguments[0];
      if (argument && ts.isStringLiteralLike(argument)) specifiers.push(argument);
    }
    const children: ts.Node[] = [];
    ts.forEachChild(node, (child) => {
      children.push(child);
    });
    // Last child on top, so the specifiers come out in source order.
    for (let index = children.length - 1; index >= 0; index--) pending.push(children[index]!);
  }
  return specifiers;
}

/**
 * What a file's imports resolved to, per SourceFile object, checked again in each new program: an unchanged
 * file's imports can resolve elsewhere once a file is created, deleted or renamed. A program that reused
 * every resolution of the last one (an edit that changed no import) keeps each file's table of them, the
 * same object: only a new table is read again. The list stays the same array while its names are the
 * same, so that what was computed from it can be kept.
 */
interface ResolvedImports {
  names: readonly string[];
  /** The program last asked, by number: holding the program would keep every old one alive. */
  programId: number;
  /** The program's table of the file's resolutions the names were read from. */
  table: unknown;
}

const resolvedImports = new WeakMap<ts.SourceFile, ResolvedImports>();
const programIds = new WeakMap<ts.Program, number>();
let lastProgramId = 0;

function idOf(program: ts.Program): number {
  let id = programIds.get(program);
  if (id === undefined) {
    id = ++lastProgramId;
    programIds.set(program, id);
  }
  return id;
}

export function importedFiles(sourceFile: ts.SourceFile, program: ts.Program): ts.SourceFile[] {
  return resolvedImportNames(sourceFile, program).flatMap((fileName) => program.getSourceFile(fileName) ?? []);
}

/** The file names a file's imports resolve to in the program: a new array only when they changed. */
export function resolvedImportNames(sourceFile: ts.SourceFile, program: ts.Program): readonly string[] {
  const cached = resolvedImports.get(sourceFile);
  const programId = idOf(program);
  if (cached?.programId === programId) return cached.names;
  const table = resolutionTableOf(program, sourceFile);
  if (cached && table !== undefined && cached.table === table) {
    cached.programId = programId;
    return cached.names;
  }
  const resolve = resolverOf(program);
  const names = moduleSpecifiers(sourceFile).flatMap((specifier) => resolve(specifier, sourceFile) ?? []);
  if (cached && sameFileNames(names, cached.names)) {
    cached.programId = programId;
    cached.table = table;
    return cached.names;
  }
  resolvedImports.set(sourceFile, { names, programId, table });
  return names;
}

export function sameFileNames(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((name, index) => name === b[index]));
}

function resolverOf(program: ts.Program): ModuleResolver {
  let resolve = resolvers.get(program);
  if (!resolve) {
    resolve = moduleResolver(program);
    resolvers.set(program, resolve);
  }
  return resolve;
}

type ModuleResolver = (specifier: ts.Expression, sourceFile: ts.SourceFile) => string | undefined;

const resolvers = new WeakMap<ts.Program, ModuleResolver>();

/** TypeScript's own table of what the program resolved each module specifier to (not in its public typings). */
interface ProgramWithResolutions {
  getResolvedModuleFromModuleSpecifier?(specifier: ts.StringLiteralLike, sourceFile: ts.SourceFile): ts.ResolvedModuleWithFailedLookupLocations | undefined;
  /** By file path, the table of the file's resolutions: a program that reused them all has the same tables. */
  resolvedModules?: ReadonlyMap<string, unknown>;
}

/** The program's table of a file's resolutions, if this TypeScript version has one where we look. */
function resolutionTableOf(program: ts.Program, sourceFile: ts.SourceFile): unknown {
  const path = (sourceFile as { path?: string }).path;
  return path === undefined ? undefined : (program as ProgramWithResolutions).resolvedModules?.get(path);
}

/**
 * The program file a module specifier resolves to. The program resolved every import, `import()` and (in
 * JavaScript files) `require()` when it was built, and keeps the answers: reading them is a lookup. The
 * checker gives the same answer (the module's SourceFile) but binds and merges the module's symbol to get
 * there, which on a large project is most of the cost of the file roles; it stays the fallback for a
 * TypeScript version without the table.
 */
function moduleResolver(program: ts.Program): ModuleResolver {
  const table = (program as ProgramWithResolutions).getResolvedModuleFromModuleSpecifier?.bind(program);
  if (table) {
    return (specifier, sourceFile) => {
      if (!ts.isStringLiteralLike(specifier)) return undefined;
      const resolvedFileName = table(specifier, sourceFile)?.resolvedModule?.resolvedFileName;
      return resolvedFileName === undefined ? undefined : program.getSourceFile(resolvedFileName)?.fileName;
    };
  }
  const checker = program.getTypeChecker();
  return (specifier) => {
    try {
      const declaration = checker.getSymbolAtLocation(specifier)?.valueDeclaration;
      return declaration && ts.isSourceFile(declaration) ? declaration.fileName : undefined;
    } catch {
      return undefined;
    }
  };
}

const importedModulesByFile = new WeakMap<ts.SourceFile, readonly string[]>();

/** The packages and core modules a file imports, requires or declares (`declare module 'x'`), by name (`node:fs`). */
export function importedModules(sourceFile: ts.SourceFile): readonly string[] {
  let modules = importedModulesByFile.get(sourceFile);
  if (!modules) {
    const declared = sourceFile.statements.flatMap((statement) =>
      ts.isModuleDeclaration(statement) && ts.isStringLiteral(statement.name) ? [statement.name] : [],
    );
    modules = [...moduleSpecifiers(sourceFile), ...declared].flatMap((specifier) =>
      ts.isStringLiteralLike(specifier) && !/^[./]/.test(specifier.text) ? [normalizeModuleName(specifier.text)] : [],
    );
    importedModulesByFile.set(sourceFile, modules);
  }
  return modules;
}
