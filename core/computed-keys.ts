/**
 * The names a computed member key can hold: `zlib[method](data)` runs `zlib.gunzipSync` when `method` is
 * `'gunzipSync'`. Read from the key's type when it is a union of string literals (a `const` or a
 * conditional), else, for a parameter, from the string literals its function's callers in the same file
 * pass (`const unzip = zipOrUnzip('gunzipSync')`).
 */
import ts from 'typescript';
import { skipOuterExpressions } from './resolve.js';
import { parentOf } from './parent-node.js';

const MAX_NAMES = 16;

export function computedKeyNames(key: ts.Expression, checker: ts.TypeChecker): string[] {
  const inner = skipOuterExpressions(key);
  if (ts.isStringLiteralLike(inner)) return [inner.text];
  const fromType = literalNamesOfType(inner, checker);
  if (fromType.length > 0) return fromType;
  if (!ts.isIdentifier(inner)) return [];
  let symbol: ts.Symbol | undefined;
  try {
    symbol = checker.getSymbolAtLocation(inner);
  } catch {
    return [];
  }
  const parameter = symbol?.valueDeclaration;
  return parameter && ts.isParameter(parameter) ? literalsPassedTo(parameter) : [];
}

function literalNamesOfType(node: ts.Expression, checker: ts.TypeChecker): string[] {
  let type: ts.Type;
  try {
    type = checker.getTypeAtLocation(node);
  } catch {
    return [];
  }
  const members = type.isUnion() ? type.types : [type];
  if (!members.every((member) => member.isStringLiteral())) return [];
  return members.slice(0, MAX_NAMES).map((member) => member.value);
}

/** The string literals (either branch of a conditional too) passed for a parameter by calls of its function by name. */
function literalsPassedTo(parameter: ts.ParameterDeclaration): string[] {
  const fn = parameter.parent;
  const index = fn.parameters.indexOf(parameter);
  const name = functionName(fn);
  if (name === undefined || parameter.dotDotDotToken) return [];
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (names.size >= MAX_NAMES) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const argument = node.arguments[index];
      if (ts.isIdentifier(callee) && callee.text === name && argument) {
        for (const value of literalAlternatives(argument)) names.add(value);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.getSourceFile());
  return [...names];
}

function literalAlternatives(expression: ts.Expression): string[] {
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (ts.isConditionalExpression(node)) return [...literalAlternatives(node.whenTrue), ...literalAlternatives(node.whenFalse)];
  return [];
}

function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  const holder = parentOf(fn);
  return holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : undefined;
}
