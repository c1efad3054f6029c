/**
 * Branches selected by a function's arguments. `getScript(name, mode)` reads a file only when
 * `mode === 'static'`; a handler that calls it with `'server'` never reaches the read, and
 * `glob(pattern, {}, cb)` never takes glob's `if (options.sync)` branch. Summaries stay independent of the
 * caller: each site records the conditions on its function's parameters that guard it, and each call the
 * values it passes (literals, or the caller's own parameters); the walk carries the literals it knows
 * down the chain and skips the sites whose guard they contradict. What is not known never hides a site.
 */
import ts from 'typescript';
import { skipOuterExpressions } from './resolve.js';
import { parentOf } from './parent-node.js';

export type Literal = string | number | boolean | null | undefined;

/** A parameter, or a property path inside it: `options.sync` is `{ parameter: 1, path: ['sync'] }`. */
export interface ParameterPath {
  parameter: number;
  path: readonly string[];
}

export interface BranchGuard extends ParameterPath {
  /** `=== value` (or `!==` when `holds` is false); truthiness when `equals` is absent. */
  equals?: { value: Literal };
  holds: boolean;
}

/** What a call passes for one parameter, as far as the syntax says. */
export type ArgumentValue =
  | { kind: 'literal'; value: Literal }
  | ({ kind: 'parameter' } & ParameterPath)
  /** An object literal; `closed` when it has no spread, so a property it lacks is `undefined`. */
  | { kind: 'object'; properties: ReadonlyMap<string, ArgumentValue>; closed: boolean }
  | undefined;

/** The literals known in one walk state, by `parameter.path`; closed objects answer `undefined` for the rest. */
export interface KnownArguments {
  values: ReadonlyMap<string, Literal>;
  /** Object literals without a spread, by path, with the properties they have (known or not). */
  closedObjects: ReadonlyMap<string, ReadonlySet<string>>;
  /** Stable text for deduplicating walk states. */
  key: string;
}

const MAX_GUARDS = 8;
const MAX_KNOWN = 32;

/** The names a function's parameters bind, each with the parameter path it reads. */
export function parameterPaths(fn: ts.SignatureDeclaration): Map<string, ParameterPath> {
  const paths = new Map<string, ParameterPath>();
  const bind = (name: ts.BindingName, parameter: number, path: readonly string[]): void => {
    if (ts.isIdentifier(name)) {
      paths.set(name.text, { parameter, path });
      return;
    }
    if (!ts.isObjectBindingPattern(name)) return;
    for (const element of name.elements) {
      const property = element.propertyName ?? element.name;
      if (element.dotDotDotToken || !(ts.isIdentifier(property) || ts.isStringLiteral(property))) continue;
      bind(element.name, parameter, [...path, property.text]);
    }
  };
  fn.parameters.forEach((parameter, index) => bind(parameter.name, index, []));
  return paths;
}

/** The parameter path an expression reads: `mode`, `options.sync`, `opts['sync']`. */
function parameterPathOf(expression: ts.Expression, paths: ReadonlyMap<string, ParameterPath>): ParameterPath | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) return paths.get(node.text);
  const name = ts.isPropertyAccessExpression(node)
    ? node.name.text
    : ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
      ? node.argumentExpression.text
      : undefined;
  if (name === undefined) return undefined;
  const base = parameterPathOf((node as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression, paths);
  return base && { parameter: base.parameter, path: [...base.path, name] };
}

function literalOf(expression: ts.Expression): { value: Literal } | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteralLike(node)) return { value: node.text };
  if (ts.isNumericLiteral(node)) return { value: Number(node.text) };
  switch (node.kind) {
    case ts.SyntaxKind.TrueKeyword:
      return { value: true };
    case ts.SyntaxKind.FalseKeyword:
      return { value: false };
    case ts.SyntaxKind.NullKeyword:
      return { value: null };
  }
  if (ts.isIdentifier(node) && node.text === 'undefined') return { value: undefined };
  if (ts.isVoidExpression(node)) return { value: undefined };
  return undefined;
}

