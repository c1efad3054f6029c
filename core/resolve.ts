/**
 * Callee resolution through the TypeScript checker: what a call or `new` expression runs. Handles aliases,
 * re-exports, destructuring, functions stored in variables, `.call`/`.apply`/`.bind`, constructors and
 * methods of typed objects; falls back to imports and `require()` read from the syntax when the checker
 * knows nothing (untyped JavaScript, missing type packages).
 */
import ts from 'typescript';
import { normalizeModuleName, propertyNameText } from './declarations.js';
import { memberFromDeclarations, withoutAlias } from './members.js';
import { methodOfClassNamedLikeReceiver } from './named-classes.js';
import { untypedResultPath } from './catalog.js';
import { registryReadKey, registryValues } from './registries.js';
import { isFunctionExpressionLike } from './syntax-index.js';
import { parentOf } from './parent-node.js';

export type CallLike = ts.CallExpression | ts.NewExpression;

export interface ResolvedCallee {
  /** The expression naming the function, after unwrapping `.call`/`.apply`/`.bind`. */
  callee: ts.Expression;
  /** The arguments the callee receives; undefined when they cannot be known (`.apply`). */
  args: readonly ts.Expression[] | undefined;
  isConstruct: boolean;
  /** The declaration the call runs: the function, method or signature (for values of a function type). */
  declaration: ts.Declaration | undefined;
  /**
   * The declaration of the value called, followed through local aliases (`const r = fs.statSync`,
   * `const { statSync: s } = fs`): `statSync` is declared as a const of a callable interface type, so its
   * name lives here while the signature lives in the interface.
   */
  valueDeclaration: ts.Declaration | undefined;
  /**
   * The overload the call resolves to. Overload resolution infers the types of every argument (callbacks
   * included), so it is computed only when an answer depends on it.
   */
  resolveSignature(): ts.Signature | undefined;
  /** Module and member path read from imports/require(), when the checker could not resolve it. */
  syntacticOrigin: { module: string; path: string[] } | undefined;
  /**
   * The functions a conditional picks between, when the callee is one or a variable holding one
   * (`const op = fast ? fs.statSync : fs.readFileSync; op(p)`): each may run, so each is resolved as the callee.
   */
  alternatives: readonly ts.Expression[] | undefined;
}

/**
 * The expression a wrapper stands for: parentheses, type assertions, and the indirect call idiom of compiled
 * code, `(0, fs_1.existsSync)(p)` (tsc and Babel write it so that the callee runs without a `this`).
 */
export function skipOuterExpressions(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isTypeAssertionExpression(current) ||
      ts.isSatisfiesExpression(current)
    ) {
      current = current.expression;
    } else if (isIndirectCallComma(current)) {
      current = current.right;
    } else {
      return current;
    }
  }
}

function isIndirectCallComma(node: ts.Expression): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken && ts.isNumericLiteral(node.left);
}

/**
 * The module interop helpers compilers emit around `require()`: tsc's `__importDefault`/`__importStar`,
 * Babel's `_interopRequireDefault`/`_interopRequireWildcard`, esbuild's `__toESM`. They return the module
 * (or an object whose `default` is the module), so the call stands for the required module itself.
 */
const INTEROP_HELPER = /^_*(?:importDefault|importStar|interopRequireDefault|interopRequireWildcard|toESM)$/;

/** The `require()` an interop helper call wraps: `__importDefault(require("fs"))` → `require("fs")`. */
export function unwrapInteropCall(node: ts.Expression): ts.Expression {
  const inner = skipOuterExpressions(node);
  if (!ts.isCallExpression(inner) || inner.arguments.length === 0) return inner;
  const callee = skipOuterExpressions(inner.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name !== undefined && INTEROP_HELPER.test(name) ? skipOuterExpressions(inner.arguments[0]!) : inner;
}

/** The identifier that names a callee: `readFileSync` in `fs.readFileSync`, `fs['readFileSync']`, `read`. */
export function calleeNameNode(callee: ts.Expression): ts.Node {
  const inner = skipOuterExpressions(callee);
  if (ts.isPropertyAccessExpression(inner)) return inner.name;
  if (ts.isElementAccessExpression(inner)) return inner.argumentExpression;
  return inner;
}

function isLibDeclared(checker: ts.TypeChecker, program: ts.Program, node: ts.Node): boolean {
  const symbol = checker.getSymbolAtLocation(node);
  const declarations = symbol?.declarations;
  if (!declarations || declarations.length === 0) return true; // untyped: assume Function.prototype
  return declarations.every((declaration) => program.isSourceFileDefaultLibrary(declaration.getSourceFile()));
}

/** `f.call(thisArg, ...args)`, `f.apply(thisArg, args)` and `f.bind(thisArg)(...)` run `f`. */
function unwrapFunctionMethods(
  node: CallLike,
  checker: ts.TypeChecker,
  program: ts.Program,
): { callee: ts.Expression; args: readonly ts.Expression[] | undefined; unwrapped: boolean } {
  const callee = skipOuterExpressions(node.expression);
  const args = node.arguments ?? [];
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if ((method === 'call' || method === 'apply') && isLibDeclared(checker, program, callee.name)) {
      return { callee: callee.expression, args: method === 'call' ? args.slice(1) : undefined, unwrapped: true };
    }
  }
  if (ts.isCallExpression(node) && ts.isCallExpression(callee)) {
    const inner = skipOuterExpressions(callee.expression);
    if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'bind' && isLibDeclared(checker, program, inner.name)) {
      return { callee: inner.expression, args, unwrapped: true };
    }
  }
  return { callee, args, unwrapped: false };
}

