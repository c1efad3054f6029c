/**
 * Finding event-loop entry points (handlers) in a program: framework routes and middleware, server and
 * socket listeners, emitter listeners, timers, microtasks, promise callbacks, NestJS controller and
 * gateway methods, Next.js route exports, and any other async function that is not startup code.
 * Registration methods are recognised by the module that declares them (through the checker), with a
 * syntactic fallback when the receiver is untyped.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { declarationOrigin, propertyNameText } from './declarations.js';
import {
  EMITTER_FAMILIES, GENERIC_EMITTER, HTTP_METHODS, LISTENER_METHODS, NEST_HTTP_DECORATORS, NEST_MESSAGE_DECORATORS,
  NEST_NON_REQUEST_PARAMETERS, NEXT_ROUTE_EXPORTS, NEXT_ROUTE_FILE, PROMISE_METHODS, ROUTER_FRAMEWORKS, SCHEDULERS,
  SERVER_FACTORIES, SHUTDOWN_EVENTS, type RouterFramework,
} from './handler-tables.js';
import { calleeNameNode, functionWithBody, originFromSyntax, resolvedSymbol, skipOuterExpressions } from './resolve.js';
import { specifierMatches } from './specifiers.js';
import { isFunctionExpressionLike, isFunctionNode, isImmediatelyInvoked, syntaxIndex, type FunctionNode } from './syntax-index.js';
import type { Handler, HandlerKind, HandlerRegistrar } from './types.js';

export interface HandlerRoot {
  handler: Handler;
  /** Indices of the parameters that carry request data (for the CPU rule's request-data checks). */
  requestParameters: readonly number[];
}

interface Registration {
  kind: HandlerKind;
  label: string;
  method?: string;
  routePath?: string;
  site: ts.Node;
  /** Which parameters carry request data, given the function's parameter count. */
  requestParameters: (fn: FunctionNode) => number[];
}

const none = (): number[] => [];
const first = (): number[] => [0];
const all = (fn: FunctionNode): number[] => fn.parameters.map((_, index) => index);
/** Express error middleware `(err, req, res, next)` gets the request second. */
const expressRequest = (fn: FunctionNode): number[] => (fn.parameters.length === 4 ? [1] : [0]);

function isAsync(fn: FunctionNode): boolean {
  return ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async ? true : false;
}

/** Code that runs while the module is loaded: not inside any function other than an IIFE. */
export function runsAtModuleLoad(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionLike(current) && !isImmediatelyInvoked(current)) return false;
  }
  return true;
}

function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = ts.isExpression(node) ? skipOuterExpressions(node) : node;
  if (ts.isStringLiteralLike(inner)) return inner.text;
  if (ts.isRegularExpressionLiteral(inner)) return inner.text;
  return undefined;
}

function isPathLike(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  const inner = skipOuterExpressions(node);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.length > 0 && inner.elements.every((element) => isPathLike(element));
  const text = stringValue(inner);
  return text !== undefined && (text.startsWith('/') || text.startsWith('*') || ts.isRegularExpressionLiteral(inner));
}

function pathText(node: ts.Expression | undefined): string {
  if (!node) return '/';
  const inner = skipOuterExpressions(node);
  if (ts.isArrayLiteralExpression(inner)) return pathText(inner.elements[0]);
  return stringValue(inner) ?? '<dynamic>';
}

function objectProperty(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
    if (ts.isMethodDeclaration(property) && ts.isIdentifier(property.name) && property.name.text === name) return undefined;
  }
  return undefined;
}

function objectMethod(object: ts.ObjectLiteralExpression, name: string): ts.MethodDeclaration | undefined {
  return object.properties.find(
    (property): property is ts.MethodDeclaration => ts.isMethodDeclaration(property) && ts.isIdentifier(property.name) && property.name.text === name,
  );
}