export function argumentValueOf(expression: ts.Expression, paths: ReadonlyMap<string, ParameterPath>, depth = 0): ArgumentValue {
  const literal = literalOf(expression);
  if (literal) return { kind: 'literal', value: literal.value };
  const node = skipOuterExpressions(expression);
  if (ts.isObjectLiteralExpression(node) && depth < 3) {
    const properties = new Map<string, ArgumentValue>();
    let closed = true;
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
        properties.set(property.name.text, argumentValueOf(property.initializer, paths, depth + 1));
      } else if (ts.isShorthandPropertyAssignment(property)) {
        properties.set(property.name.text, argumentValueOf(property.name, paths, depth + 1));
      } else if (ts.isSpreadAssignment(property) || ts.isComputedPropertyName(property.name)) {
        closed = false;
      }
    }
    return { kind: 'object', properties, closed };
  }
  const path = parameterPathOf(node, paths);
  return path && { kind: 'parameter', ...path };
}

/** The conditions a condition being `positive` puts on parameters (what cannot be split says nothing). */
function conditionGuards(condition: ts.Expression, paths: ReadonlyMap<string, ParameterPath>, positive: boolean): BranchGuard[] {
  const node = skipOuterExpressions(condition);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return conditionGuards(node.operand, paths, !positive);
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
      return positive ? [...conditionGuards(node.left, paths, true), ...conditionGuards(node.right, paths, true)] : [];
    }
    if (operator === ts.SyntaxKind.BarBarToken) {
      return positive ? [] : [...conditionGuards(node.left, paths, false), ...conditionGuards(node.right, paths, false)];
    }
    const isEquality = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
    const isInequality = operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
    if (!isEquality && !isInequality) return [];
    const rightLiteral = literalOf(node.right);
    const [reference, literal] = rightLiteral ? [node.left, rightLiteral] : [node.right, literalOf(node.left)];
    if (!literal) return [];
    const path = parameterPathOf(reference, paths);
    // `==` against null also matches undefined: only strict comparisons and other literals are exact.
    if (!path || (literal.value == null && operator !== ts.SyntaxKind.EqualsEqualsEqualsToken && operator !== ts.SyntaxKind.ExclamationEqualsEqualsToken))
      return [];
    return [{ ...path, equals: { value: literal.value }, holds: isEquality === positive }];
  }
  const path = parameterPathOf(node, paths);
  return path ? [{ ...path, holds: positive }] : [];
}

/** Whether a statement never completes normally: `return`, `throw`, or a block ending in one. */
function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && exits(last);
  }
  return false;
}

/**
 * The guards on a site of `fn`: the `if` and `?:` branches it sits in, and the early exits before it
 * (`if (mode !== 'static') return ...;`). Stops at nested functions' boundaries only where they are `fn`.
 */
function guardsOf(site: ts.Node, fn: ts.Node, paths: ReadonlyMap<string, ParameterPath>): BranchGuard[] {
  if (paths.size === 0) return [];
  const guards: BranchGuard[] = [];
  let child: ts.Node = site;
  for (let parent = parentOf(site); parent && child !== fn && guards.length < MAX_GUARDS; child = parent, parent = parentOf(parent)) {
    if (ts.isIfStatement(parent) && child !== parent.expression) {
      guards.push(...conditionGuards(parent.expression, paths, child === parent.thenStatement));
    } else if (ts.isConditionalExpression(parent) && child !== parent.condition) {
      guards.push(...conditionGuards(parent.condition, paths, child === parent.whenTrue));
    } else if (ts.isBinaryExpression(parent) && child === parent.right) {
      if (parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) guards.push(...conditionGuards(parent.left, paths, true));
      if (parent.operatorToken.kind === ts.SyntaxKind.BarBarToken) guards.push(...conditionGuards(parent.left, paths, false));
    } else if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      for (const statement of parent.statements) {
        if (statement === child) break;
        if (ts.isIfStatement(statement) && !statement.elseStatement && exits(statement.thenStatement)) {
          guards.push(...conditionGuards(statement.expression, paths, false));
        }
      }
    }
    if (ts.isFunctionLike(parent) && parent !== fn && [...parameterPaths(parent).keys()].some((name) => paths.has(name))) {
      // A nested callback that rebinds a parameter's name: the conditions inside it read its own values.
      guards.length = 0;
    }
  }
  return guards.slice(0, MAX_GUARDS);
}

