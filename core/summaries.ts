/**
 * Per-function summaries: what a function's own code calls (resolved through the checker), which of those
 * calls are catalog APIs, and which CPU patterns it contains, each with the parameters it depends on.
 * Summaries are independent of who calls the function, so each is computed once per program and reused
 * by every handler that reaches it; request data flows through them as parameter bitmasks.
 */
import ts from 'typescript';
import type { CatalogMatch, CatalogMatcher } from './catalog-match.js';
import { alternativeFor } from './catalog.js';
import { cpuPatternAt, type CpuSite, type DependencyOf } from './cpu-patterns.js';
import { isFunctionNode, isLeaf, isTypeOnly } from './syntax-index.js';
import {
  calleeNameNode,
  functionWithBody,
  originFromSyntax,
  requiredModule,
  resolveCallee,
  resolvedSymbol,
  skipOuterExpressions,
  unwrapInteropCall,
  type CallLike,
  type ResolvedCallee,
} from './resolve.js';
import type { CallCandidates } from './call-candidates.js';
import { addDependencies, type FileCacheEntry } from './file-cache.js';
import { argumentValueOf, lazyGuards, parameterPaths, type ArgumentValue, type LazyGuards, type ParameterPath } from './branch-guards.js';
import { implementationOf } from './implementations.js';
import { importedModules } from './imports.js';
import { unresolvedDispatchOf, type UnresolvedDispatch } from './unresolved-calls.js';

/** A set of parameter indices, as bits. */
export type ParameterMask = number;

export interface CallEdge {
  target: ts.FunctionLikeDeclaration;
  /** The callee name at the call site. */
  site: ts.Node;
  name: string;
  /** For each of the callee's parameters, the caller's parameters its argument derives from. */
  argumentDependencies: readonly ParameterMask[];
  /** What the call passes, for the callee's branch guards. */
  argumentValues: readonly ArgumentValue[];
  /** The conditions on the caller's parameters under which the call runs. */
  guards: LazyGuards;
}

export interface BlockingSite {
  call: CallLike;
  site: ts.Node;
  match: CatalogMatch;
  callText: string;
  alternative: string;
  guards: LazyGuards;
  /** One of the functions a conditional callee picks: the call's own text names another, so no rewrite is offered. */
  picked: boolean;
}

/** A call whose target cannot be known (`handlers[kind](req)`, `require(name)`). */
export interface UnresolvedSite extends UnresolvedDispatch {
  callText: string;
  guards: LazyGuards;
}

export interface FunctionSummary {
  edges: CallEdge[];
  blocking: BlockingSite[];
  cpu: (CpuSite & { guards: LazyGuards })[];
  unresolved: UnresolvedSite[];
  /** Nested callbacks walked as part of this function, and nested handlers left to their own walk. */
  inlinedFunctions: ts.Node[];
  skippedRoots: ts.Node[];
  /** Program files (not declaration files) the summary's calls resolved into. */
  referencedFiles: ts.SourceFile[];
  /**
   * Names the candidate filter turned down: methods left unresolved, and functions passed by a name no
   * function has. Whether a name is a candidate depends on every followed file, not only on those the
   * summary depends on, so each is asked again when the summary is reused.
   */
  skippedNames: string[];
  /** The catalog packages reachable when it was computed (`CallCandidates.reachableCatalogKey`). */
  reachableCatalogKey: string;
}

