/**
 * A cheap syntactic filter in front of the checker. Resolving `res.json(...)` means typing `res`, which
 * for a callback parameter means inferring the whole registration call it is passed to: most of an
 * analysis's cost. A method call is worth resolving only when its name could be a catalog API or a
 * function with a body that the analysis could follow; every other method call is skipped unresolved.
 */
import * as ts from 'typescript';
import type { CatalogEntry } from './types.js';
import { normalizeModuleName, packageOfFile } from './declarations.js';
import { isTypeOnly } from './handlers.js';
import { importedModules } from './imports.js';
import { specifierNames } from './specifiers.js';

export class CallCandidates {
  private readonly exactNames = new Set<string>();
  private readonly namePatterns: RegExp[] = [];
  /** Packages whose every export blocks (`*` entries): their members are candidates whatever the name. */
  readonly wildcardModules = new Set<string>();
  /** The catalog packages the program can reach: summaries computed under another set are recomputed. */
  readonly reachableCatalogKey: string;

  /**
   * `reachableModules`: a package's APIs can only be called where the program has its declarations or
   * imports it, so the names of the others (better-sqlite3's `get`, `all`, `run`) are no reason to type
   * every `map.get()` receiver.
   */
  constructor(catalog: readonly CatalogEntry[], followedFiles: readonly ts.SourceFile[], reachableModules: ReadonlySet<string>) {
    const reachablePackages = new Set<string>();
    for (const entry of catalog) {
      const declaration = entry.declaration;
      if (declaration.from === 'package') {
        const module = normalizeModuleName(declaration.package);
        if (!reachableModules.has(module)) continue;
        reachablePackages.add(module);
      }
      for (const name of specifierNames(entry.declaration)) {
        const last = name.split('.').pop() ?? name;
        if (last === '*') {
          if (entry.declaration.from === 'package') this.wildcardModules.add(entry.declaration.package);
        } else if (last.includes('*')) {
          this.namePatterns.push(new RegExp(`^${last.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
        } else {
          this.exactNames.add(last);
        }
      }
    }
    this.reachableCatalogKey = [...reachablePackages].sort().join('\n');
    for (const sourceFile of followedFiles) {
      let names = declaredNamesByFile.get(sourceFile);
      if (!names) {
        names = declaredNames(sourceFile);
        declaredNamesByFile.set(sourceFile, names);
      }
      for (const name of names) this.exactNames.add(name);
    }
  }

  isCandidateName(name: string): boolean {
    return this.exactNames.has(name) || this.namePatterns.some((pattern) => pattern.test(name));
  }
}

/** @types/node declares every core module and imports them among themselves: that alone reaches none of them. */
const NODE_TYPES = /[\\/]node_modules[\\/]@types[\\/]node[\\/]/;

/**
 * The modules whose APIs a program can call: packages with files in it (their declarations or code), and
 * modules that its files, or its packages' declarations, import, require (typed or not) or declare
 * (`declare module 'x'`). Node's core modules count once something other than @types/node imports them.
 */
export function reachableModules(program: ts.Program): Set<string> {
  const modules = new Set<string>();
  for (const sourceFile of program.getSourceFiles()) {
    const packageName = packageOfFile(sourceFile.fileName);
    if (packageName !== undefined) modules.add(packageName);
    if (NODE_TYPES.test(sourceFile.fileName) || program.isSourceFileDefaultLibrary(sourceFile)) continue;
    for (const module of importedModules(sourceFile)) modules.add(module);
  }
  return modules;
}

/** A file's declared names depend on its text alone: computed once per SourceFile object. */
const declaredNamesByFile = new WeakMap<ts.SourceFile, readonly string[]>();

/** Names of functions and methods with bodies, and of properties and variables holding functions. */
function declaredNames(sourceFile: ts.SourceFile): string[] {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isTypeOnly(node)) return;
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node)) && node.name) {
      names.add(node.name.getText(sourceFile));
    } else if ((ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) && node.initializer &&
      (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer) || ts.isClassExpression(node.initializer))) {
      names.add(node.name.getText(sourceFile));
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) &&
      (ts.isArrowFunction(node.right) || ts.isFunctionExpression(node.right))) {
      names.add(node.left.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return [...names];
}