function pickSignature(signatures: readonly ts.Signature[], argumentCount: number | undefined): ts.Signature | undefined {
  if (argumentCount === undefined) return signatures[0];
  return (
    signatures.find((signature) => {
      // Declared as always there, but a signature TypeScript synthesizes (`any`'s, a union's) has no declaration.
      const parameters = (signature.getDeclaration() as ts.SignatureDeclaration | undefined)?.parameters ?? [];
      const hasRest = parameters.some((parameter) => ts.isParameter(parameter) && parameter.dotDotDotToken !== undefined);
      const required = parameters.filter(
        (parameter) => ts.isParameter(parameter) && !parameter.questionToken && !parameter.initializer && !parameter.dotDotDotToken,
      ).length;
      return required <= argumentCount && (hasRest || signature.parameters.length >= argumentCount);
    }) ?? signatures[0]
  );
}

function isCallableDeclaration(declaration: ts.Declaration): boolean {
  return ts.isFunctionLike(declaration) || ts.isClassLike(declaration);
}

/** `calleeOverride` resolves one of a conditional's alternatives in place of the call's own callee. */
export function resolveCallee(node: CallLike, checker: ts.TypeChecker, program: ts.Program, calleeOverride?: ts.Expression): ResolvedCallee {
  const unwrappedCall = unwrapFunctionMethods(node, checker, program);
  const { args, unwrapped } = unwrappedCall;
  const callee = calleeOverride ?? unwrappedCall.callee;
  const isConstruct = ts.isNewExpression(node);
  const valueDeclaration = calledValueDeclaration(callee, checker, 0, program);
  let signature: ts.Signature | undefined | null = null;
  const resolveSignature = (): ts.Signature | undefined => {
    if (signature !== null) return signature;
    try {
      signature = unwrapped ? pickSignature(checker.getTypeAtLocation(callee).getCallSignatures(), args?.length) : checker.getResolvedSignature(node);
    } catch {
      signature = undefined; // The checker can throw on code it cannot type; stay silent for this call.
    }
    return signature;
  };
  let declaration: ts.Declaration | undefined;
  if (valueDeclaration && isCallableDeclaration(valueDeclaration)) {
    declaration = valueDeclaration;
  } else if (valueDeclaration && !program.isSourceFileDefaultLibrary(valueDeclaration.getSourceFile())) {
    // Not for a default-library value (`String(x)`): the catalog matches it by its own name, its type's
    // signatures have no body to follow, and typing it costs a flow analysis per call.
    // A value of a function type (`statSync: StatSyncFn`, a function returned by a factory): its type's
    // signature says what runs.
    try {
      const type = checker.getTypeAtLocation(callee);
      const signatures = isConstruct ? type.getConstructSignatures() : type.getCallSignatures();
      const candidate = signatures.length === 1 ? signatures[0]?.declaration : resolveSignature()?.declaration;
      declaration = candidate && !ts.isJSDocSignature(candidate) ? candidate : undefined;
    } catch {
      declaration = undefined;
    }
    const initializer =
      ts.isVariableDeclaration(valueDeclaration) && valueDeclaration.initializer ? skipOuterExpressions(valueDeclaration.initializer) : undefined;
    if (initializer && isFunctionExpressionLike(initializer)) declaration = initializer;
  }
  const syntacticOrigin = declaration || valueDeclaration ? undefined : originFromSyntax(callee, checker, 0);
  if (!declaration && !valueDeclaration && !syntacticOrigin && !isConstruct) declaration = methodOfClassNamedLikeReceiver(callee, program);
  const alternatives = calleeOverride ? undefined : conditionalAlternatives(callee, valueDeclaration);
  return { callee, args, isConstruct, declaration, valueDeclaration, resolveSignature, syntacticOrigin, alternatives };
}

