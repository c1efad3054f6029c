/**
 * Finding event-loop entry points (handlers) in a program. The scanner visits each file's entry-point sites
 * (calls, classes, functions, the file itself) once, from the file's syntax index, and hands each to the
 * framework models of `frameworks/registry.ts`, which know the frameworks: Express, Koa, Fastify, hapi, Hono,
 * node servers, sockets, timers and emitters, NestJS, Next.js, library middleware and async functions.
 * Registration methods are recognised by the module that declares them (through the checker), with a
 * syntactic fallback when the receiver is untyped.
 */
import * as ts from 'typescript';
import { declarationOrigin, propertyNameText } from './declarations.js';
import { FALLBACK_CALL_MODEL, FRAMEWORK_MODELS, type FrameworkModel } from './frameworks/registry.js';
import type { Callee, DeclaringModule, Registration, RouterFramework, ScanContext } from './frameworks/model.js';
import { calleeNameNode, functionWithBody, originFromSyntax, resolvedSymbol, skipOuterExpressions } from './resolve.js';
import { isFunctionExpressionLike, isFunctionNode, syntaxIndex, type FunctionNode } from './syntax-index.js';
import type { Handler, HandlerRegistrar } from './types.js';

export interface HandlerRoot {
  handler: Handler;
  /** Indices of the parameters that carry request data (for the CPU rule's request-data checks). */
  requestParameters: readonly number[];
}

/** What one file contributes to the program's entry points; cached per file by the analysis. */
export interface FileHandlerScan {
  /** Handlers registered by this file's calls, decorators and route exports. */
  registrations: HandlerRoot[];
  /**
   * Library middleware and named async functions declared in this file: entry points unless some file
   * registers them (then they carry that label) or calls them while loading (startup code).
   */
  candidates: HandlerRoot[];
  /** Functions this file calls by name while it loads (`main()`). */
  startupCalls: ts.Node[];
  /**
   * Methods this file calls while it loads (`server.start()`), unresolved: one only matters when an async
   * function of that name exists, so the combination of all scans resolves those alone.
   */
  startupMethodCalls: ts.PropertyAccessExpression[];
  /** Program files (not declaration files) whose declarations the scan resolved to. */
  referencedFiles: ts.SourceFile[];
}

/**
 * The program's entry points from every server file's scan. `methodTarget` resolves a method called while
 * loading to the function it runs.
 */
export function combineHandlerScans(
  scans: readonly FileHandlerScan[],
  asyncFunctionsAreHandlers: boolean,
  methodTarget: (callee: ts.PropertyAccessExpression) => ts.Node | undefined,
): HandlerRoot[] {
  const roots = scans.flatMap((scan) => scan.registrations);
  const taken = new Set<ts.Node>(roots.map((root) => root.handler.node));
  const candidates = scans.flatMap((scan) => scan.candidates);
  const calledAtStartup = new Set(scans.flatMap((scan) => scan.startupCalls));
  if (asyncFunctionsAreHandlers) {
    const asyncNames = new Set(candidates.flatMap((candidate) => (candidate.handler.kind === 'async-function' ? namesOf(candidate.handler.node) : [])));
    for (const callee of scans.flatMap((scan) => scan.startupMethodCalls)) {
      const fn = asyncNames.has(callee.name.text) ? methodTarget(callee) : undefined;
      if (fn) calledAtStartup.add(fn);
    }
  }
  for (const candidate of candidates) {
    const fn = candidate.handler.node;
    if (taken.has(fn)) continue;
    if (candidate.handler.kind === 'async-function' && (!asyncFunctionsAreHandlers || calledAtStartup.has(fn))) continue;
    taken.add(fn);
    roots.push(candidate);
  }
  return roots;
}

/** The names a function may be called by as a method: its own, and that of the property or variable holding it. */
function namesOf(fn: ts.Node): string[] {
  const names: string[] = [];
  const own = (fn as { name?: ts.PropertyName }).name;
  const ownName = own && propertyNameText(own);
  if (ownName !== undefined) names.push(ownName);
  const holder = fn.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && holder.initializer === fn) {
    const holderName = propertyNameText(holder.name);
    if (holderName !== undefined) names.push(holderName);
  } else if (ts.isBinaryExpression(holder) && holder.right === fn && ts.isPropertyAccessExpression(holder.left)) {
    names.push(holder.left.name.text);
  }
  return names;
}

function emptyScan(): FileHandlerScan {
  return { registrations: [], candidates: [], startupCalls: [], startupMethodCalls: [], referencedFiles: [] };
}

/** Models by the callee names they own, built once. */
const CALL_MODELS = {
  methods: ownerIndex((model) => model.methods),
  functions: ownerIndex((model) => model.functions),
};

