/**
 * Data for handler detection: which packages' registration methods take event-loop handlers, and how
 * listeners of each emitter family are labelled. Matched against the module that declares the called
 * method, so a method of the user's own class named `get` or `on` is never mistaken for a route.
 */
import type { HandlerKind } from './types.js';

export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'search']);

export const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

export const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

export interface RouterFramework {
  route: HandlerKind;
  middleware: HandlerKind;
}

/** Packages whose `get/post/.../use/route` methods register HTTP handlers. */
export const ROUTER_FRAMEWORKS: Readonly<Record<string, RouterFramework>> = {
  express: { route: 'express-route', middleware: 'express-middleware' },
  'express-serve-static-core': { route: 'express-route', middleware: 'express-middleware' },
  router: { route: 'express-route', middleware: 'express-middleware' },
  connect: { route: 'route', middleware: 'middleware' },
  koa: { route: 'route', middleware: 'koa-middleware' },
  '@koa/router': { route: 'koa-router-route', middleware: 'koa-middleware' },
  'koa-router': { route: 'koa-router-route', middleware: 'koa-middleware' },
  fastify: { route: 'fastify-route', middleware: 'middleware' },
  '@hapi/hapi': { route: 'hapi-route', middleware: 'middleware' },
  restify: { route: 'route', middleware: 'middleware' },
  polka: { route: 'route', middleware: 'middleware' },
  hono: { route: 'route', middleware: 'middleware' },
};

export interface EmitterFamily {
  prefix: string;
  kind: HandlerKind;
  /** Listener arguments carry data from the network (request data for the CPU rule). */
  carriesRequestData: boolean;
}

/** How listeners are labelled by the module that declares the emitter's `on`. */
export const EMITTER_FAMILIES: Readonly<Record<string, EmitterFamily>> = {
  ws: { prefix: 'ws', kind: 'ws-listener', carriesRequestData: true },
  'socket.io': { prefix: 'socket.io', kind: 'socketio-listener', carriesRequestData: true },
  'node:http': { prefix: 'http', kind: 'http-server', carriesRequestData: true },
  'node:https': { prefix: 'https', kind: 'http-server', carriesRequestData: true },
  'node:http2': { prefix: 'http2', kind: 'http-server', carriesRequestData: true },
  'node:net': { prefix: 'net', kind: 'net-server', carriesRequestData: true },
  'node:tls': { prefix: 'tls', kind: 'net-server', carriesRequestData: true },
  'node:dgram': { prefix: 'udp', kind: 'net-server', carriesRequestData: true },
  'node:process': { prefix: 'process', kind: 'event-listener', carriesRequestData: false },
};

export const GENERIC_EMITTER: EmitterFamily = { prefix: 'event', kind: 'event-listener', carriesRequestData: false };

/** `createServer(callback)`: the callback is that server's per-request (or per-connection) listener. */
export const SERVER_FACTORIES: Readonly<Record<string, { event: string }>> = {
  'node:http': { event: 'request' },
  'node:https': { event: 'request' },
  'node:http2': { event: 'request' },
  'node:net': { event: 'connection' },
  'node:tls': { event: 'connection' },
};

/** Global scheduling functions whose callback runs later on the loop. */
export const SCHEDULERS: Readonly<Record<string, HandlerKind>> = {
  setTimeout: 'timer',
  setInterval: 'timer',
  setImmediate: 'timer',
  queueMicrotask: 'microtask',
};

/**
 * Process events whose listeners must be synchronous or only run while shutting down: blocking
 * there delays nobody's request.
 */
export const SHUTDOWN_EVENTS = /^(?:exit|SIG[A-Z]+)$/;

/** NestJS method decorators. */
export const NEST_HTTP_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Options', 'Head', 'All', 'Search']);
export const NEST_MESSAGE_DECORATORS: Readonly<Record<string, { prefix: string; kind: HandlerKind }>> = {
  MessagePattern: { prefix: 'message', kind: 'nest-message' },
  EventPattern: { prefix: 'event', kind: 'nest-message' },
  SubscribeMessage: { prefix: 'ws', kind: 'nest-gateway' },
};
/** Parameters NestJS fills with the response or `next`, not with request data. */
export const NEST_NON_REQUEST_PARAMETERS = new Set(['Res', 'Response', 'Next']);

export const NEXT_ROUTE_FILE = /(?:^|\/)route\.(?:[cm]?[jt]s|[jt]sx)$/;
export const NEXT_ROUTE_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Handler kinds by how specific a label they give, for choosing the one a message names. */
export function handlerKindRank(kind: HandlerKind): number {
  switch (kind) {
    case 'async-function':
      return 3;
    case 'timer':
    case 'microtask':
    case 'promise-callback':
    case 'event-listener':
      return 2;
    case 'library-middleware':
    case 'middleware':
    case 'express-middleware':
    case 'koa-middleware':
      return 1;
    default:
      return 0;
  }
}
