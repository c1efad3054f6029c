/**
 * CPU-bound patterns that hold the event loop: busy waits on the clock, loops with no exit that never
 * await, nested loops bounded by request data, super-linear regular expressions or `new RegExp(input)`
 * on request data, and JSON.parse/stringify of request data. Patterns that only hurt with attacker-sized
 * input carry the parameters they depend on; the reachability pass fires them only when those
 * parameters carry request data in the calling context.
 */
import ts from 'typescript';
import { isSuperLinearRegex } from './regex.js';
import { skipOuterExpressions } from './resolve.js';
import { uncachedRequireAt } from './uncached-require.js';
import type { BlockKind, Category, Severity } from './types.js';
import { parentOf } from './parent-node.js';

export type DependencyOf = (expression: ts.Node) => number;

export type CpuPatternId = 'busy-wait' | 'unbounded-loop' | 'nested-loop' | 'redos' | 'regexp-injection' | 'json-request-data' | 'uncached-require';

export interface CpuSite {
  patternId: CpuPatternId;
  /** The node reported. */
  site: ts.Node;
  callText: string;
  category: Category;
  /** What it spends the time on: CPU, except a module read and compiled again (disk, then CPU). */
  kind: BlockKind;
  severity: Severity;
  alternative: string;
  /** Parameters whose request data makes it blocking; undefined when it blocks regardless of input. */
  requestDependency: number | undefined;
}

const WORKER_POOL = 'move it to a worker pool (piscina / worker_threads)';
const REGEX_METHODS_ON_REGEX = new Set(['test', 'exec']);
const REGEX_METHODS_ON_STRING = new Set(['match', 'matchAll', 'replace', 'replaceAll', 'split', 'search']);
const LOOP_METHODS = new Set(['map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'flatMap', 'find', 'findIndex']);

function shortText(node: ts.Node, limit = 40): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function isClockRead(node: ts.Node): boolean {
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const receiver = callee.expression.getText();
      const name = callee.name.text;
      if (receiver === 'Date' && name === 'now') return true;
      if (receiver === 'performance' && name === 'now') return true;
      if (receiver === 'process.hrtime' && name === 'bigint') return true;
      if (receiver === 'process' && name === 'hrtime') return true;
      if (name === 'getTime' && ts.isNewExpression(skipOuterExpressions(callee.expression))) return true;
    }
  }
  return ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments?.length ?? 0) === 0;
}

function contains(root: ts.Node | undefined, predicate: (node: ts.Node) => boolean, enterFunctions = false): boolean {
  if (!root) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (predicate(node)) {
      found = true;
      return;
    }
    if (!enterFunctions && ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

const isAwaitOrYield = (node: ts.Node): boolean =>
  ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && !!node.awaitModifier);

type Loop = ts.WhileStatement | ts.DoStatement | ts.ForStatement | ts.ForOfStatement | ts.ForInStatement;

function isLoop(node: ts.Node): node is Loop {
  return ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node);
}

function loopCondition(loop: Loop): ts.Expression | undefined {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return loop.expression;
  return ts.isForStatement(loop) ? loop.condition : loop.expression;
}

function isAlwaysTrue(condition: ts.Expression | undefined): boolean {
  if (!condition) return true;
  const inner = skipOuterExpressions(condition);
  return inner.kind === ts.SyntaxKind.TrueKeyword || (ts.isNumericLiteral(inner) && Number(inner.text) !== 0);
}

/** A `break`, `return` or `throw` that leaves this loop (a plain `break` inside a nested loop or switch does not). */
function hasExit(loop: Loop): boolean {
  const visit = (node: ts.Node, nestedBreakable: boolean): boolean => {
    if (ts.isFunctionLike(node)) return false;
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) return true;
    if (ts.isBreakStatement(node)) return node.label !== undefined || !nestedBreakable;
    const opensBreakable = node !== loop.statement && (isLoop(node) || ts.isSwitchStatement(node));
    return ts.forEachChild(node, (child) => visit(child, nestedBreakable || opensBreakable)) ?? false;
  };
  // process.exit() also leaves, by ending the process.
  return visit(loop.statement, false) || contains(loop.statement, (node) => ts.isCallExpression(node) && node.expression.getText() === 'process.exit');
}

/** The nearest enclosing loop (statement, or an iteration method's callback) within `fn`. */
function enclosingLoopBound(node: ts.Node, fn: ts.Node, dependencyOf: DependencyOf): number | undefined {
  for (let current = parentOf(node); current && current !== fn; current = parentOf(current)) {
    if (isLoop(current) && node !== loopCondition(current)) {
      const bound = loopCondition(current);
      return bound ? dependencyOf(bound) : 0;
    }
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) {
      const call = current.parent;
      if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && LOOP_METHODS.has(call.expression.name.text)) {
        return dependencyOf(call.expression.expression);
      }
    }
  }
  return undefined;
}

