/**
 * A cheap syntactic filter in front of the checker. Resolving `res.json(...)` means typing `res`, which
 * for a callback parameter means inferring the whole registration call it is passed to: most of an
 * analysis's cost. A method call is worth resolving only when its name could be a catalog API or a
 * function with a body that the analysis could follow; every other method call is skipped unresolved.
 */
import * as ts from 'typescript';
import type { CatalogEntry } from './types.js';
import { specifierNames } from './specifiers.js';

export class CallCandidates {
  private readonly exactNames = new Set<string>();
  private readonly namePatterns: RegExp[] = [];
  /** Packages whose every export blocks (`*` entries): their members are candidates whatever the name. */
  readonly wildcardModules = new Set<string>();

  constructor(catalog: readonly CatalogEntry[], followedFiles: readonly ts.SourceFile[]) {
    for (const entry of catalog) {
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

/** A file's declared names depend on its text alone: computed once per SourceFile object. */
const declaredNamesByFile = new WeakMap<ts.SourceFile, readonly string[]>();

/** Names of functions and methods with bodies, and of properties and variables holding functions. */
function declaredNames(sourceFile: ts.SourceFile): string[] {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
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
