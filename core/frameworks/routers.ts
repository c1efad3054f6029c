/**
 * HTTP routers: `app.get('/x', fn)`, `app.use(fn)`, `app.route('/x').get(fn)`, Fastify's `get(path, { handler })`
 * and `route({ method, url, handler })`, hapi's `route({ method, path, handler })`. Which packages are routers,
 * and how their routes are labelled, is the data of the family models (`routers`). A method of some other
 * typed object that happens to be called `get` or `use` is not a route; an untyped receiver counts only in
 * the unmistakable shapes, `x.get('/path', fn)` and `x.use(fn)`.
 */
import ts from 'typescript';
import { skipOuterExpressions } from '../resolve.js';
import type { HandlerKind } from '../types.js';
import {
  expressRequestParameter,
  firstParameter,
  type Callee,
  type FrameworkModel,
  type Registration,
  type RouterFramework,
  type ScanContext,
} from './model.js';
import { HTTP_METHODS, isPathLike, objectMethod, objectProperty, pathText, stringValue } from './syntax.js';

const UNTYPED_ROUTER: RouterFramework = { route: 'route', middleware: 'middleware' };

export function createRoutersModel(routers: Readonly<Record<string, RouterFramework>>): FrameworkModel {
  const frameworkOf = (module: string | undefined): RouterFramework | undefined =>
    module !== undefined && Object.hasOwn(routers, module) ? routers[module] : undefined;

  function matchCall(call: ts.CallExpression, callee: Callee, context: ScanContext): undefined {
    const method = callee.name;
    const receiver = callee.receiver!;
    const args = call.arguments;
    const hasPath = isPathLike(args[0]);
    // A route needs a path, its own or one given to `.route()` up the chain: `map.get(key)` is never one.
    const chainedPath = HTTP_METHODS.has(method) && !hasPath ? chainedRoutePath(receiver) : undefined;
    if (HTTP_METHODS.has(method) && !hasPath && chainedPath === undefined) return;
    const factoryModule = context.routerFactoryModule(receiver);
    const { module, resolved } = factoryModule !== undefined ? { module: factoryModule, resolved: true } : context.declaringModule(call);
    let framework = frameworkOf(module);
    if (!framework && resolved) return;
    if (method === 'route') {
      matchRouteObjects(args[0], framework?.route ?? 'route', context);
      return;
    }
    if (!framework) {
      if (method !== 'use' && !hasPath) return;
      framework = UNTYPED_ROUTER;
    }
    const requestParameters = framework.route === 'express-route' || framework.route === 'route' ? expressRequestParameter : firstParameter;
    if (method === 'use') {
      const routePath = hasPath ? pathText(args[0]) : undefined;
      for (const argument of hasPath ? args.slice(1) : args) {
        context.register(argument, {
          kind: framework.middleware,
          label: routePath ? `middleware ${routePath}` : 'middleware',
          site: callee.nameNode,
          requestParameters,
        });
      }
      return;
    }
    const routePath = hasPath ? pathText(args[0]) : chainedPath!;
    const httpMethod = method === 'del' ? 'DELETE' : method.toUpperCase();
    const registration: Registration = {
      kind: framework.route,
      label: `${httpMethod} ${routePath}`,
      method: httpMethod,
      routePath,
      site: callee.nameNode,
      requestParameters,
    };
    for (const argument of hasPath ? args.slice(1) : args) {
      const inner = skipOuterExpressions(argument);
      // Fastify: `get(path, { handler })` or `get(path, options, handler)`.
      if (ts.isObjectLiteralExpression(inner)) {
        context.register(objectProperty(inner, 'handler') ?? (objectMethod(inner, 'handler') as ts.Expression | undefined), registration);
      } else {
        context.register(argument, registration);
      }
    }
  }

  return { name: 'routers', routers, methods: new Set([...HTTP_METHODS, 'use', 'route']), matchCall };
}

/** Express `app.route('/book').get(fn).post(fn)`: the path given to `.route()` down the chain. */
function chainedRoutePath(receiver: ts.Expression): string | undefined {
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
function matchRouteObjects(argument: ts.Expression | undefined, kind: HandlerKind, context: ScanContext): void {
  if (!argument) return;
  const node = skipOuterExpressions(argument);
  if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements) matchRouteObjects(element, kind, context);
    return;
  }
  if (!ts.isObjectLiteralExpression(node)) return;
  const options = objectProperty(node, 'options') ?? objectProperty(node, 'config');
  const handlerHolder =
    objectProperty(node, 'handler') || objectMethod(node, 'handler')
      ? node
      : options && ts.isObjectLiteralExpression(skipOuterExpressions(options))
        ? (skipOuterExpressions(options) as ts.ObjectLiteralExpression)
        : node;
  const methodNode = objectProperty(node, 'method');
  const methodNodeInner = methodNode && skipOuterExpressions(methodNode);
  const methods =
    methodNodeInner && ts.isArrayLiteralExpression(methodNodeInner)
      ? methodNodeInner.elements.map((element) => stringValue(element) ?? '<dynamic>')
      : [stringValue(methodNodeInner) ?? '<dynamic>'];
  const httpMethod = methods.map((method) => (method === '*' ? 'ALL' : method.toUpperCase())).join(',');
  const routePath = pathText(objectProperty(node, 'url') ?? objectProperty(node, 'path'));
  const registration: Registration = {
    kind,
    label: `${httpMethod} ${routePath}`,
    method: httpMethod,
    routePath,
    site: node,
    requestParameters: firstParameter,
  };
  const method = objectMethod(handlerHolder, 'handler');
  if (method) context.addRoot(method, registration);
  else context.register(objectProperty(handlerHolder, 'handler'), registration);
}
