/**
 * Named async functions, and named functions of the callback style that came before promises (a last
 * parameter `callback`, `cb` or `done`: a session store's `get(sid, cb)`, an auth plugin's
 * `authenticate(user, password, cb)`): entry points of their own, a library's API its users call per request,
 * unless some file registers them (they then carry that label) or startup code calls them; see
 * `combineHandlerScans`. Not entry points: anonymous callbacks, which run when their enclosing code runs,
 * and functions whose names say they start or stop the program (`start`, `init`, `listen`, `close` ...).
 */
import ts from 'typescript';
import { isImmediatelyInvoked, type FunctionNode } from '../syntax-index.js';
import { noRequestParameters, type FrameworkModel } from './model.js';
import { skipOuterExpressions } from '../resolve.js';
import { parentOf } from '../parent-node.js';

function isAsync(fn: FunctionNode): boolean {
  return (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) !== 0 || isCompiledAsync(fn);
}

/**
 * An async function a compiler lowered to a generator: its body returns a helper's run of a `function*`
 * (tsc's `__awaiter(this, void 0, void 0, function* () {...})`, esbuild's `__async(this, null, function* ...)`,
 * Bublé's `__async(function* () {...}.call(this))`, Babel's `_asyncToGenerator(function* () {...})`).
 */
function isCompiledAsync(fn: FunctionNode): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  const statements = body.statements.filter((statement) => !ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression));
  const only = statements.length === 1 ? statements[0] : undefined;
  if (!only || !ts.isReturnStatement(only) || !only.expression) return false;
  const run = skipOuterExpressions(only.expression);
  return ts.isCallExpression(run) && run.arguments.some(isGeneratorRun);
}

/** `function* () {}` itself, or its `.call(this)` / `.apply(this, arguments)`. */
function isGeneratorRun(argument: ts.Expression): boolean {
  let inner = skipOuterExpressions(argument);
  if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && /^(?:call|apply)$/.test(inner.expression.name.text)) {
    inner = skipOuterExpressions(inner.expression.expression);
  }
  return ts.isFunctionExpression(inner) && inner.asteriskToken !== undefined;
}

const CALLBACK_PARAMETER = /^(?:callback|cb|done)$/;

function takesCallback(fn: FunctionNode): boolean {
  const last = fn.parameters[fn.parameters.length - 1];
  return !!last && ts.isIdentifier(last.name) && CALLBACK_PARAMETER.test(last.name.text);
}

/**
 * A callback-style function is API when a caller outside can reach it: not one nested in another function
 * (a webpack plugin's `const done = (stats, callback) => ...` inside `apply`), which runs when that code runs.
 * Module-pattern IIFEs (`var X = (function () { ... }())`) do not count as nesting.
 */
function isNestedInFunction(fn: FunctionNode): boolean {
  for (let current = parentOf(fn); current && !ts.isSourceFile(current); current = parentOf(current)) {
    if (ts.isFunctionLike(current) && !isImmediatelyInvoked(current)) return true;
  }
  return false;
}

/** `start`, `startServer`, `init`, `listen`, `close`, `shutdown` ...: the program's own lifecycle, run once. */
const LIFECYCLE_NAME =
  /^_*(?:start|stop|restart|init|initiali[sz]e|setup|setUp|bootstrap|boot|listen|close|shutdown|teardown|dispose|configure|install|generate|main)(?![a-z])/;

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
    if (!isAsync(fn) && (!takesCallback(fn) || isNestedInFunction(fn))) return;
    const name = asyncFunctionName(fn);
    if (name === undefined || isImmediatelyInvoked(fn) || LIFECYCLE_NAME.test(name.slice(name.lastIndexOf('.') + 1))) return;
    const site = (fn as { name?: ts.Node }).name ?? fn;
    context.addCandidate(fn, {
      kind: 'async-function',
      label: `${isAsync(fn) ? 'async' : 'callback API'} ${name}()`,
      site,
      requestParameters: noRequestParameters,
    });
  },
};