function joinRoutePaths(...parts: Array<string | undefined>): string {
  const joined = parts.filter((part): part is string => !!part).join('/');
  return `/${joined}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

const REQUEST_OBJECT_NAMES = /^(?:req|res|request|response)$/;
const REQUEST_PARAMETER = /^(?:req|request)$/;
const RESPONSE_PARAMETER = /^(?:res|response|reply)$/;

/** `(req, res)`, `(req, res, next)` or `(err, req, res, next)`. */
function hasMiddlewareParameters(fn: FunctionNode): boolean {
  const names = fn.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : ''));
  const offset = names.length === 4 ? 1 : 0;
  return names.length >= 2 && REQUEST_PARAMETER.test(names[offset] ?? '') && RESPONSE_PARAMETER.test(names[offset + 1] ?? '');
}

/** The name a function is exported under (`export function x`, `module.exports = fn`, `exports.x = fn`). */
function exportName(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) {
    return fn.name?.text ?? 'default';
  }
  const holder = fn.parent;
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && holder.right === fn) {
    const target = holder.left.getText();
    if (target === 'module.exports') return ts.isFunctionExpression(fn) && fn.name ? fn.name.text : 'default';
    const match = /^(?:module\.)?exports\.(\w+)$/.exec(target);
    if (match) return match[1];
  }
  return undefined;
}

/** The function that returns `fn` (`return function (req, res, next) {...}` or an arrow's body). */
function returningFunction(fn: FunctionNode): ts.FunctionLikeDeclaration | undefined {
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isArrowFunction(parent) && parent.body === node) return parent;
  if (!ts.isReturnStatement(parent)) return undefined;
  for (let current = parent.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
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

/** Scans one file at a time for entry points, with the program's checker. */
export class HandlerScanner {
  private readonly checker: ts.TypeChecker;
  private current: FileHandlerScan = emptyScan();
  /** What `routerFactory` found per variable: a router is declared once and used many times. */
  private readonly routerFactories = new Map<ts.VariableDeclaration, string | undefined>();

  constructor(
    private readonly program: ts.Program,
    private readonly registrars: readonly HandlerRegistrar[],
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

  private noteReference(node: ts.Node | undefined): void {
    const sourceFile = node?.getSourceFile();
    if (sourceFile && !sourceFile.isDeclarationFile && !this.current.referencedFiles.includes(sourceFile)) {
      this.current.referencedFiles.push(sourceFile);
    }
  }

  private addRoot(fn: FunctionNode, registration: Registration, list: HandlerRoot[] = this.current.registrations): void {
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
    // Read on first use: most handlers never appear in a finding, and the first position asked of a file
    // computes its whole line map.
    let position: ts.LineAndCharacter | undefined;
    const at = (): ts.LineAndCharacter => (position ??= sourceFile.getLineAndCharacterOfPosition(site.getStart(sourceFile)));
    const handler = Object.defineProperties(fields, {
      line: { get: () => at().line + 1, enumerable: true },
      column: { get: () => at().character + 1, enumerable: true },
    }) as Handler;
    list.push({ handler, requestParameters: registration.requestParameters(fn) });
  }

  private register(argument: ts.Expression | undefined, registration: Registration): void {
    for (const fn of this.functionsOf(argument, 0)) this.addRoot(fn, registration);
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

  /**
   * The module declaring the function a call runs (`resolved` false when the callee is untyped;
   * `ambient` when it is declared in a declaration file, as the platform's globals are). Read from the
   * callee's symbol: overload resolution of a registration call would type every handler passed to it.
   */
  private declaringModule(call: ts.CallExpression): { module: string | undefined; resolved: boolean; ambient: boolean } {
    const symbol = resolvedSymbol(this.checker, calleeNameNode(call.expression));
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!declaration) return { module: undefined, resolved: false, ambient: false };
    this.noteReference(declaration);
    const ambient = declaration.getSourceFile().isDeclarationFile;
    return { module: declarationOrigin(declaration, this.program).module, resolved: true, ambient };
  }

  /** Registrations, library middleware and async functions, from the file's syntax index. */
  private visitEntryPoints(sourceFile: ts.SourceFile): void {
    for (const node of syntaxIndex(sourceFile).entryPointSites) {
      if (ts.isCallExpression(node)) this.checkCall(node);
      else if (ts.isClassDeclaration(node)) this.checkNestClass(node);
      else if (isFunctionNode(node)) {
        this.checkLibraryMiddleware(node);
        this.checkAsyncFunction(node);
      }
    }
    this.checkNextRouteFile(sourceFile);
  }

  private checkCall(call: ts.CallExpression): void {
    const callee = skipOuterExpressions(call.expression);
    const args = call.arguments;
    if (ts.isIdentifier(callee)) {
      this.checkPlainCall(call, callee.text, args);
      return;
    }
    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    if (!args.some((argument) => this.mayBeHandlerArgument(argument))) return;
    if (HTTP_METHODS.has(method) || method === 'use' || method === 'route') this.checkRouterCall(call, callee, method);
    else if (LISTENER_METHODS.has(method)) this.checkListener(call);
    else if (method === 'addHook') this.checkFastifyHook(call);
    else if (PROMISE_METHODS.has(method)) this.checkPromiseCallback(call, method);
    else if (method === 'nextTick' && ts.isIdentifier(callee.expression) && callee.expression.text === 'process') {
      this.register(args[0], { kind: 'microtask', label: 'process.nextTick', site: callee, requestParameters: none });
    } else if (Object.hasOwn(SCHEDULERS, method) && this.isGlobalScheduler(call)) {
      this.register(args[0], { kind: SCHEDULERS[method]!, label: method, site: callee, requestParameters: none });
    } else if (method === 'createServer') {
      this.checkServerFactory(call);
    } else {
      this.checkUserRegistrar(call, args);
    }
  }

  private mayBeHandlerArgument(argument: ts.Expression): boolean {
    const node = skipOuterExpressions(argument);
    return !ts.isLiteralExpression(node) && node.kind !== ts.SyntaxKind.TrueKeyword && node.kind !== ts.SyntaxKind.FalseKeyword;
  }

  private checkPlainCall(call: ts.CallExpression, name: string, args: ts.NodeArray<ts.Expression>): void {
    if (Object.hasOwn(SCHEDULERS, name)) {
      if (this.isGlobalScheduler(call)) {
        this.register(args[0], { kind: SCHEDULERS[name]!, label: name, site: call.expression, requestParameters: none });
      }
    } else if (name === 'createServer') {
      this.checkServerFactory(call);
    } else {
      this.checkUserRegistrar(call, args);
    }
  }

  /** `setTimeout` from the globals or node:timers, not a local function of the same name. */
  private isGlobalScheduler(call: ts.CallExpression): boolean {
    const { module, resolved, ambient } = this.declaringModule(call);
    return !resolved || (ambient && (module === undefined || module === 'node:timers'));
  }

  private checkServerFactory(call: ts.CallExpression): void {
    const { module } = this.declaringModule(call);
    const factory = module ? SERVER_FACTORIES[module] : undefined;
    const family = module ? EMITTER_FAMILIES[module] : undefined;
    if (!factory || !family) return;
    const callback = call.arguments.find((argument) => !ts.isObjectLiteralExpression(skipOuterExpressions(argument)));
    this.register(callback, { kind: family.kind, label: `${family.prefix} ${factory.event}`, site: call.expression, requestParameters: all });
  }

  private checkRouterCall(call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): void {
    const args = call.arguments;
    const hasPath = isPathLike(args[0]);
    // A route needs a path, its own or one given to `.route()` up the chain: `map.get(key)` is never one.
    const chainedPath = HTTP_METHODS.has(method) && !hasPath ? this.chainedRoutePath(callee.expression) : undefined;
    if (HTTP_METHODS.has(method) && !hasPath && chainedPath === undefined) return;
    const factory = this.routerFactory(callee.expression);
    // The scan of every file using the router depends on the file declaring it.
    if (factory) this.noteReference(factory.declaration);
    const { module, resolved } = factory ? { module: factory.module, resolved: true } : this.declaringModule(call);
    let framework: RouterFramework | undefined = module ? ROUTER_FRAMEWORKS[module] : undefined;
    if (!framework && resolved) return; // A method of some other typed object that happens to be called `use`.
    if (method === 'route') {
      this.checkRouteObjects(args[0], framework?.route ?? 'route');
      return;
    }
    if (!framework) {
      // Untyped receiver: only the unmistakable shapes, `x.get('/path', fn)` and `x.use(fn)`.
      if (method !== 'use' && !hasPath) return;
      framework = { route: 'route', middleware: 'middleware' };
    }
    const requestParameters = framework.route === 'express-route' || framework.route === 'route' ? expressRequest : first;
    if (method === 'use') {
      const routePath = hasPath ? pathText(args[0]) : undefined;
      for (const argument of hasPath ? args.slice(1) : args) {
        this.register(argument, {
          kind: framework.middleware, label: routePath ? `middleware ${routePath}` : 'middleware', site: callee.name, requestParameters,
        });
      }
      return;
    }
    const routePath = hasPath ? pathText(args[0]) : chainedPath!;
    const httpMethod = method === 'del' ? 'DELETE' : method.toUpperCase();
    const registration: Registration = {
      kind: framework.route, label: `${httpMethod} ${routePath}`, method: httpMethod, routePath, site: callee.name, requestParameters,
    };
    for (const argument of hasPath ? args.slice(1) : args) {
      const inner = skipOuterExpressions(argument);
      // Fastify: `get(path, { handler })` or `get(path, options, handler)`.
      if (ts.isObjectLiteralExpression(inner)) this.register(objectProperty(inner, 'handler') ?? objectMethod(inner, 'handler') as ts.Expression | undefined, registration);
      else this.register(argument, registration);
    }
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
        module = origin !== undefined && Object.hasOwn(ROUTER_FRAMEWORKS, origin) ? origin : undefined;
      }
      this.routerFactories.set(declaration, module);
    }
    return module === undefined ? undefined : { module, declaration };
  }

  /** Express `app.route('/book').get(fn).post(fn)`: the path given to `.route()` down the chain. */
  private chainedRoutePath(receiver: ts.Expression): string | undefined {
    let node = skipOuterExpressions(receiver);
    while (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      if (callee.name.text === 'route' && isPathLike(node.arguments[0])) return pathText(node.arguments[0]);
      if (!HTTP_METHODS.has(callee.name.text)) return undefined;
      node = skipOuterExpressions(callee.expression);
    }
    return undefined;
  }

  /** Fastify `route({ method, url, handler })` and hapi `route({ method, path, handler })` (or arrays). */
  private checkRouteObjects(argument: ts.Expression | undefined, kind: HandlerKind): void {
    if (!argument) return;
    const node = skipOuterExpressions(argument);
    if (ts.isArrayLiteralExpression(node)) {
      for (const element of node.elements) this.checkRouteObjects(element, kind);
      return;
    }
    if (!ts.isObjectLiteralExpression(node)) return;
    const options = objectProperty(node, 'options') ?? objectProperty(node, 'config');
    const handlerHolder = objectProperty(node, 'handler') || objectMethod(node, 'handler')
      ? node
      : options && ts.isObjectLiteralExpression(skipOuterExpressions(options)) ? (skipOuterExpressions(options) as ts.ObjectLiteralExpression) : node;
    const methodNode = objectProperty(node, 'method');
    const methodNodeInner = methodNode && skipOuterExpressions(methodNode);
    const methods = methodNodeInner && ts.isArrayLiteralExpression(methodNodeInner)
      ? methodNodeInner.elements.map((element) => stringValue(element) ?? '<dynamic>')
      : [stringValue(methodNodeInner) ?? '<dynamic>'];
    const httpMethod = methods.map((method) => (method === '*' ? 'ALL' : method.toUpperCase())).join(',');
    const routePath = pathText(objectProperty(node, 'url') ?? objectProperty(node, 'path'));
    const registration: Registration = {
      kind, label: `${httpMethod} ${routePath}`, method: httpMethod, routePath, site: node, requestParameters: first,
    };
    const method = objectMethod(handlerHolder, 'handler');
    if (method) this.addRoot(method, registration);
    else this.register(objectProperty(handlerHolder, 'handler'), registration);
  }

  private checkFastifyHook(call: ts.CallExpression): void {
    const hookName = stringValue(call.arguments[0]);
    const { module, resolved } = this.declaringModule(call);
    if (!hookName || (resolved && module !== 'fastify')) return;
    this.register(call.arguments[1], {
      kind: 'fastify-hook', label: `${hookName} hook`, site: (call.expression as ts.PropertyAccessExpression).name, requestParameters: first,
    });
  }

  private checkListener(call: ts.CallExpression): void {
    const event = stringValue(call.arguments[0]);
    if (event === undefined) return;
    const { module } = this.declaringModule(call);
    const family = (module && EMITTER_FAMILIES[module]) || GENERIC_EMITTER;
    if (family.prefix === 'process' && SHUTDOWN_EVENTS.test(event)) return;
    this.register(call.arguments[1], {
      kind: family.kind,
      label: `${family.prefix} ${event}`,
      site: (call.expression as ts.PropertyAccessExpression).name,
      requestParameters: family.carriesRequestData ? all : none,
    });
  }

  private checkPromiseCallback(call: ts.CallExpression, method: string): void {
    // A promise chain started while the module loads is startup code (`main().then(...)`).
    if (runsAtModuleLoad(call)) return;
    const site = (call.expression as ts.PropertyAccessExpression).name;
    for (const argument of call.arguments) {
      this.register(argument, { kind: 'promise-callback', label: `promise ${method}`, site, requestParameters: none });
    }
  }

  private checkUserRegistrar(call: ts.CallExpression, args: readonly ts.Expression[]): void {
    if (this.registrars.length === 0) return;
    const symbol = resolvedSymbol(this.checker, calleeNameNode(call.expression));
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!declaration) return;
    const origin = declarationOrigin(declaration, this.program);
    const registrar = this.registrars.find((candidate) => specifierMatches(candidate.declaration, origin, this.program.getCurrentDirectory()));
    if (!registrar) return;
    for (const argument of args) {
      this.register(argument, { kind: 'event-listener', label: registrar.label, site: call.expression, requestParameters: all });
    }
  }

  private decoratorsOf(node: ts.HasDecorators): Array<{ name: string; args: readonly ts.Expression[]; node: ts.Decorator }> {
    return (ts.getDecorators(node) ?? []).flatMap((decorator): Array<{ name: string; args: readonly ts.Expression[]; node: ts.Decorator }> => {
      const expression = decorator.expression;
      if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression)) {
        return [{ name: expression.expression.text, args: expression.arguments, node: decorator }];
      }
      return ts.isIdentifier(expression) ? [{ name: expression.text, args: [], node: decorator }] : [];
    });
  }

  private checkNestClass(node: ts.ClassDeclaration): void {
    const classDecorators = this.decoratorsOf(node);
    const controller = classDecorators.find((decorator) => decorator.name === 'Controller');
    const isGateway = classDecorators.some((decorator) => decorator.name === 'WebSocketGateway');
    if (!controller && !isGateway) return;
    const prefixArgument = controller?.args[0] && skipOuterExpressions(controller.args[0]);
    const prefix = prefixArgument && ts.isObjectLiteralExpression(prefixArgument)
      ? stringValue(objectProperty(prefixArgument, 'path'))
      : stringValue(prefixArgument);
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member) || !member.body) continue;
      for (const decorator of this.decoratorsOf(member)) {
        const requestParameters = (fn: FunctionNode): number[] =>
          fn.parameters.flatMap((parameter, index) =>
            this.decoratorsOf(parameter).some((parameterDecorator) => NEST_NON_REQUEST_PARAMETERS.has(parameterDecorator.name)) ? [] : [index]);
        if (NEST_HTTP_DECORATORS.has(decorator.name)) {
          const httpMethod = decorator.name.toUpperCase();
          const routePath = joinRoutePaths(prefix, stringValue(decorator.args[0]));
          this.addRoot(member, {
            kind: 'nest-route', label: `${httpMethod} ${routePath}`, method: httpMethod, routePath, site: member.name, requestParameters,
          });
        } else if (Object.hasOwn(NEST_MESSAGE_DECORATORS, decorator.name)) {
          const { prefix: labelPrefix, kind } = NEST_MESSAGE_DECORATORS[decorator.name]!;
          const pattern = decorator.args[0] ? stringValue(decorator.args[0]) ?? decorator.args[0].getText() : '*';
          this.addRoot(member, { kind, label: `${labelPrefix} ${pattern}`, site: member.name, requestParameters });
        }
      }
    }
  }

  /** Next.js App Router: `export async function GET(request)` in `app/**\/route.ts`. */
  private checkNextRouteFile(sourceFile: ts.SourceFile): void {
    const fileName = sourceFile.fileName.replaceAll('\\', '/');
    if (!NEXT_ROUTE_FILE.test(fileName)) return;
    const appIndex = fileName.lastIndexOf('/app/');
    if (appIndex < 0) return;
    const segments = path.posix.dirname(fileName.slice(appIndex + '/app/'.length)).split('/')
      .filter((segment) => segment !== '.' && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
    const routePath = `/${segments.join('/')}`;
    for (const statement of sourceFile.statements) {
      const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) continue;
      const candidates: Array<[ts.Identifier, ts.Node | undefined]> = ts.isFunctionDeclaration(statement) && statement.name
        ? [[statement.name, statement]]
        : ts.isVariableStatement(statement)
          ? statement.declarationList.declarations.flatMap((declaration) =>
            ts.isIdentifier(declaration.name) ? [[declaration.name, declaration.initializer] as [ts.Identifier, ts.Node | undefined]] : [])
          : [];
      for (const [name, value] of candidates) {
        const fn = value && (isFunctionNode(value) ? value : undefined);
        if (!fn || !NEXT_ROUTE_EXPORTS.has(name.text)) continue;
        this.addRoot(fn, {
          kind: 'next-route', label: `${name.text} ${routePath}`, method: name.text, routePath, site: name, requestParameters: all,
        });
      }
    }
  }

  /**
   * Middleware a library exports for its users to register: `(req, res, next)` functions returned from
   * factories or exported, and methods installed on request/response objects (`res.render = function`).
   * Nobody registers them in the library's own code, yet they run on its users' event loops.
   */
  private checkLibraryMiddleware(fn: FunctionNode): void {
    const name = this.libraryMiddlewareName(fn);
    if (name === undefined) return;
    const site = (fn as { name?: ts.Node }).name ?? fn;
    this.addRoot(fn, { kind: 'library-middleware', label: name, site, requestParameters: expressRequest }, this.current.candidates);
  }

  private libraryMiddlewareName(fn: FunctionNode): string | undefined {
    const holder = fn.parent;
    // `res.render = function render() {}`: a method every request's response carries.
    if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && holder.right === fn &&
      ts.isPropertyAccessExpression(holder.left) && ts.isIdentifier(holder.left.expression) &&
      REQUEST_OBJECT_NAMES.test(holder.left.expression.text)) {
      return `${holder.left.expression.text}.${holder.left.name.text}()`;
    }
    if (!hasMiddlewareParameters(fn)) return undefined;
    const exportedAs = exportName(fn);
    if (exportedAs !== undefined) return `middleware ${exportedAs}`;
    const factory = returningFunction(fn);
    if (!factory) return undefined;
    const factoryName = ts.isFunctionDeclaration(factory) || ts.isFunctionExpression(factory) ? factory.name?.text : undefined;
    const holderName = ts.isVariableDeclaration(factory.parent) && ts.isIdentifier(factory.parent.name) ? factory.parent.name.text : undefined;
    return `middleware ${factoryName ?? holderName ?? exportName(factory) ?? '(factory)'}()`;
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

  /** The function a method called while loading runs; `app.use(...)` on a framework's router runs none. */
  startupMethodTarget(callee: ts.PropertyAccessExpression): ts.Node | undefined {
    if (this.routerFactory(callee.expression)) return undefined;
    const symbol = resolvedSymbol(this.checker, callee.name);
    return functionWithBody(symbol?.valueDeclaration ?? symbol?.declarations?.[0], this.checker);
  }

  private checkAsyncFunction(fn: FunctionNode): void {
    if (!isAsync(fn)) return;
    const name = this.asyncFunctionName(fn);
    if (name === undefined || isImmediatelyInvoked(fn)) return;
    const site = (fn as { name?: ts.Node }).name ?? fn;
    this.addRoot(fn, { kind: 'async-function', label: `async ${name}()`, site, requestParameters: none }, this.current.candidates);
  }

  /**
   * The name of a named async function (declaration, method, or function stored in a variable or property).
   * Anonymous async callbacks are not entry points of their own: they run when their enclosing code runs.
   */
  private asyncFunctionName(fn: FunctionNode): string | undefined {
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
}
