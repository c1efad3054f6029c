/**
 * Calls whose target the analysis cannot know: a member picked by a key no literal type or caller names
 * (`handlers[kind](req)`, `crypto[method](data)`), and a module loaded by a name computed at run time
 * (`require(pluginPath)`). The walk cannot follow them, so whatever they run is neither flagged nor cleared;
 * `audit --strict` lists the ones handlers reach, and the runtime probe can settle them.
 */
import ts from 'typescript';
import { computedKeyNames } from './computed-keys.js';
import { requireCallName, skipOuterExpressions, type CallLike } from './resolve.js';
import type { UnresolvedReason } from './types.js';

export interface UnresolvedDispatch {
  reason: UnresolvedReason;
  /** The node reported: the key of a computed member, the argument of `require()`. */
  site: ts.Node;
}

/** Why the call's target cannot be known, for a call the resolver and the catalog both left unresolved. */
export function unresolvedDispatchOf(call: CallLike, callee: ts.Expression, checker: ts.TypeChecker): UnresolvedDispatch | undefined {
  const inner = skipOuterExpressions(callee);
  // `const run = handlers[kind]; run(req)` picks the same way as `handlers[kind](req)`.
  const member = ts.isElementAccessExpression(inner) ? inner : ts.isIdentifier(inner) ? memberAliasedBy(inner, checker) : undefined;
  if (member) {
    const key = skipOuterExpressions(member.argumentExpression);
    if (ts.isStringLiteralLike(key) || ts.isNumericLiteral(key) || isIndexKey(key, checker)) return undefined;
    return computedKeyNames(key, checker).length === 0 ? { reason: 'computed-member', site: key } : undefined;
  }
  const argument = ts.isCallExpression(call) ? dynamicRequireArgument(call) : undefined;
  return argument ? { reason: 'dynamic-require', site: argument } : undefined;
}

/** The computed member a variable is declared with (`const run = handlers[kind]`). */
function memberAliasedBy(name: ts.Identifier, checker: ts.TypeChecker): ts.ElementAccessExpression | undefined {
  let symbol: ts.Symbol | undefined;
  try {
    symbol = checker.getSymbolAtLocation(name);
  } catch {
    return undefined;
  }
  const declaration = symbol?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || symbol?.declarations?.length !== 1) return undefined;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isElementAccessExpression(initializer) ? initializer : undefined;
}

/**
 * A numeric or symbol key walks a list (`stack[i](req, res, next)`, a middleware chain): what such lists hold
 * was registered somewhere, and what is registered is walked from its registration.
 */
function isIndexKey(key: ts.Expression, checker: ts.TypeChecker): boolean {
  let type: ts.Type;
  try {
    type = checker.getTypeAtLocation(key);
  } catch {
    return false;
  }
  return (type.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.ESSymbolLike)) !== 0;
}

/** The argument of `require(expr)` when it is not a literal module name. */
function dynamicRequireArgument(call: ts.CallExpression): ts.Expression | undefined {
  const argument = requireCallName(call) && call.arguments[0];
  if (!argument) return undefined;
  return ts.isStringLiteralLike(skipOuterExpressions(argument)) ? undefined : argument;
}