function loopBoundOf(node: ts.Node, dependencyOf: DependencyOf): number | undefined {
  if (isLoop(node)) {
    const bound = loopCondition(node);
    return bound ? dependencyOf(bound) : 0;
  }
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    LOOP_METHODS.has(node.expression.name.text) &&
    node.arguments.some((argument) => ts.isArrowFunction(argument) || ts.isFunctionExpression(argument))
  ) {
    return dependencyOf(node.expression.expression);
  }
  return undefined;
}

/**
 * The regex literals an expression can be: the literal itself, a `const RE = /.../` in scope, or a regex
 * kept in a constant table and picked from it (`PATTERNS.email`, `rules[name]`, `for (const re of
 * PATTERNS)`, `PATTERNS.some((re) => re.test(input))`, `Object.values(RULES)`).
 */
function regexLiteralsOf(node: ts.Expression | undefined, depth = 0): ts.RegularExpressionLiteral[] {
  if (!node || depth > MAX_CONSTANT_DEPTH) return [];
  const inner = skipOuterExpressions(node);
  if (ts.isRegularExpressionLiteral(inner)) return [inner];
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.flatMap((element) => regexLiteralsOf(element, depth + 1));
  if (ts.isObjectLiteralExpression(inner)) {
    return inner.properties.flatMap((property) => (ts.isPropertyAssignment(property) ? regexLiteralsOf(property.initializer, depth + 1) : []));
  }
  if (ts.isIdentifier(inner)) {
    const initializer = findConstInitializer(inner);
    if (initializer) return regexLiteralsOf(initializer, depth + 1);
    const collection = iteratedCollection(inner);
    return collection ? regexLiteralsOf(collection, depth + 1) : [];
  }
  if (ts.isPropertyAccessExpression(inner)) {
    const table = constantValue(inner.expression, depth);
    const entry =
      table && ts.isObjectLiteralExpression(table)
        ? table.properties.find(
            (property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && property.name.getText() === inner.name.text,
          )
        : undefined;
    return entry ? regexLiteralsOf(entry.initializer, depth + 1) : [];
  }
  if (ts.isElementAccessExpression(inner)) {
    const table = constantValue(inner.expression, depth);
    return table && (ts.isArrayLiteralExpression(table) || ts.isObjectLiteralExpression(table)) ? regexLiteralsOf(table, depth + 1) : [];
  }
  if (ts.isCallExpression(inner) && isObjectValuesCall(inner)) return regexLiteralsOf(inner.arguments[0], depth + 1);
  return [];
}

const MAX_CONSTANT_DEPTH = 4;

/** `Object.values(table)` */
function isObjectValuesCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'values' &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Object' &&
    call.arguments.length === 1
  );
}

/** What a constant name stands for, through `const` aliases. */
function constantValue(node: ts.Expression, depth: number): ts.Expression | undefined {
  let current = skipOuterExpressions(node);
  for (let step = depth; ts.isIdentifier(current) && step <= MAX_CONSTANT_DEPTH; step++) {
    const initializer = findConstInitializer(current);
    if (!initializer) return undefined;
    current = initializer;
  }
  return current;
}

/** The collection a name iterates: `for (const re of list)`, or `list.some((re) => ...)`'s first parameter. */
function iteratedCollection(name: ts.Identifier): ts.Expression | undefined {
  for (let node = parentOf(name); node; node = parentOf(node)) {
    if (
      ts.isForOfStatement(node) &&
      ts.isVariableDeclarationList(node.initializer) &&
      node.initializer.declarations.some((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name.text)
    ) {
      return node.expression;
    }
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      const first = node.parameters[0];
      if (!first || !ts.isIdentifier(first.name) || first.name.text !== name.text) {
        if (node.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name.text)) return undefined;
        continue;
      }
      const call = parentOf(node);
      const callee = call && ts.isCallExpression(call) ? skipOuterExpressions(call.expression) : undefined;
      return callee && ts.isPropertyAccessExpression(callee) && LOOP_METHODS.has(callee.name.text) ? callee.expression : undefined;
    }
    if (ts.isFunctionLike(node)) return undefined;
  }
  return undefined;
}

function findConstInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  for (let scope = parentOf(identifier); scope; scope = parentOf(scope)) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text && declaration.initializer) {
          return skipOuterExpressions(declaration.initializer);
        }
      }
    }
  }
  return undefined;
}