const ITERATION_METHODS = new Set(['map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'flatMap', 'find', 'findIndex', 'sort']);
const MAX_TRACKED_PARAMETERS = 30;

/** How a callee expression reads in messages: `fs.readFileSync`, `db.prepare(...).all`. */
export function calleeText(expression: ts.Expression): string {
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) return `${calleeText(node.expression)}.${node.name.text}`;
  if (ts.isElementAccessExpression(node)) {
    const argument = node.argumentExpression;
    return `${calleeText(node.expression)}[${ts.isStringLiteralLike(argument) ? JSON.stringify(argument.text) : '...'}]`;
  }
  if (ts.isCallExpression(node)) return `${calleeText(node.expression)}(...)`;
  if (ts.isNewExpression(node)) return `new ${calleeText(node.expression)}(...)`;
  return '(...)';
}

export class SummaryBuilder {
  private readonly wildcardImporters = new Map<ts.SourceFile, boolean>();
  private readonly requireNames = new Map<ts.SourceFile, Set<string>>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly program: ts.Program,
    private readonly matcher: CatalogMatcher,
    private readonly candidates: CallCandidates,
    /** Functions registered as handlers of their own: their bodies are not part of an enclosing function. */
    private readonly isRoot: (fn: ts.Node) => boolean,
    /** Where the summaries of a file's functions are kept (and reused across programs). */
    private readonly cacheOf: (sourceFile: ts.SourceFile) => FileCacheEntry,
  ) {}

  summaryOf(fn: ts.FunctionLikeDeclaration): FunctionSummary {
    const entry = this.cacheOf(fn.getSourceFile());
    let summary = entry.summaries.get(fn);
    // A nested callback that became a handler of its own (or stopped being one) changes what the summary
    // covers; a catalog package the program gained or lost, or a function added anywhere under a name the
    // filter turned down, changes which calls it resolved.
    if (
      !summary ||
      summary.inlinedFunctions.some(this.isRoot) ||
      !summary.skippedRoots.every(this.isRoot) ||
      summary.reachableCatalogKey !== this.candidates.reachableCatalogKey ||
      summary.skippedNames.some((name) => this.candidates.isCandidateName(name))
    ) {
      summary = this.build(fn);
      entry.summaries.set(fn, summary);
      addDependencies(entry, summary.referencedFiles);
    }
    return summary;
  }

  private build(fn: ts.FunctionLikeDeclaration): FunctionSummary {
    const summary: FunctionSummary = {
      edges: [],
      blocking: [],
      cpu: [],
      unresolved: [],
      inlinedFunctions: [],
      skippedRoots: [],
      referencedFiles: [],
      skippedNames: [],
      reachableCatalogKey: this.candidates.reachableCatalogKey,
    };
    const dependencies = new Map<string, ParameterMask>();
    fn.parameters.forEach((parameter, index) => {
      if (index < MAX_TRACKED_PARAMETERS) bindNames(parameter.name, 1 << index, dependencies);
    });
    const dependencyOf: DependencyOf = (expression) => expressionDependencies(expression, dependencies);
    const paths = parameterPaths(fn);
    const context: SiteContext = { fn, paths, dependencies, dependencyOf };

    const visit = (node: ts.Node): void => {
      // Names and literals are read through their parents (declarations, calls, loops), never on their own.
      if (isLeaf(node) || isTypeOnly(node)) return;
      if (node !== fn && ts.isFunctionLike(node)) {
        // Inline callbacks run as part of this function's work; named functions and other handlers are
        // reached through their calls or registrations instead.
        if (!(ts.isArrowFunction(node) || ts.isFunctionExpression(node))) return;
        if (this.isRoot(node)) {
          summary.skippedRoots.push(node);
          return;
        }
        summary.inlinedFunctions.push(node);
      }
      if (ts.isVariableDeclaration(node) && node.initializer) {
        bindNames(node.name, dependencyOf(node.initializer), dependencies);
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) {
        const previous = dependencies.get(node.left.text) ?? 0;
        dependencies.set(node.left.text, previous | dependencyOf(node.right));
      } else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && ts.isVariableDeclarationList(node.initializer)) {
        for (const declaration of node.initializer.declarations) bindNames(declaration.name, dependencyOf(node.expression), dependencies);
      }
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) this.visitCall(node, summary, context);
      const cpu = cpuPatternAt(node, dependencyOf, fn);
      if (cpu) summary.cpu.push({ ...cpu, guards: lazyGuards(cpu.site, fn, paths) });
      ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    return summary;
  }

  /**
   * The method name of a call not worth resolving, else undefined. Calls of plain names always are (a
   * scope lookup is cheap); method calls only when the name could be a catalog API or a followed function,
   * or the receiver is a module whose every export blocks (`shell.ls()`).
   */
  private unresolvedMethodName(call: CallLike): string | undefined {
    let callee = skipOuterExpressions(call.expression);
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply')) {
      callee = skipOuterExpressions(callee.expression);
    }
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const name = callee.name.text;
    if (this.candidates.isCandidateName(name)) return undefined;
    if (this.candidates.wildcardModules.size === 0) return name;
    const receiver = skipOuterExpressions(callee.expression);
    if (!ts.isIdentifier(receiver) || !this.importsWildcardModule(call.getSourceFile())) return name;
    const origin = originFromSyntax(receiver, this.checker, 0);
    return origin !== undefined && this.candidates.wildcardModules.has(origin.module) ? undefined : name;
  }

  /** Whether a file imports a module whose every export blocks: only then can a receiver name one. */
  private importsWildcardModule(sourceFile: ts.SourceFile): boolean {
    let imports = this.wildcardImporters.get(sourceFile);
    if (imports === undefined) {
      imports = importedModules(sourceFile).some((module) => this.candidates.wildcardModules.has(module));
      this.wildcardImporters.set(sourceFile, imports);
    }
    return imports;
  }

  private visitCall(call: CallLike, summary: FunctionSummary, context: SiteContext): void {
    const { dependencies, dependencyOf } = context;
    const unresolvedName = this.unresolvedMethodName(call);
    if (unresolvedName !== undefined) {
      // The method stays unresolved, but what it is given still runs: callbacks see the receiver's
      // elements (`items.map((item) => ...)`), and functions passed by name are called (`items.forEach(touch)`).
      skipName(summary, unresolvedName);
      const args = call.arguments ?? [];
      bindIterationParameters(call, args, dependencies, dependencyOf);
      this.followPassedFunctions(args, summary, true, context, call);
      return;
    }
    const resolved = resolveCallee(call, this.checker, this.program);
    // A conditional callee may run either function: each is a call from this site.
    const picks = resolved.alternatives?.map((alternative) => resolveCallee(call, this.checker, this.program, alternative)) ?? [resolved];
    const site = calleeNameNode(resolved.callee);
    let blockingPicks = 0;
    for (const pick of picks) {
      if (this.recordCall(call, pick, site, summary, context, picks.length > 1)) blockingPicks++;
    }
    if (blockingPicks === picks.length) return;
    const args = resolved.args ?? [];
    bindIterationParameters(call, args, dependencies, dependencyOf);
    this.followPassedFunctions(args, summary, false, context, call);
  }

  /** A catalog hit, an edge to a followed function, or a call whose target cannot be known; true for a catalog hit. */
  private recordCall(call: CallLike, resolved: ResolvedCallee, site: ts.Node, summary: FunctionSummary, context: SiteContext, picked: boolean): boolean {
    const match = this.matcher.match(call, resolved);
    if (match) {
      summary.blocking.push({
        call,
        site,
        match,
        callText: calleeText(resolved.callee),
        alternative: alternativeFor(match.entry, match.apiName),
        guards: lazyGuards(call, context.fn, context.paths),
        picked,
      });
      return true;
    }
    const target = this.followedFunction(resolved.declaration, summary);
    if (target) {
      const args = resolved.args ?? [];
      summary.edges.push({
        target,
        site,
        name: calleeText(resolved.callee),
        argumentDependencies: args.map((argument) => context.dependencyOf(argument)),
        argumentValues: args.map((argument) => argumentValueOf(argument, context.paths)),
        guards: lazyGuards(call, context.fn, context.paths),
      });
    } else if (!picked) {
      const unresolved = unresolvedDispatchOf(call, resolved.callee, this.checker);
      if (unresolved) {
        const callText = unresolved.reason === 'dynamic-require' ? 'require(...)' : calleeText(resolved.callee);
        summary.unresolved.push({ ...unresolved, callText, guards: lazyGuards(call, context.fn, context.paths) });
      }
    }
    return false;
  }

  /**
   * Functions passed by reference are called by the callee: `items.map(render)`, `emitter.once(x, done)`.
   * A plain name is cheap to look up; a member (or any name given to a method left unresolved, which is
   * most often data: `res.send(body)`) only when a function of that name exists.
   */
  private followPassedFunctions(
    args: readonly ts.Expression[],
    summary: FunctionSummary,
    onlyFunctionNames: boolean,
    context: SiteContext,
    call: CallLike,
  ): void {
    for (const argument of args) {
      const inner = skipOuterExpressions(argument);
      const name = ts.isIdentifier(inner) ? inner : ts.isPropertyAccessExpression(inner) ? inner.name : undefined;
      if (!name) continue;
      const isModuleValue = (): boolean => ts.isIdentifier(inner) && this.isRequiredModule(inner);
      if ((onlyFunctionNames || name !== inner) && !this.candidates.isCandidateName(name.text) && !isModuleValue()) {
        skipName(summary, name.text);
        continue;
      }
      const symbol = resolvedSymbol(this.checker, name);
      const passed =
        this.followedFunction(symbol?.valueDeclaration ?? symbol?.declarations?.[0], summary) ??
        (ts.isIdentifier(inner) && isModuleValue() ? this.followedFunction(this.onlySignatureDeclaration(inner), summary) : undefined);
      if (passed && !this.isRoot(passed)) {
        summary.edges.push({
          target: passed,
          site: inner,
          name: calleeText(inner),
          argumentDependencies: [],
          argumentValues: [],
          guards: lazyGuards(call, context.fn, context.paths),
        });
      }
    }
  }

  /**
   * A name bound to a module of the program's own (`var step = require('./steps/step')`): a pipeline passes
   * such steps by name (`.then(step)`), under a name no function of theirs has.
   */
  private isRequiredModule(name: ts.Identifier): boolean {
    if (!this.relativeRequireNames(name.getSourceFile()).has(name.text)) return false;
    let symbol: ts.Symbol | undefined;
    try {
      symbol = this.checker.getSymbolAtLocation(name);
    } catch {
      return false;
    }
    const declaration = symbol?.declarations?.[0];
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
    const module = requiredModule(unwrapInteropCall(declaration.initializer));
    return module !== undefined && module.startsWith('.');
  }

  /** The names a file's top-level `var x = require('./x')` declarations bind: a cheap test before the checker's. */
  private relativeRequireNames(sourceFile: ts.SourceFile): ReadonlySet<string> {
    let names = this.requireNames.get(sourceFile);
    if (!names) {
      names = new Set();
      for (const statement of sourceFile.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          const module = declaration.initializer && requiredModule(unwrapInteropCall(declaration.initializer));
          if (module?.startsWith('.') && ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
        }
      }
      this.requireNames.set(sourceFile, names);
    }
    return names;
  }

  /** The declaration of a value's one call signature (a module whose export is a function). */
  private onlySignatureDeclaration(name: ts.Identifier): ts.Declaration | undefined {
    try {
      const signatures = this.checker.getTypeAtLocation(name).getCallSignatures();
      return signatures.length === 1 ? signatures[0]?.declaration : undefined;
    } catch {
      return undefined;
    }
  }

  /** A function with a body the walk may follow (whether it does depends on the file's role, decided per walk). */
  private followedFunction(declaration: ts.Node | undefined, summary: FunctionSummary): ts.FunctionLikeDeclaration | undefined {
    const fn = functionWithBody(declaration && (implementationOf(declaration, this.program) ?? declaration), this.checker);
    if (!fn || !isFunctionNode(fn)) return undefined;
    const sourceFile = fn.getSourceFile();
    if (sourceFile.isDeclarationFile) return undefined;
    if (!summary.referencedFiles.includes(sourceFile)) summary.referencedFiles.push(sourceFile);
    return fn;
  }
}