const MAX_ALTERNATIVES = 4;

/** The function references a conditional callee (or the variable it initializes) picks between. */
function conditionalAlternatives(callee: ts.Expression, valueDeclaration: ts.Declaration | undefined): ts.Expression[] | undefined {
  const inner = skipOuterExpressions(callee);
  const picked =
    ts.isConditionalExpression(inner) || isPickingOperator(inner)
      ? inner
      : valueDeclaration && ts.isVariableDeclaration(valueDeclaration) && valueDeclaration.initializer
        ? skipOuterExpressions(valueDeclaration.initializer)
        : undefined;
  if (!picked || !(ts.isConditionalExpression(picked) || isPickingOperator(picked))) return undefined;
  const references: ts.Expression[] = [];
  const collect = (expression: ts.Expression): void => {
    const node = skipOuterExpressions(expression);
    if (ts.isConditionalExpression(node)) {
      collect(node.whenTrue);
      collect(node.whenFalse);
    } else if (isPickingOperator(node)) {
      collect(node.left);
      collect(node.right);
    } else if (
      ts.isIdentifier(node) ||
      ts.isPropertyAccessExpression(node) ||
      (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))
    ) {
      references.push(node);
    }
  };
  collect(picked);
  return references.length >= 2 && references.length <= MAX_ALTERNATIVES ? references : undefined;
}

/** `a || b`, `a ?? b`: a fallback picks one of two functions. */
function isPickingOperator(node: ts.Expression): node is ts.BinaryExpression {
  return (
    ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.BarBarToken || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  );
}

/** The declaration of the value an expression names, through const aliases and destructuring. */
function calledValueDeclaration(expression: ts.Expression, checker: ts.TypeChecker, depth: number, program?: ts.Program): ts.Declaration | undefined {
  if (depth > MAX_ORIGIN_DEPTH) return undefined;
  const symbol = resolvedSymbol(checker, calleeNameNode(expression));
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!declaration || declaration.getSourceFile().isDeclarationFile) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isIdentifier(initializer) || ts.isPropertyAccessExpression(initializer) || ts.isElementAccessExpression(initializer)) {
      return calledValueDeclaration(initializer, checker, depth + 1, program) ?? declaration;
    }
    const key = program && registryReadKey(initializer);
    if (key !== undefined) {
      // `const View = this.get('view')`: the first stored value that names a function or class.
      for (const value of registryValues(key, declaration, program!)) {
        const stored = skipOuterExpressions(value);
        const found =
          ts.isIdentifier(stored) || ts.isPropertyAccessExpression(stored) ? calledValueDeclaration(stored, checker, depth + 1, program) : undefined;
        if (
          found &&
          (isCallableDeclaration(found) ||
            (ts.isVariableDeclaration(found) && found.initializer && isFunctionExpressionLike(skipOuterExpressions(found.initializer))))
        )
          return found;
      }
    }
  }
  if (ts.isBindingElement(declaration)) {
    const holder = declaration.parent.parent;
    const property = propertyNameText(declaration.propertyName ?? declaration.name);
    if (ts.isVariableDeclaration(holder) && holder.initializer && property !== undefined) {
      try {
        const member = checker.getTypeAtLocation(holder.initializer).getProperty(property);
        return member?.valueDeclaration ?? member?.declarations?.[0] ?? declaration;
      } catch {
        return declaration;
      }
    }
  }
  return declaration;
}

/** The symbol a name stands for, aliases (imports, re-exports) followed to what they name. */
export function resolvedSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  const parent = parentOf(node);
  if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) {
    const member = memberFromDeclarations(checker, parent);
    if (member) return member;
  }
  let symbol: ts.Symbol | undefined;
  try {
    symbol = checker.getSymbolAtLocation(node);
  } catch {
    return undefined;
  }
  return symbol && withoutAlias(checker, symbol);
}

/** The `require` name of a one-argument `require(x)` or `module.require(x)` call, else undefined. */
export function requireCallName(node: ts.Node): ts.Identifier | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const callee = skipOuterExpressions(node.expression);
  if (ts.isIdentifier(callee)) return callee.text === 'require' ? callee : undefined;
  const isModuleRequire =
    ts.isPropertyAccessExpression(callee) && callee.name.text === 'require' && ts.isIdentifier(callee.expression) && callee.expression.text === 'module';
  return isModuleRequire && ts.isIdentifier(callee.name) ? callee.name : undefined;
}

