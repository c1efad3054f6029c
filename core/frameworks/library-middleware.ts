/**
 * Middleware a library exports for its users to register: Connect/Express `(req, res, next)` and Koa/Hono
 * `(ctx, next)` functions exported or returned from factories (directly or through a variable), and methods
 * installed on request, response or context objects (`res.render = function`, `ctx.render = ...`). Nobody
 * registers them in the library's own code, yet they run on its users' event loops.
 */
import ts from 'typescript';
import type { FunctionNode } from '../syntax-index.js';
import { expressRequestParameter, type FrameworkModel } from './model.js';
import { exportName, returningFunction } from './syntax.js';

const REQUEST_OBJECT_NAMES = /^(?:req|res|request|response|ctx|context)$/;
const REQUEST_PARAMETER = /^(?:req|request)$/;
const RESPONSE_PARAMETER = /^(?:res|response|reply)$/;
const CONTEXT_PARAMETER = /^(?:ctx|context|c)$/;
const NEXT_PARAMETER = /^(?:next|nxt|done)$/;

/**
 * `(req, res)`, `(req, res, next)`, `(err, req, res, next)`, Koa's and Hono's `(ctx, next)`, or any function
 * that takes a `req` (a proxy's `context(pathname, req)` filter, a router's `match(req)`).
 */
function hasMiddlewareParameters(fn: FunctionNode): boolean {
  const names = fn.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : ''));
  if (names.includes('req')) return true;
  if (names.length === 2 && CONTEXT_PARAMETER.test(names[0]!) && NEXT_PARAMETER.test(names[1]!)) return true;
  const offset = names.length === 4 ? 1 : 0;
  return names.length >= 2 && REQUEST_PARAMETER.test(names[offset] ?? '') && RESPONSE_PARAMETER.test(names[offset + 1] ?? '');
}

function middlewareName(fn: FunctionNode): string | undefined {
  const holder = fn.parent;
  // `res.render = function render() {}`: a method every request's response carries.
  if (
    ts.isBinaryExpression(holder) &&
    holder.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    holder.right === fn &&
    ts.isPropertyAccessExpression(holder.left) &&
    ts.isIdentifier(holder.left.expression) &&
    REQUEST_OBJECT_NAMES.test(holder.left.expression.text)
  ) {
    return `${holder.left.expression.text}.${holder.left.name.text}()`;
  }
  if (!hasMiddlewareParameters(fn)) return undefined;
  const exportedAs = exportName(fn);
  if (exportedAs !== undefined) return `middleware ${exportedAs}`;
  const factory = returningFunction(fn);
  if (factory) {
    const factoryName = ts.isFunctionDeclaration(factory) || ts.isFunctionExpression(factory) ? factory.name?.text : undefined;
    const holderName = ts.isVariableDeclaration(factory.parent) && ts.isIdentifier(factory.parent.name) ? factory.parent.name.text : undefined;
    return `middleware ${factoryName ?? holderName ?? exportName(factory) ?? '(factory)'}()`;
  }
  // Any other function of a middleware's shape is registered somewhere the analysis cannot see (a method a
  // server class mounts, a wrapper that registers what it is given): it serves requests all the same.
  const own = functionName(fn);
  return own === undefined ? 'middleware' : `middleware ${own}`;
}

/** A function's own name, or that of the variable, property or method holding it. */
function functionName(fn: FunctionNode): string | undefined {
  const name = (fn as { name?: ts.Node }).name;
  if (name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name))) return name.text;
  const holder = fn.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name)) {
    return holder.name.text;
  }
  if (ts.isBinaryExpression(holder) && ts.isPropertyAccessExpression(holder.left)) return holder.left.name.text;
  return undefined;
}

export const libraryMiddlewareModel: FrameworkModel = {
  name: 'library-middleware',
  matchFunction(fn, context) {
    const name = middlewareName(fn);
    if (name === undefined) return;
    const site = (fn as { name?: ts.Node }).name ?? fn;
    context.addCandidate(fn, { kind: 'library-middleware', label: name, site, requestParameters: expressRequestParameter });
  },
};
