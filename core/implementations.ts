/**
 * Compiled packages ship a `.d.ts` beside each `.js`, and module resolution prefers the declaration file:
 * `require('./utils')` in `lib/htpasswd.js` resolves to `lib/utils.d.ts`, which has no bodies to follow. For
 * the program's own files, a declaration is mapped back to the function of the same name in the sibling
 * JavaScript file (top-level functions, and methods of top-level classes).
 */
import ts from 'typescript';
import { skipOuterExpressions } from './resolve.js';

const DECLARATION_FILE = /\.d\.([cm]?)ts$/;

/** The JavaScript file a declaration file describes (`utils.d.ts` → `utils.js`); other names unchanged. */
export function implementationFileName(fileName: string): string {
  return fileName.replace(DECLARATION_FILE, '.$1js');
}

export function implementationOf(declaration: ts.Node, program: ts.Program): ts.Node | undefined {
  const declarationFile = declaration.getSourceFile();
  if (!declarationFile.isDeclarationFile || /[\\/]node_modules[\\/]/.test(declarationFile.fileName)) return undefined;
  const implementationFile = program.getSourceFile(implementationFileName(declarationFile.fileName));
  if (!implementationFile || implementationFile.isDeclarationFile) return undefined;
  if (ts.isFunctionDeclaration(declaration) && declaration.name) return topLevelFunction(implementationFile, declaration.name.text);
  if (
    (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration)) &&
    ts.isIdentifier(declaration.name) &&
    ts.isClassDeclaration(declaration.parent) &&
    declaration.parent.name
  ) {
    const owner = topLevelClass(implementationFile, declaration.parent.name.text);
    const method = declaration.name.text;
    return owner?.members.find((member) => ts.isMethodDeclaration(member) && !!member.body && ts.isIdentifier(member.name) && member.name.text === method);
  }
  return undefined;
}

/** `function name() {}`, `var name = function () {}` or `exports.name = function () {}` at the top level. */
function topLevelFunction(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body) return statement;
    if (ts.isVariableStatement(statement)) {
      for (const variable of statement.declarationList.declarations) {
        if (ts.isIdentifier(variable.name) && variable.name.text === name && variable.initializer) return skipOuterExpressions(variable.initializer);
      }
    }
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      ts.isPropertyAccessExpression(statement.expression.left) &&
      statement.expression.left.name.text === name
    ) {
      const value = skipOuterExpressions(statement.expression.right);
      if (ts.isFunctionExpression(value) || ts.isArrowFunction(value)) return value;
    }
  }
  return undefined;
}

function topLevelClass(sourceFile: ts.SourceFile, name: string): ts.ClassLikeDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isClassDeclaration(statement) && statement.name?.text === name) return statement;
    if (ts.isVariableStatement(statement)) {
      for (const variable of statement.declarationList.declarations) {
        const value = variable.initializer && skipOuterExpressions(variable.initializer);
        if (ts.isIdentifier(variable.name) && variable.name.text === name && value && ts.isClassExpression(value)) return value;
      }
    }
  }
  return undefined;
}
