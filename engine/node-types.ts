/**
 * Whether a program sees Node's types. Without them (no @types/node installed, or a tsconfig whose `types`
 * leaves it out) `import fs from 'node:fs'` resolves to nothing, calls into Node are matched by name only and
 * many blocking calls go unreported: the CLI and the language server both say so, in the same words.
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/** A one-line warning when the program's files import Node's core modules but Node's types do not resolve. */
export function nodeTypesWarning(program: ts.Program, fileNames: Iterable<string>, cwd: string): string | undefined {
  const declared = new Set(
    program
      .getTypeChecker()
      .getAmbientModules()
      .map((module) => module.name),
  );
  if (declared.has('"fs"') || declared.has('"node:fs"')) return undefined;
  for (const fileName of fileNames) {
    const sourceFile = program.getSourceFile(fileName);
    const specifier = sourceFile && firstCoreImport(sourceFile);
    if (specifier === undefined) continue;
    const types = program.getCompilerOptions().types;
    const listed = types && !types.includes('node') ? ' and add "node" to compilerOptions.types' : '';
    return (
      `Node's types do not resolve (${path.relative(cwd, fileName) || fileName} imports '${specifier}'), so calls into Node are ` +
      `matched by name only and some are missed: install @types/node (npm install --save-dev @types/node)${listed}`
    );
  }
  return undefined;
}

/** The first Node core module a file imports at its top level (`import`, `import x =`, `require`). */
function firstCoreImport(sourceFile: ts.SourceFile): string | undefined {
  for (const statement of sourceFile.statements) {
    const specifiers: ts.Expression[] = [];
    if (ts.isImportDeclaration(statement)) specifiers.push(statement.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      specifiers.push(statement.moduleReference.expression);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const initializer = declaration.initializer;
        if (initializer && ts.isCallExpression(initializer) && ts.isIdentifier(initializer.expression) && initializer.expression.text === 'require') {
          specifiers.push(...initializer.arguments.slice(0, 1));
        }
      }
    }
    const core = specifiers.find((specifier) => ts.isStringLiteralLike(specifier) && isBuiltin(specifier.text));
    if (core) return (core as ts.StringLiteralLike).text;
  }
  return undefined;
}
