/**
 * One walk over a file's syntax for every part of the analysis that looks past its top-level statements:
 * the handler scan, the candidate-name filter and the member fast path. Each used to walk every file on
 * its own, and on a cold start (ESLint's single run) every node visit runs before V8 has optimized the
 * visitor. What a file holds depends on its text alone, so the index is kept per SourceFile object.
 */
import ts from 'typescript';

export type FunctionNode = ts.FunctionLikeDeclaration;

export interface SyntaxIndex {
  /** Calls, class declarations and functions with bodies, in source order: where entry points appear. */
  readonly entryPointSites: readonly ts.Node[];
  /** Calls and `new` expressions that run while the module loads: outside every function but an IIFE. */
  readonly loadTimeCalls: ReadonlyArray<ts.CallExpression | ts.NewExpression>;
  /** Names of functions and methods with bodies, and of properties and variables holding functions. */
  readonly functionNames: ReadonlySet<string>;
  /**
   * Expressions the checker may see with a narrower type than declared: `instanceof` operands, receivers of
   * `.constructor`, and call arguments (a type predicate or assertion may narrow them). Undefined when the
   * walk could not finish (code nested too deeply), so that nothing in the file counts as un-narrowed.
   */
  readonly narrowingOperands: readonly ts.Expression[] | undefined;
}

export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)) &&
    node.body !== undefined
  );
}

/** Types, interfaces and type aliases: code that never runs, skipped by every walk. */
export function isTypeOnly(node: ts.Node): boolean {
  return (
    (node.kind >= ts.SyntaxKind.FirstTypeNode && node.kind <= ts.SyntaxKind.LastTypeNode) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)
  );
}

/** Identifiers, keywords, literals and other tokens: nodes without children. */
export function isLeaf(node: ts.Node): boolean {
  return node.kind <= ts.SyntaxKind.LastToken;
}

/** A function expression that is called where it is defined: `(async () => { ... })()`. */
export function isImmediatelyInvoked(fn: ts.Node): boolean {
  let node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return ts.isCallExpression(node.parent) && node.parent.expression === node;
}

const indexes = new WeakMap<ts.SourceFile, SyntaxIndex>();

export function syntaxIndex(sourceFile: ts.SourceFile): SyntaxIndex {
  let index = indexes.get(sourceFile);
  if (!index) {
    index = buildIndex(sourceFile);
    indexes.set(sourceFile, index);
  }
  return index;
}

function buildIndex(sourceFile: ts.SourceFile): SyntaxIndex {
  const entryPointSites: ts.Node[] = [];
  const loadTimeCalls: Array<ts.CallExpression | ts.NewExpression> = [];
  const functionNames = new Set<string>();
  const narrowingOperands: ts.Expression[] = [];

  /** How many functions (other than IIFEs) enclose the node visited: none while the module loads. */
  let functionDepth = 0;
  const visit = (node: ts.Node): void => {
    // Names, keywords and literals, most of a file's nodes, hold nothing the index keeps.
    if (isLeaf(node) || isTypeOnly(node)) return;
    const isCall = ts.isCallExpression(node);
    if (isCall || ts.isClassDeclaration(node) || isFunctionNode(node)) entryPointSites.push(node);
    if (isCall || ts.isNewExpression(node)) {
      if (functionDepth === 0) loadTimeCalls.push(node);
      if (node.arguments) for (const argument of node.arguments) narrowingOperands.push(argument);
    } else if (ts.isBinaryExpression(node)) {
      if (node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) narrowingOperands.push(node.left);
      else if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && isFunctionExpressionLike(node.right)) {
        functionNames.add(node.left.name.text);
      }
    } else if (ts.isPropertyAccessExpression(node)) {
      if (node.name.text === 'constructor') narrowingOperands.push(node.expression);
    } else if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node)) && node.name) {
      functionNames.add(nameText(node.name, sourceFile));
    } else if (
      (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) &&
      node.initializer &&
      (isFunctionExpressionLike(node.initializer) || ts.isClassExpression(node.initializer))
    ) {
      functionNames.add(nameText(node.name, sourceFile));
    }
    const deferred = ts.isFunctionLike(node) && !isImmediatelyInvoked(node);
    if (deferred) functionDepth++;
    ts.forEachChild(node, visit);
    if (deferred) functionDepth--;
  };
  try {
    visit(sourceFile);
  } catch (error) {
    // Nested too deeply for a recursive walk: the file keeps what was found, and nothing in it is taken
    // as un-narrowed.
    if (!(error instanceof RangeError)) throw error;
    return { entryPointSites, loadTimeCalls, functionNames, narrowingOperands: undefined };
  }
  return { entryPointSites, loadTimeCalls, functionNames, narrowingOperands };
}

/** A declaration's name as calls spell it: identifiers by their text, computed and literal names as written. */
function nameText(name: ts.PropertyName | ts.BindingName, sourceFile: ts.SourceFile): string {
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? name.text : name.getText(sourceFile);
}

export function isFunctionExpressionLike(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}