/** A site's guards, computed on first use: only a walk that knows some argument asks. */
export type LazyGuards = () => readonly BranchGuard[];

export function lazyGuards(site: ts.Node, fn: ts.Node, paths: ReadonlyMap<string, ParameterPath>): LazyGuards {
  let guards: readonly BranchGuard[] | undefined;
  return () => (guards ??= guardsOf(site, fn, paths));
}

export const NO_KNOWN_ARGUMENTS: KnownArguments = { values: new Map(), closedObjects: new Map(), key: '' };

function keyOf(parameter: number, path: readonly string[]): string {
  return [parameter, ...path].join('.');
}

/** Whether every guard may hold given what the walk knows (an unknown value may always hold). */
export function guardsMayHold(lazy: LazyGuards, known: KnownArguments): boolean {
  if (known === NO_KNOWN_ARGUMENTS) return true;
  for (const guard of lazy()) {
    const value = knownValue(known, guard.parameter, guard.path);
    if (!value) continue;
    const actual = guard.equals ? value.value === guard.equals.value : Boolean(value.value);
    if (actual !== guard.holds) return false;
  }
  return true;
}

function knownValue(known: KnownArguments, parameter: number, path: readonly string[]): { value: Literal } | undefined {
  const key = keyOf(parameter, path);
  if (known.values.has(key)) return { value: known.values.get(key) };
  // A property a closed object literal does not have reads `undefined`.
  const present = path.length > 0 ? known.closedObjects.get(keyOf(parameter, path.slice(0, -1))) : undefined;
  return present && !present.has(path[path.length - 1]!) ? { value: undefined } : undefined;
}

/** What the callee knows of its parameters from the values a call passes, in the caller's context. */
export function calleeKnownArguments(values: readonly ArgumentValue[], known: KnownArguments): KnownArguments {
  // Most calls pass nothing known: no literal, no object literal, and no parameter the caller knows.
  if (!values.some((value) => value && (value.kind !== 'parameter' || known !== NO_KNOWN_ARGUMENTS))) return NO_KNOWN_ARGUMENTS;
  const result = new Map<string, Literal>();
  const closedObjects = new Map<string, ReadonlySet<string>>();
  const add = (value: ArgumentValue, parameter: number, path: string[]): void => {
    if (!value || result.size >= MAX_KNOWN) return;
    if (value.kind === 'literal') {
      result.set(keyOf(parameter, path), value.value);
    } else if (value.kind === 'object') {
      if (value.closed) closedObjects.set(keyOf(parameter, path), new Set(value.properties.keys()));
      for (const [name, property] of value.properties) add(property, parameter, [...path, name]);
    } else {
      // The caller's own parameter: pass on what is known of it and of everything below it.
      const prefix = keyOf(value.parameter, value.path);
      const direct = knownValue(known, value.parameter, value.path);
      if (direct) result.set(keyOf(parameter, path), direct.value);
      for (const [key, literal] of known.values) {
        if (key.startsWith(`${prefix}.`)) result.set(`${keyOf(parameter, path)}${key.slice(prefix.length)}`, literal);
      }
      for (const [key, present] of known.closedObjects) {
        if (key === prefix || key.startsWith(`${prefix}.`)) closedObjects.set(`${keyOf(parameter, path)}${key.slice(prefix.length)}`, present);
      }
    }
  };
  values.forEach((value, index) => add(value, index, []));
  if (result.size === 0 && closedObjects.size === 0) return NO_KNOWN_ARGUMENTS;
  const key = [
    ...[...result].map(([name, value]) => `${name}=${value === undefined ? 'undefined' : JSON.stringify(value)}`),
    ...[...closedObjects].map(([name, present]) => `${name}{${[...present].join(' ')}}`),
  ]
    .sort()
    .join(',');
  return { values: result, closedObjects, key };
}