/** What a function's call sites need to know about it while its body is walked. */
interface SiteContext {
  fn: ts.FunctionLikeDeclaration;
  paths: ReadonlyMap<string, ParameterPath>;
  dependencies: Map<string, ParameterMask>;
  dependencyOf: DependencyOf;
}

/** Each name once: every reuse of the summary asks about each again (`res.send`, `res.json` ... repeat). */
function skipName(summary: FunctionSummary, name: string): void {
  if (!summary.skippedNames.includes(name)) summary.skippedNames.push(name);
}

/** Callbacks given to array iteration methods see the elements of the receiver. */
function bindIterationParameters(call: CallLike, args: readonly ts.Expression[], dependencies: Map<string, ParameterMask>, dependencyOf: DependencyOf): void {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ITERATION_METHODS.has(callee.name.text)) return;
  const receiverDependencies = dependencyOf(callee.expression);
  for (const argument of args) {
    const inner = skipOuterExpressions(argument);
    if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) {
      for (const parameter of inner.parameters) bindNames(parameter.name, receiverDependencies, dependencies);
    }
  }
}

function bindNames(name: ts.BindingName, mask: ParameterMask, dependencies: Map<string, ParameterMask>): void {
  if (ts.isIdentifier(name)) {
    dependencies.set(name.text, mask);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) bindNames(element.name, mask, dependencies);
  }
}

