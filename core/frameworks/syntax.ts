/** Small syntax readers the framework models share: literal values, route paths, object literal members. */
import ts from 'typescript';
import { skipOuterExpressions } from '../resolve.js';
import { isFunctionNode, isImmediatelyInvoked, type FunctionNode } from '../syntax-index.js';
import { parentOf } from '../parent-node.js';

export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'search']);

export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = ts.isExpression(node) ? skipOuterExpressions(node) : node;
  if (ts.isStringLiteralLike(inner)) return inner.text;
  if (ts.isRegularExpressionLiteral(inner)) return inner.text;
  return undefined;
}

/** A route path: `'/x'`, `'*'`, a regex literal, or an array of those. */
export function isPathLike(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  const inner = skipOuterExpressions(node);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.length > 0 && inner.elements.every((element) => isPathLike(element));
  const text = stringValue(inner);
  return text !== undefined && (text.startsWith('/') || text.startsWith('*') || ts.isRegularExpressionLiteral(inner));
}

export function pathText(node: ts.Expression | undefined): string {
  if (!node) return '/';
  const inner = skipOuterExpressions(node);
  if (ts.isArrayLiteralExpression(inner)) return pathText(inner.elements[0]);
  return stringValue(inner) ?? '<dynamic>';
}

export function joinRoutePaths(...parts: Array<string | undefined>): string {
  const joined = parts.filter((part): part is string => !!part).join('/');
  return `/${joined}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

export function objectProperty(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
    if (ts.isMethodDeclaration(property) && ts.isIdentifier(property.name) && property.name.text === name) return undefined;
  }
  return undefined;
}

export function objectMethod(object: ts.ObjectLiteralExpression, name: string): ts.MethodDeclaration | undefined {
  return object.properties.find(
    (property): property is ts.MethodDeclaration => ts.isMethodDeclaration(property) && ts.isIdentifier(property.name) && property.name.text === name,
  );
}

/** The name a function is exported under (`export function x`, `module.exports = fn`, `exports.x = fn`). */
export function exportName(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) {
    return fn.name?.text ?? 'default';
  }
  const holder = fn.parent;
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && holder.right === fn) {
    const target = holder.left.getText();
    if (target === 'module.exports') return ts.isFunctionExpression(fn) && fn.name ? fn.name.text : 'default';
    const match = /^(?:module\.)?exports\.(\w+)$/.exec(target);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * The function that returns `fn`: `return function (req, res, next) {...}`, an arrow's body, or a function
 * held in a local variable (or declared in the factory) and returned by name (`const mw = ...; return mw`).
 */
export function returningFunction(fn: FunctionNode): ts.FunctionLikeDeclaration | undefined {
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isArrowFunction(parent) && parent.body === node) return parent;
  if (ts.isReturnStatement(parent)) return enclosingFunctionOf(parent);
  const name = ts.isFunctionDeclaration(fn)
    ? fn.name
    : ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)
      ? parent.name
      : undefined;
  const factory = name && enclosingFunctionOf(fn);
  return factory && returnsName(factory, name.text) ? factory : undefined;
}

function enclosingFunctionOf(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = parentOf(node); current; current = parentOf(current)) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
}

/** Whether the function's own body (not a nested function's) has `return <name>`. */
function returnsName(fn: ts.FunctionLikeDeclaration, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression);
      found = ts.isIdentifier(value) && value.text === name;
      return;
    }
    if (!isFunctionNode(node)) ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return found;
}

/** Code that runs while the module is loaded: not inside any function other than an IIFE. */
export function runsAtModuleLoad(node: ts.Node): boolean {
  for (let current = parentOf(node); current && !ts.isSourceFile(current); current = parentOf(current)) {
    if (ts.isFunctionLike(current) && !isImmediatelyInvoked(current)) return false;
  }
  return true;
}
