/**
 * node:http, https, http2, net, tls and dgram: `createServer(callback)` registers the per-request (or
 * per-connection) listener, and `server.on('request' | 'connection' | 'message', fn)` listeners are labelled
 * by their server's family (read by `listeners.ts`).
 */
import ts from 'typescript';
import { skipOuterExpressions } from '../resolve.js';
import { everyParameter, type EmitterFamily, type FrameworkModel } from './model.js';

const SERVERS: Readonly<Record<string, EmitterFamily & { event: string }>> = {
  'node:http': { prefix: 'http', kind: 'http-server', carriesRequestData: true, event: 'request' },
  'node:https': { prefix: 'https', kind: 'http-server', carriesRequestData: true, event: 'request' },
  'node:http2': { prefix: 'http2', kind: 'http-server', carriesRequestData: true, event: 'request' },
  'node:net': { prefix: 'net', kind: 'net-server', carriesRequestData: true, event: 'connection' },
  'node:tls': { prefix: 'tls', kind: 'net-server', carriesRequestData: true, event: 'connection' },
};

export const nodeServersModel: FrameworkModel = {
  name: 'node-servers',
  emitters: {
    ...SERVERS,
    'node:dgram': { prefix: 'udp', kind: 'net-server', carriesRequestData: true },
  },
  methods: new Set(['createServer']),
  functions: new Set(['createServer']),
  matchCall(call, _callee, context) {
    const { module } = context.declaringModule(call);
    const server = module !== undefined && Object.hasOwn(SERVERS, module) ? SERVERS[module] : undefined;
    if (!server) return;
    const callback = call.arguments.find((argument) => !ts.isObjectLiteralExpression(skipOuterExpressions(argument)));
    context.register(callback, { kind: server.kind, label: `${server.prefix} ${server.event}`, site: call.expression, requestParameters: everyParameter });
  },
};