function ownerIndex(names: (model: FrameworkModel) => ReadonlySet<string> | undefined): ReadonlyMap<string, FrameworkModel> {
  const owners = new Map<string, FrameworkModel>();
  for (const model of FRAMEWORK_MODELS) for (const name of names(model) ?? []) owners.set(name, model);
  return owners;
}

const ROUTERS: Readonly<Record<string, RouterFramework>> = Object.assign({}, ...FRAMEWORK_MODELS.map((model) => model.routers ?? {}));

/** Scans one file at a time for entry points, with the program's checker. */
export class HandlerScanner implements ScanContext {
  readonly checker: ts.TypeChecker;
  private current: FileHandlerScan = emptyScan();
  /** The router package per variable a factory initialises: a router is declared once and used many times. */
  private readonly routerFactories = new Map<ts.VariableDeclaration, string | undefined>();

  constructor(
    readonly program: ts.Program,
    readonly registrars: readonly HandlerRegistrar[],
  ) {
    this.checker = program.getTypeChecker();
  }

  scan(sourceFile: ts.SourceFile): FileHandlerScan {
    this.current = emptyScan();
    try {
      this.visitEntryPoints(sourceFile);
      this.collectStartupCalls(sourceFile);
    } catch (error) {
      // A file nested too deeply for a recursive walk loses its handlers; the other files keep theirs.
      if (!(error instanceof RangeError)) throw error;
    }
    return this.current;
  }

  addRoot(fn: FunctionNode, registration: Registration): void {
    this.current.registrations.push(rootOf(fn, registration));
  }

  addCandidate(fn: FunctionNode, registration: Registration): void {
    this.current.candidates.push(rootOf(fn, registration));
  }

  register(argument: ts.Expression | undefined, registration: Registration): void {
    for (const fn of this.functionsOf(argument, 0)) this.addRoot(fn, registration);
  }