export function cpuPatternAt(node: ts.Node, dependencyOf: DependencyOf, fn: ts.Node): CpuSite | undefined {
  if (isLoop(node)) {
    const condition = loopCondition(node);
    const body = node.statement;
    const keyword = node.getFirstToken() ?? node;
    if (!ts.isForOfStatement(node) && !ts.isForInStatement(node) && !contains(body, isAwaitOrYield)) {
      if (condition && contains(condition, isClockRead)) {
        return {
          patternId: 'busy-wait',
          site: condition,
          callText: `busy wait (${shortText(condition)})`,
          category: 'cpu-loop',
          kind: 'cpu',
          severity: 'error',
          alternative: 'await setTimeout(ms) from node:timers/promises',
          requestDependency: undefined,
        };
      }
      if (isAlwaysTrue(condition) && !hasExit(node)) {
        return {
          patternId: 'unbounded-loop',
          site: keyword,
          callText: 'loop with no exit',
          category: 'cpu-loop',
          kind: 'cpu',
          severity: 'error',
          alternative: `give it an exit, await inside it, or ${WORKER_POOL}`,
          requestDependency: undefined,
        };
      }
    }
  }
  const innerBound = loopBoundOf(node, dependencyOf);
  if (innerBound !== undefined) {
    const outerBound = enclosingLoopBound(node, fn, dependencyOf);
    if (outerBound !== undefined && (innerBound | outerBound) !== 0) {
      const site = isLoop(node) ? (node.getFirstToken() ?? node) : (node as ts.CallExpression).expression;
      return {
        patternId: 'nested-loop',
        site,
        callText: 'nested loops over request data',
        category: 'cpu-loop',
        kind: 'cpu',
        severity: 'warning',
        alternative: `bound the input size, or ${WORKER_POOL}`,
        requestDependency: innerBound | outerBound,
      };
    }
  }
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) return uncachedRequire(node, fn) ?? regexOrJsonPattern(node, dependencyOf);
  return undefined;
}

/** A module the function drops from `require.cache` and requires again: read from disk and compiled per call. */
function uncachedRequire(node: ts.CallExpression | ts.NewExpression, fn: ts.Node): CpuSite | undefined {
  const site = ts.isCallExpression(node) ? uncachedRequireAt(node, fn) : undefined;
  if (!site) return undefined;
  return {
    patternId: 'uncached-require',
    site,
    callText: 'require() of a module just deleted from require.cache',
    category: 'fs',
    kind: 'io',
    severity: 'error',
    alternative: 'the module loaded once, reloaded by a file watcher off the request path (or await fs.promises.readFile(...) for data files)',
    requestDependency: undefined,
  };
}

function regexOrJsonPattern(node: ts.CallExpression | ts.NewExpression, dependencyOf: DependencyOf): CpuSite | undefined {
  const callee = skipOuterExpressions(node.expression);
  const args = node.arguments ?? [];
  if (ts.isIdentifier(callee) && callee.text === 'RegExp' && args[0] && !ts.isStringLiteralLike(skipOuterExpressions(args[0]))) {
    const dependency = dependencyOf(args[0]);
    if (dependency === 0) return undefined;
    return {
      patternId: 'regexp-injection',
      site: callee,
      callText: `${ts.isNewExpression(node) ? 'new ' : ''}RegExp(${shortText(args[0], 30)})`,
      category: 'regex',
      kind: 'cpu',
      severity: 'error',
      alternative: 'escape the input before building a RegExp (or match it as a plain string), and bound its length',
      requestDependency: dependency,
    };
  }
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (ts.isIdentifier(callee.expression) && callee.expression.text === 'JSON' && (method === 'parse' || method === 'stringify') && args[0]) {
    const dependency = dependencyOf(args[0]);
    if (dependency === 0) return undefined;
    return {
      patternId: 'json-request-data',
      site: callee.name,
      callText: `JSON.${method}`,
      category: 'json',
      kind: 'cpu',
      severity: 'warning',
      alternative: `bound the body size (e.g. express.json({ limit })), or ${WORKER_POOL}`,
      requestDependency: dependency,
    };
  }
  let regexes: ts.RegularExpressionLiteral[] = [];
  let input: ts.Expression | undefined;
  if (REGEX_METHODS_ON_REGEX.has(method)) {
    regexes = regexLiteralsOf(callee.expression);
    input = args[0];
  } else if (REGEX_METHODS_ON_STRING.has(method)) {
    regexes = regexLiteralsOf(args[0]);
    input = callee.expression;
  }
  if (regexes.length === 0 || !input) return undefined;
  const dependency = dependencyOf(input);
  const regex = dependency === 0 ? undefined : regexes.find((candidate) => isSuperLinearRegex(candidate.text));
  if (!regex) return undefined;
  return {
    patternId: 'redos',
    site: callee.name,
    callText: `${shortText(regex, 30)} (super-linear regex)`,
    category: 'regex',
    kind: 'cpu',
    severity: 'error',
    alternative: 'rewrite the regex without nested quantifiers (or use RE2), and bound the input length',
    requestDependency: dependency,
  };
}