/** Functions whose result is their argument's data in another form (`Number(req.query.n)`). */
const VALUE_CONVERTERS = new Set(['Number', 'String', 'BigInt', 'Boolean', 'parseInt', 'parseFloat', 'decodeURIComponent', 'decodeURI', 'structuredClone']);
/** Built-in namespaces whose functions return data derived from their arguments (`JSON.parse(body)`). */
const VALUE_NAMESPACES = new Set(['JSON', 'Object', 'Array', 'Buffer', 'String', 'Number', 'Math', 'querystring', 'qs']);

/**
 * The parameters an expression's value derives from (names are resolved lexically within the function).
 * A call's result carries request data only when it is the same data transformed: a method of the
 * data itself (`q.trim()`), a converter (`Number(n)`) or a built-in namespace (`JSON.parse(body)`);
 * what other functions return (`readFileSync(pathFromRequest)`) is not request data.
 */
function expressionDependencies(expression: ts.Node, dependencies: Map<string, ParameterMask>): ParameterMask {
  if (dependencies.size === 0) return 0;
  let mask = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(callee)) {
        if (VALUE_CONVERTERS.has(callee.text)) node.arguments.forEach(visit);
      } else if (ts.isPropertyAccessExpression(callee)) {
        const receiver = skipOuterExpressions(callee.expression);
        if (ts.isIdentifier(receiver) && VALUE_NAMESPACES.has(receiver.text) && !dependencies.has(receiver.text)) node.arguments.forEach(visit);
        else visit(callee.expression);
      }
      return;
    }
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      // `x.name` depends on `x`, not on a variable that happens to be called `name`.
      const isMemberName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!isMemberName) mask |= dependencies.get(node.text) ?? 0;
      return;
    }
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return mask;
}
