/**
 * uWebSockets.js: `app.get('/x', (res, req) => ...)` and the other HTTP methods (read by `routers.ts` from
 * this model's router entry), `app.any('/x', fn)`, and the behaviour object of `app.ws('/x', { message })`,
 * whose functions run on every WebSocket event.
 */
import ts from 'typescript';
import { skipOuterExpressions } from '../resolve.js';
import { everyParameter, type FrameworkModel, type ScanContext } from './model.js';
import { isPathLike, objectMethod, objectProperty, pathText } from './syntax.js';

const PACKAGE = 'uWebSockets.js';
/** The functions of a `ws()` behaviour object that run per connection or per message. */
const WEBSOCKET_EVENTS = ['upgrade', 'open', 'message', 'drain', 'ping', 'pong', 'close', 'subscription', 'dropped'];

/** Whether the receiver is a uWebSockets.js app (`const app = uWS.App()`), or the call is typed as one. */
function isUwsApp(call: ts.CallExpression, receiver: ts.Expression, context: ScanContext): boolean {
  return (context.routerFactoryModule(receiver) ?? context.declaringModule(call).module) === PACKAGE;
}

export const uwebsocketsModel: FrameworkModel = {
  name: 'uwebsockets',
  routers: { [PACKAGE]: { route: 'uws-route', middleware: 'middleware' } },
  methods: new Set(['any', 'ws']),
  matchCall(call, callee, context) {
    const [pattern, handler] = call.arguments;
    if (!callee.receiver || !isPathLike(pattern) || !isUwsApp(call, callee.receiver, context)) return false;
    const routePath = pathText(pattern);
    if (callee.name === 'any') {
      // `(res, req)`: the request is the second parameter; the response's `onData` chunks arrive later.
      context.register(handler, {
        kind: 'uws-route',
        label: `ALL ${routePath}`,
        method: 'ALL',
        routePath,
        site: callee.nameNode,
        requestParameters: () => [1],
      });
      return true;
    }
    const behaviour = handler && skipOuterExpressions(handler);
    if (!behaviour || !ts.isObjectLiteralExpression(behaviour)) return true;
    for (const event of WEBSOCKET_EVENTS) {
      const registration = {
        kind: 'ws-listener' as const,
        label: `ws ${routePath} ${event}`,
        site: callee.nameNode,
        requestParameters: everyParameter,
      };
      const method = objectMethod(behaviour, event);
      if (method) context.addRoot(method, registration);
      else context.register(objectProperty(behaviour, event), registration);
    }
    return true;
  },
};
