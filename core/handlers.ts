/**
 * Finding event-loop entry points (handlers) in a program. The scanner visits each file's entry-point sites
 * (calls, classes, functions, the file itself) once, from the file's syntax index, and hands each to the
 * framework models of `frameworks/registry.ts`, which know the frameworks: Express, Koa, Fastify, hapi, Hono,
 * node servers, sockets, timers and emitters, NestJS, Next.js, library middleware and async functions.
 * Registration methods are recognised by the module that declares them (through the checker), with a
 * syntactic fallback when the receiver is untyped.
 */
import ts from 'typescript';
import { declarationOrigin } from './declarations.js';
import { FALLBACK_CALL_MODEL, FRAMEWORK_MODELS, ROUTER_FRAMEWORKS, type FrameworkModel } from './frameworks/registry.js';
import type { Callee, DeclaringModule, Registration, ScanContext } from './frameworks/model.js';
import { assignedValues, calleeNameNode, functionWithBody, originFromSyntax, resolvedSymbol, skipOuterExpressions } from './resolve.js';
import { isFunctionExpressionLike, isFunctionNode, syntaxIndex, type FunctionNode } from './syntax-index.js';
import type { Handler, HandlerKind, HandlerRegistrar } from './types.js';

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

/** What runs while the program starts, from `startupCode`: entry points found there run once, not per request. */
export interface StartupCode {
  /** Functions called while modules load, and every function they call (through the call graph). */
  readonly called: ReadonlySet<ts.Node>;
}

/** The program's entry points from every file's scan. Named async functions that startup code calls are startup code. */
export function combineHandlerScans(scans: readonly FileHandlerScan[], asyncFunctionsAreHandlers: boolean, startup: StartupCode): HandlerRoot[] {
  const roots = scans.flatMap((scan) => scan.registrations);
  const taken = new Set<ts.Node>(roots.map((root) => root.handler.node));
  for (const candidate of scans.flatMap((scan) => scan.candidates)) {
    const fn = candidate.handler.node;
    if (taken.has(fn)) continue;
    if (candidate.handler.kind === 'async-function' && (!asyncFunctionsAreHandlers || startup.called.has(fn))) continue;
    taken.add(fn);
    roots.push(candidate);
  }
  return roots;
}

/**
 * Where startup begins: the functions modules call while they load (`main()`, `server.start()`, resolved by
 * `methodTarget`) and the promise callbacks of chains started then (`main().then(...)`).
 */
export function startupSeeds(scans: readonly FileHandlerScan[], methodTarget: (callee: ts.PropertyAccessExpression) => ts.Node | undefined): ts.Node[] {
  const seeds = scans.flatMap((scan) => scan.startupCalls);
  for (const callee of scans.flatMap((scan) => scan.startupMethodCalls)) {
    const fn = methodTarget(callee);
    if (fn) seeds.push(fn);
  }
  return seeds;
}

const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

/**
 * Handler kinds that serve traffic: a server a CLI script starts still has these. The script's own timers,
 * emitter listeners and async functions are the CLI's code, not a server's.
 */
const TRAFFIC_KINDS = new Set<HandlerKind>([
  'express-route',
  'express-middleware',
  'koa-middleware',
  'koa-router-route',
  'fastify-route',
  'fastify-hook',
  'hapi-route',
  'uws-route',
  'route',
  'middleware',
  'http-server',
  'net-server',
  'ws-listener',
  'socketio-listener',
  'nest-route',
  'nest-message',
  'nest-gateway',
  'next-route',
]);