/** `require('x')` (also `module.require`), returning the module name. */
export function requiredModule(node: ts.Node): string | undefined {
  const argument = requireCallName(node) && (node as ts.CallExpression).arguments[0];
  return argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

const MAX_ORIGIN_DEPTH = 8;

/**
 * Module and member path of an expression read from the syntax alone: `fs.readFileSync` where
 * `const fs = require('fs')`, `read` where `const { readFileSync: read } = require('node:fs')`, etc.
 */
export function originFromSyntax(expression: ts.Expression, checker: ts.TypeChecker, depth: number): { module: string; path: string[] } | undefined {
  if (depth > MAX_ORIGIN_DEPTH) return undefined;
  const node = unwrapInteropCall(expression);
  const required = requiredModule(node);
  if (required !== undefined) return { module: normalizeModuleName(required), path: [] };
  if (ts.isPropertyAccessExpression(node) || (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))) {
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : (node.argumentExpression as ts.StringLiteralLike).text;
    const base = originFromSyntax(node.expression, checker, depth + 1);
    // `fs_1.default.existsSync`: a compiled default import of a CommonJS module reaches it through `.default`
    // (the interop helper's wrapper), and the catalog's packages are CommonJS.
    if (base && name === 'default' && base.path.length === 0) return base;
    if (base) return { module: base.module, path: [...base.path, name] };
    return ts.isPropertyAccessExpression(node) ? originOfAssignedProperty(node, checker, depth + 1) : undefined;
  }
  // `new (this.CleanCss)(options).minify(...)`, `stylus(text).render()`: what a module's class or factory
  // makes is used through the module's API.
  // The catalog's class-based clients say which class an instance is (`new Database(f).prepare(sql)` makes a
  // `Statement`).
  if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
    const maker = originFromSyntax(node.expression, checker, depth + 1);
    const made = maker && untypedResultPath(maker.module, maker.path);
    return made ? { module: maker.module, path: made } : maker;
  }
  if (!ts.isIdentifier(node)) return undefined;
  let symbol: ts.Symbol | undefined;
  try {
    symbol = checker.getSymbolAtLocation(node);
  } catch {
    return undefined;
  }
  const declaration = symbol?.declarations?.[0];
  return declaration ? originOfDeclarationSyntax(declaration, checker, depth + 1) : undefined;
}

/**
 * A property the code assigns a module to, read from its assignments (`this.engine = require('x')`, in a
 * constructor or a lazy getter): the first assignment that names a module says which.
 */
function originOfAssignedProperty(node: ts.PropertyAccessExpression, checker: ts.TypeChecker, depth: number): { module: string; path: string[] } | undefined {
  let symbol: ts.Symbol | undefined;
  try {
    symbol = checker.getSymbolAtLocation(node.name);
  } catch {
    return undefined;
  }
  for (const value of assignedValues(symbol)) {
    for (const alternative of assignedAlternatives(value)) {
      const origin = originFromSyntax(alternative, checker, depth);
      if (origin) return origin;
    }
  }
  return undefined;
}

/** What a variable or property is given: its initializer and the right sides of its assignments. */
export function assignedValues(symbol: ts.Symbol | undefined): ts.Expression[] {
  const values: ts.Expression[] = [];
  for (const declaration of symbol?.declarations ?? []) {
    if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer) {
      values.push(declaration.initializer);
      continue;
    }
    if (ts.isPropertyDeclaration(declaration)) {
      // `#watcher;` declared, then `this.#watcher = chokidar.watch(...)` in a method of the class.
      values.push(...thisAssignmentsIn(declaration.parent, declaration.name));
      continue;
    }
    if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) {
      // `var handler; ... handler = function (req, res) {...}` (CoffeeScript and older compilers write this).
      values.push(...assignmentsInScope(declaration, declaration.name.text));
      continue;
    }
    const assignment = declaringAssignment(declaration);
    if (assignment && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken) values.push(assignment.right);
  }
  return values;
}

/** The `x = value` a declaration stands for: JavaScript declares `this.x = value` by the assignment itself, TypeScript by its left side. */
function declaringAssignment(declaration: ts.Declaration): ts.BinaryExpression | undefined {
  if (ts.isBinaryExpression(declaration)) return declaration;
  const parent = parentOf(declaration);
  return parent && ts.isBinaryExpression(parent) && parent.left === (declaration as ts.Node) ? parent : undefined;
}

