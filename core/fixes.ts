/**
 * The rewrite to the async alternative, offered when it is safe: a `node:fs` sync call with a
 * `fs.promises` twin of the same arguments and result, inside an async function. The rules turn it into
 * an ESLint suggestion and the language server into a quick fix.
 */
import ts from 'typescript';
import type { CatalogMatch } from './catalog-match.js';
import { skipOuterExpressions } from './resolve.js';
import type { Fix, TextChange } from './types.js';
import { parentOf } from './parent-node.js';

/** fs functions whose `fs.promises` twin takes the same arguments and resolves to the same value. */
const FS_PROMISE_TWINS = new Set([
  'access',
  'appendFile',
  'chmod',
  'chown',
  'copyFile',
  'cp',
  'lchown',
  'lutimes',
  'link',
  'lstat',
  'mkdir',
  'mkdtemp',
  'readdir',
  'readFile',
  'readlink',
  'realpath',
  'rename',
  'rm',
  'rmdir',
  'stat',
  'statfs',
  'symlink',
  'truncate',
  'unlink',
  'utimes',
  'writeFile',
]);

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = parentOf(node); current; current = parentOf(current)) {
    if (ts.isFunctionLike(current)) return current;
  }
  return undefined;
}

function isAsyncFunction(fn: ts.SignatureDeclaration | undefined): boolean {
  return !!fn && (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) !== 0;
}

/** `x.y()` and `x()` with a call result used as an object need parentheses around `await x()`. */
function needsParentheses(call: ts.Node): boolean {
  const parent = call.parent;
  return (
    ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === call) ||
    (ts.isCallExpression(parent) && parent.expression === call) ||
    ts.isTaggedTemplateExpression(parent)
  );
}

function declaresTopLevelName(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some((statement) => {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!clause) return false;
      if (clause.name?.text === name) return true;
      const bindings = clause.namedBindings;
      if (!bindings) return false;
      return ts.isNamespaceImport(bindings) ? bindings.name.text === name : bindings.elements.some((element) => element.name.text === name);
    }
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return statement.name?.text === name;
    if (ts.isVariableStatement(statement)) {
      return statement.declarationList.declarations.some((declaration) => declaration.name.getText().includes(name));
    }
    return false;
  });
}

/** `import { readFile } from 'node:fs/promises'` (or the CommonJS require) when it is not there yet. */
function importChange(sourceFile: ts.SourceFile, name: string): TextChange | undefined | 'conflict' {
  const alreadyImported = sourceFile.statements.some(
    (statement) =>
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      /^(?:node:)?fs\/promises$/.test(statement.moduleSpecifier.text) &&
      !!statement.importClause?.namedBindings &&
      ts.isNamedImports(statement.importClause.namedBindings) &&
      statement.importClause.namedBindings.elements.some((element) => element.name.text === name && !element.propertyName),
  );
  if (alreadyImported) return undefined;
  if (declaresTopLevelName(sourceFile, name)) return 'conflict';
  const imports = sourceFile.statements.filter(ts.isImportDeclaration);
  const isCommonJs = imports.length === 0 && /\brequire\(/.test(sourceFile.text) && !sourceFile.fileName.endsWith('.mjs');
  const text = isCommonJs ? `const { ${name} } = require('node:fs/promises');\n` : `import { ${name} } from 'node:fs/promises';\n`;
  const anchor =
    imports[imports.length - 1] ?? (isCommonJs ? sourceFile.statements.find((statement) => /\brequire\(/.test(statement.getText(sourceFile))) : undefined);
  if (!anchor) {
    const shebangEnd = sourceFile.text.startsWith('#!') ? sourceFile.text.indexOf('\n') + 1 : 0;
    return { fileName: sourceFile.fileName, start: shebangEnd, end: shebangEnd, newText: text };
  }
  return { fileName: sourceFile.fileName, start: anchor.getEnd(), end: anchor.getEnd(), newText: `\n${text.trimEnd()}` };
}

export function asyncRewriteFix(call: ts.CallExpression | ts.NewExpression, match: CatalogMatch): Fix | undefined {
  if (!ts.isCallExpression(call) || match.entry.declaration.from !== 'package' || match.entry.declaration.package !== 'node:fs') return undefined;
  if (!match.apiName.endsWith('Sync')) return undefined;
  const asyncName = match.apiName.slice(0, -'Sync'.length);
  if (!FS_PROMISE_TWINS.has(asyncName) || !isAsyncFunction(enclosingFunction(call))) return undefined;
  const sourceFile = call.getSourceFile();
  const callee = skipOuterExpressions(call.expression);
  const changes: TextChange[] = [];
  let replacement: string;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    replacement = `${callee.expression.text}.promises.${asyncName}`;
  } else if (ts.isIdentifier(callee)) {
    const change = importChange(sourceFile, asyncName);
    if (change === 'conflict') return undefined;
    if (change) changes.push(change);
    replacement = asyncName;
  } else {
    return undefined;
  }
  const parenthesize = needsParentheses(call);
  changes.push({
    fileName: sourceFile.fileName,
    start: call.getStart(sourceFile),
    end: call.expression.getEnd(),
    newText: `${parenthesize ? '(' : ''}await ${replacement}`,
  });
  if (parenthesize) changes.push({ fileName: sourceFile.fileName, start: call.getEnd(), end: call.getEnd(), newText: ')' });
  return { description: `Replace with await ${replacement}(...)`, changes: changes.sort((a, b) => a.start - b.start) };
}