/** What a script file contributes: the routes and servers it registers, and what it calls while loading. */
export function servedFromScript(scan: FileHandlerScan): FileHandlerScan {
  return { ...scan, registrations: scan.registrations.filter((root) => TRAFFIC_KINDS.has(root.handler.kind)), candidates: [] };
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
    if (!declaration) {
      // Untyped code (compiled CommonJS: `http_1.default.createServer`) says its module in its requires.
      return { module: originFromSyntax(call.expression, this.checker, 0)?.module, resolved: false, ambient: false };
    }
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
      // `write(db)` where `write` returns `(req, res, next) => ...`: the factory's product is registered; and
      // `asyncHandler(async (req, res) => ...)`: wrappers run what they wrap.
      return [...this.producedFunctions(callee), ...node.arguments.flatMap((inner) => this.functionsOf(inner, depth + 1))];
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const symbol = resolvedSymbol(this.checker, ts.isPropertyAccessExpression(node) ? node.name : node);
      const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      const fn = functionWithBody(declaration, this.checker);
      this.noteReference(fn ?? declaration);
      if (fn) return isFunctionNode(fn) ? [fn] : [];
      // `const serve = serveStatic(root); app.use(serve)`: what the factory produced; `var handler; handler =
      // function (req, res) {...}`: what the variable is given.
      return assignedValues(symbol).flatMap((value) => {
        const inner = skipOuterExpressions(value);
        return isFunctionExpressionLike(inner) || ts.isCallExpression(inner) ? this.functionsOf(inner, depth + 1) : [];
      });
    }
    return [];
  }

  /** The functions a factory returns (`return function (req, res) {...}`, an arrow's body), if it has a body here. */
  private producedFunctions(callee: ts.Expression): FunctionNode[] {
    const factory = this.calledFunction(callee);
    if (!factory?.body) return [];
    this.noteReference(factory);
    return returnedFunctions(factory);
  }

  /** The function with a body a callee runs: by name, or (`require('./write')(db)`) by the callee's type. */
  private calledFunction(callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
    if (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) {
      const symbol = resolvedSymbol(this.checker, ts.isPropertyAccessExpression(callee) ? callee.name : callee);
      return functionWithBody(symbol?.valueDeclaration ?? symbol?.declarations?.[0], this.checker);
    }
    try {
      const signatures = this.checker.getTypeAtLocation(callee).getCallSignatures();
      return signatures.length === 1 ? functionWithBody(signatures[0]!.getDeclaration(), this.checker) : undefined;
    } catch {
      return undefined; // The checker can throw on code it cannot type.
    }
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
      if (
        initializer &&
        !declaration.type &&
        ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const &&
        (ts.isCallExpression(initializer) || ts.isNewExpression(initializer))
      ) {
        const origin = originFromSyntax(initializer.expression, this.checker, 0)?.module;
        module = origin !== undefined && Object.hasOwn(ROUTER_FRAMEWORKS, origin) ? origin : undefined;
      }
      this.routerFactories.set(declaration, module);
    }
    return module === undefined ? undefined : { module, declaration };
  }

  /**
   * Calls made while modules load: what they call is startup code, not an entry point. No constructor is an
   * entry point, so `new` expressions are skipped. Promise callbacks of chains started while loading
   * (`main().then(() => ...)`) run once too.
   */
  private collectStartupCalls(sourceFile: ts.SourceFile): void {
    for (const call of syntaxIndex(sourceFile).loadTimeCalls) {
      if (!ts.isCallExpression(call)) continue;
      const callee = skipOuterExpressions(call.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        if (ts.isIdentifier(callee.name)) this.current.startupMethodCalls.push(callee);
        if (PROMISE_METHODS.has(callee.name.text)) {
          for (const argument of call.arguments) {
            const fn = skipOuterExpressions(argument);
            if (isFunctionExpressionLike(fn)) this.current.startupCalls.push(fn);
          }
        }
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

/** The function expressions a function returns from its own body (not from nested functions). */
function returnedFunctions(fn: ts.FunctionLikeDeclaration): FunctionNode[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) {
    const value = skipOuterExpressions(body);
    return isFunctionExpressionLike(value) ? [value] : [];
  }
  const found: FunctionNode[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression);
      if (isFunctionExpressionLike(value)) found.push(value);
      return;
    }
    if (!isFunctionNode(node) && !ts.isClassLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
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