  /**
   * The module declaring the function a call runs. Read from the callee's symbol: overload resolution of a
   * registration call would type every handler passed to it.
   */
  declaringModule(call: ts.CallExpression): DeclaringModule {
    const symbol = resolvedSymbol(this.checker, calleeNameNode(call.expression));
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!declaration) return { module: undefined, resolved: false, ambient: false };
    this.noteReference(declaration);
    const ambient = declaration.getSourceFile().isDeclarationFile;
    return { module: declarationOrigin(declaration, this.program).module, resolved: true, ambient };
  }

  routerFactoryModule(receiver: ts.Expression): string | undefined {
    const factory = this.routerFactory(receiver);
    // The scan of every file using the router depends on the file declaring it.
    if (factory) this.noteReference(factory.declaration);
    return factory?.module;
  }

  /** The function a method called while loading runs; `app.use(...)` on a framework's router runs none. */
  startupMethodTarget(callee: ts.PropertyAccessExpression): ts.Node | undefined {
    if (this.routerFactory(callee.expression)) return undefined;
    const symbol = resolvedSymbol(this.checker, callee.name);
    return functionWithBody(symbol?.valueDeclaration ?? symbol?.declarations?.[0], this.checker);
  }

  private noteReference(node: ts.Node | undefined): void {
    const sourceFile = node?.getSourceFile();
    if (sourceFile && !sourceFile.isDeclarationFile && !this.current.referencedFiles.includes(sourceFile)) {
      this.current.referencedFiles.push(sourceFile);
    }
  }

  /** The functions an argument stands for: inline functions, references, wrapped handlers, arrays. */
  private functionsOf(argument: ts.Expression | undefined, depth: number): FunctionNode[] {
    if (!argument || depth > 3) return [];
    const node = skipOuterExpressions(argument);
    if (isFunctionExpressionLike(node)) return [node];
    if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((element) => this.functionsOf(element, depth + 1));
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      // `this.handle.bind(this)` registers `this.handle`.
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return this.functionsOf(callee.expression, depth + 1);
      // `asyncHandler(async (req, res) => ...)`: wrappers run what they wrap.
      return node.arguments.flatMap((inner) => this.functionsOf(inner, depth + 1));
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const symbol = resolvedSymbol(this.checker, ts.isPropertyAccessExpression(node) ? node.name : node);
      const fn = functionWithBody(symbol?.valueDeclaration ?? symbol?.declarations?.[0], this.checker);
      this.noteReference(fn);
      return fn && isFunctionNode(fn) ? [fn] : [];
    }
    return [];
  }

  /** Every entry-point site of the file, from its syntax index, handed to the models. */
  private visitEntryPoints(sourceFile: ts.SourceFile): void {
    for (const node of syntaxIndex(sourceFile).entryPointSites) {
      if (ts.isCallExpression(node)) this.visitCall(node);
      else if (ts.isClassDeclaration(node)) for (const model of FRAMEWORK_MODELS) model.matchClass?.(node, this);
      else if (isFunctionNode(node)) for (const model of FRAMEWORK_MODELS) model.matchFunction?.(node, this);
    }
    for (const model of FRAMEWORK_MODELS) model.matchFile?.(sourceFile, this);
  }

  /** A call goes to the model owning its callee's name, else (or when that model declines) to the user's registrars. */
  private visitCall(call: ts.CallExpression): void {
    const expression = skipOuterExpressions(call.expression);
    let callee: Callee;
    let owner: FrameworkModel | undefined;
    if (ts.isIdentifier(expression)) {
      callee = { name: expression.text, receiver: undefined, nameNode: expression };
      owner = CALL_MODELS.functions.get(expression.text);
    } else if (ts.isPropertyAccessExpression(expression)) {
      // A registration passes a function: calls whose arguments are all literals register nothing.
      if (!call.arguments.some(mayBeHandlerArgument)) return;
      callee = { name: expression.name.text, receiver: expression.expression, nameNode: expression.name };
      owner = CALL_MODELS.methods.get(expression.name.text);
    } else {
      return;
    }
    if (owner?.matchCall?.(call, callee, this) === false || !owner) FALLBACK_CALL_MODEL.matchCall?.(call, callee, this);
  }

  /**
   * The router framework whose factory made the receiver, read from its declaration: `const app = express()`,
   * `const router = express.Router()`, `new Koa()`, `Fastify()`. What the factory returns is the framework's
   * router, so its methods are the framework's, and the checker need not type the receiver to say so.
   */
  private routerFactory(receiver: ts.Expression): { module: string; declaration: ts.VariableDeclaration } | undefined {
    const node = skipOuterExpressions(receiver);
    if (!ts.isIdentifier(node)) return undefined;
    const symbol = resolvedSymbol(this.checker, node);
    const declaration = symbol?.declarations?.length === 1 ? symbol.declarations[0] : undefined;
    if (!declaration || !ts.isVariableDeclaration(declaration)) return undefined;
    let module = this.routerFactories.get(declaration);
    if (!this.routerFactories.has(declaration)) {
      const initializer = declaration.initializer && skipOuterExpressions(declaration.initializer);
      if (initializer && !declaration.type && ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const &&
        (ts.isCallExpression(initializer) || ts.isNewExpression(initializer))) {
        const origin = originFromSyntax(initializer.expression, this.checker, 0)?.module;
        module = origin !== undefined && Object.hasOwn(ROUTERS, origin) ? origin : undefined;
      }
      this.routerFactories.set(declaration, module);
    }
    return module === undefined ? undefined : { module, declaration };
  }

  /**
   * Calls made while modules load: what they call is startup code, not an entry point. Only async
   * functions can be entry points of their own, and no constructor is one, so `new` expressions are skipped.
   */
  private collectStartupCalls(sourceFile: ts.SourceFile): void {
    for (const call of syntaxIndex(sourceFile).loadTimeCalls) {
      if (!ts.isCallExpression(call)) continue;
      const callee = skipOuterExpressions(call.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        if (ts.isIdentifier(callee.name)) this.current.startupMethodCalls.push(callee);
        continue;
      }
      if (!ts.isIdentifier(callee)) continue;
      const symbol = resolvedSymbol(this.checker, callee);
      const fn = functionWithBody(symbol?.valueDeclaration ?? symbol?.declarations?.[0], this.checker);
      if (fn) {
        this.current.startupCalls.push(fn);
        this.noteReference(fn);
      }
    }
  }
}

function mayBeHandlerArgument(argument: ts.Expression): boolean {
  const node = skipOuterExpressions(argument);
  return !ts.isLiteralExpression(node) && node.kind !== ts.SyntaxKind.TrueKeyword && node.kind !== ts.SyntaxKind.FalseKeyword;
}

/** A handler with its position read on first use: most never appear in a finding, and the first position asked of a file computes its whole line map. */
function rootOf(fn: FunctionNode, registration: Registration): HandlerRoot {
  const site = registration.site;
  const sourceFile = site.getSourceFile();
  const fields = {
    label: registration.label,
    kind: registration.kind,
    ...(registration.method ? { method: registration.method } : {}),
    ...(registration.routePath ? { path: registration.routePath } : {}),
    fileName: sourceFile.fileName,
    node: fn,
  };
  let position: ts.LineAndCharacter | undefined;
  const at = (): ts.LineAndCharacter => (position ??= sourceFile.getLineAndCharacterOfPosition(site.getStart(sourceFile)));
  const handler = Object.defineProperties(fields, {
    line: { get: () => at().line + 1, enumerable: true },
    column: { get: () => at().character + 1, enumerable: true },
  }) as Handler;
  return { handler, requestParameters: registration.requestParameters(fn) };
}
