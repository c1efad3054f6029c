/**
 * Named async functions: entry points of their own unless some file registers them (they then carry that
 * label) or calls them while loading (startup code); see `combineHandlerScans`. Anonymous async callbacks
 * run when their enclosing code runs, so they are not entry points of their own.
 */
import * as ts from 'typescript';
import { isImmediatelyInvoked, type FunctionNode } from '../syntax-index.js';
import { noRequestParameters, type FrameworkModel } from './model.js';

function isAsync(fn: FunctionNode): boolean {
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

/** The name of a named async function (declaration, method, or function stored in a variable or property). */
function asyncFunctionName(fn: FunctionNode): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text ?? 'default';
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) {
    const member = fn.name.getText();
    const owner = ts.isClassLike(fn.parent) ? fn.parent.name?.text : undefined;
    return owner ? `${owner}.${member}` : member;
  }
  if (ts.isFunctionExpression(fn) && fn.name) return fn.name.text;
  const holder = fn.parent;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  // `exports.handler = async () => ...`, `module.exports.run = async function () {}`
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(holder.left)) {
    return holder.left.name.text;
  }
  if (ts.isPropertyDeclaration(holder) || ts.isPropertyAssignment(holder)) {
    const owner = ts.isClassLike(holder.parent) ? holder.parent.name?.text : undefined;
    const member = holder.name.getText();
    return owner ? `${owner}.${member}` : member;
  }
  return undefined;
}

export const asyncFunctionsModel: FrameworkModel = {
  name: 'async-functions',
  matchFunction(fn, context) {
    if (!isAsync(fn)) return;
    const name = asyncFunctionName(fn);
    if (name === undefined || isImmediatelyInvoked(fn)) return;
    const site = (fn as { name?: ts.Node }).name ?? fn;
    context.addCandidate(fn, { kind: 'async-function', label: `async ${name}()`, site, requestParameters: noRequestParameters });
  },
};