/** The right sides of `<name> = value` in the function (or file) that declares the variable, outside nested functions. */
function assignmentsInScope(declaration: ts.VariableDeclaration, name: string): ts.Expression[] {
  let scope: ts.Node = declaration;
  while (!ts.isSourceFile(scope) && !ts.isFunctionLike(scope)) {
    const parent = parentOf(scope);
    if (!parent) break;
    scope = parent;
  }
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name) {
      values.push(node.right);
    }
    if (node === scope || !ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  visit(scope);
  return values;
}

/** The right sides of `this.<name> = value` in a class's members. */
function thisAssignmentsIn(owner: ts.Node, name: ts.PropertyName): ts.Expression[] {
  const text = ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? name.text : undefined;
  const values: ts.Expression[] = [];
  if (text === undefined || !ts.isClassLike(owner)) return values;
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      node.left.name.text === text
    ) {
      values.push(node.right);
    }
    if (!ts.isClassLike(node) || node === owner) ts.forEachChild(node, visit);
  };
  visit(owner);
  return values;
}

/** The values an assignment may store: both sides of `a || b` and `a ?? b`, both branches of `c ? a : b`. */
function assignedAlternatives(expression: ts.Expression): ts.Expression[] {
  const node = skipOuterExpressions(expression);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.BarBarToken || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  ) {
    return [...assignedAlternatives(node.left), ...assignedAlternatives(node.right)];
  }
  if (ts.isConditionalExpression(node)) return [...assignedAlternatives(node.whenTrue), ...assignedAlternatives(node.whenFalse)];
  return [node];
}

function originOfDeclarationSyntax(declaration: ts.Declaration, checker: ts.TypeChecker, depth: number): { module: string; path: string[] } | undefined {
  if (ts.isImportSpecifier(declaration)) {
    const importDeclaration = declaration.parent.parent.parent;
    const module = ts.isImportDeclaration(importDeclaration) ? moduleSpecifierOf(importDeclaration) : undefined;
    const imported = declaration.propertyName ?? declaration.name;
    return module ? { module, path: [imported.text] } : undefined;
  }
  if (ts.isImportClause(declaration) || ts.isNamespaceImport(declaration)) {
    const importDeclaration = ts.isImportClause(declaration) ? declaration.parent : declaration.parent.parent;
    const module = ts.isImportDeclaration(importDeclaration) ? moduleSpecifierOf(importDeclaration) : undefined;
    return module ? { module, path: [] } : undefined;
  }
  if (ts.isImportEqualsDeclaration(declaration) && ts.isExternalModuleReference(declaration.moduleReference)) {
    const reference = declaration.moduleReference.expression;
    return ts.isStringLiteralLike(reference) ? { module: normalizeModuleName(reference.text), path: [] } : undefined;
  }
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) {
    return originFromSyntax(declaration.initializer, checker, depth);
  }
  if (ts.isBindingElement(declaration)) {
    const property = declaration.propertyName ?? declaration.name;
    const name = propertyNameText(property);
    const pattern = declaration.parent;
    const holder = pattern.parent;
    if (name === undefined || !ts.isObjectBindingPattern(pattern) || !ts.isVariableDeclaration(holder) || !holder.initializer) {
      return undefined;
    }
    const base = originFromSyntax(holder.initializer, checker, depth);
    return base ? { module: base.module, path: [...base.path, name] } : undefined;
  }
  return undefined;
}

function moduleSpecifierOf(importDeclaration: ts.ImportDeclaration): string | undefined {
  const specifier = importDeclaration.moduleSpecifier;
  return ts.isStringLiteralLike(specifier) ? normalizeModuleName(specifier.text) : undefined;
}

/** The function-like node with a body that a declaration stands for, if the program has its source. */
export function functionWithBody(declaration: ts.Node | undefined, checker: ts.TypeChecker): ts.FunctionLikeDeclaration | undefined {
  if (!declaration) return undefined;
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) {
    const initializer = declaration.initializer && skipOuterExpressions(declaration.initializer);
    return initializer && isFunctionExpressionLike(initializer) ? initializer : undefined;
  }
  if (ts.isClassDeclaration(declaration) || ts.isClassExpression(declaration)) {
    return declaration.members.find((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && !!member.body);
  }
  if (!ts.isFunctionLike(declaration)) return undefined;
  if ('body' in declaration && declaration.body) return declaration;
  // An overload signature: the implementation is the sibling declaration with a body.
  const name = (declaration as ts.FunctionDeclaration).name;
  const symbol = name ? resolvedSymbol(checker, name) : undefined;
  return symbol?.declarations?.find(
    (candidate): candidate is ts.FunctionLikeDeclaration => ts.isFunctionLike(candidate) && 'body' in candidate && !!candidate.body,
  );
}
