/**
 * Fastify: shorthand routes and `route({ method, url, handler })` (read by `routers.ts` from this model's
 * router entry), and lifecycle hooks, `fastify.addHook('onRequest', fn)`, which run on every request.
 */
import ts from 'typescript';
import { firstParameter, type FrameworkModel } from './model.js';
import { stringValue } from './syntax.js';

export const fastifyModel: FrameworkModel = {
  name: 'fastify',
  routers: { fastify: { route: 'fastify-route', middleware: 'middleware' } },
  methods: new Set(['addHook']),
  matchCall(call, callee, context) {
    const hookName = stringValue(call.arguments[0]);
    const { module, resolved } = context.declaringModule(call);
    if (!hookName || (resolved && module !== 'fastify') || !ts.isIdentifier(callee.nameNode)) return;
    context.register(call.arguments[1], { kind: 'fastify-hook', label: `${hookName} hook`, site: callee.nameNode, requestParameters: firstParameter });
  },
};
