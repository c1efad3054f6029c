/**
 * Each framework model on its own, through the scanner, on in-memory programs: which functions become
 * handlers and with which label and kind. A new model gets its block here (see CONTRIBUTING.md).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HandlerScanner } from '../../core/handlers.js';
import { FRAMEWORK_MODELS } from '../../core/frameworks/registry.js';
import { virtualPath, virtualProgram } from './virtual-program.js';

interface Found {
  label: string;
  kind: string;
  /** Registered by a call, decorator or route export, or only a candidate (library middleware, async function). */
  as: 'registration' | 'candidate';
}

function scan(code: string, fileName = 'server.ts'): Found[] {
  const program = virtualProgram({ [fileName]: code });
  const result = new HandlerScanner(program, []).scan(program.getSourceFile(virtualPath(fileName))!);
  return [
    ...result.registrations.map(({ handler }) => ({ label: handler.label, kind: handler.kind, as: 'registration' as const })),
    ...result.candidates.map(({ handler }) => ({ label: handler.label, kind: handler.kind, as: 'candidate' as const })),
  ];
}

/** The registrations (an async handler is also a candidate; the combination keeps the registration). */
const labels = (found: Found[]): string[] => found.filter((entry) => entry.as === 'registration').map((entry) => `${entry.kind} ${entry.label}`);

describe('framework models', () => {
  it('every model has a unique name and each callee name has one owner', () => {
    const names = FRAMEWORK_MODELS.map((model) => model.name);
    assert.equal(new Set(names).size, names.length);
    for (const key of ['methods', 'functions'] as const) {
      const owners = FRAMEWORK_MODELS.flatMap((model) => [...(model[key] ?? [])]);
      assert.equal(new Set(owners).size, owners.length, `a ${key} name is owned twice`);
    }
  });

  it('express: routes, chained routes and middleware of a typed app; a Map.get is no route', () => {
    const found = scan(`import express from 'express';
const app = express();
app.get('/a/:id', (req, res) => res.send('a'));
app.route('/b').post((req, res) => res.send('b'));
app.use('/c', (req, res, next) => next());
const cache = new Map<string, () => void>();
cache.get('/a');
`);
    assert.deepEqual(labels(found), ['express-route GET /a/:id', 'express-route POST /b', 'express-middleware middleware /c']);
  });

  it('koa: middleware of a Koa app', () => {
    const found = scan(`import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => { await next(); });
`);
    assert.deepEqual(labels(found), ['koa-middleware middleware']);
  });

  it('fastify: route objects and lifecycle hooks, on an untyped receiver too', () => {
    const found = scan(`const fastify: any = {};
fastify.route({ method: ['GET', 'HEAD'], url: '/r', handler: async (request: unknown) => request });
fastify.addHook('onRequest', async (request: unknown) => request);
`);
    assert.deepEqual(labels(found), ['route GET,HEAD /r', 'fastify-hook onRequest hook']);
  });

  it('node servers: createServer callbacks by module, and listeners labelled by their family', () => {
    const found = scan(`import http from 'node:http';
import net from 'node:net';
const server = http.createServer((req, res) => res.end());
net.createServer((socket) => socket.end());
server.on('request', (req, res) => res.end());
`);
    assert.deepEqual(labels(found), ['http-server http request', 'net-server net connection', 'http-server http request']);
  });

  it('timers: global schedulers and nextTick; not a local setTimeout, and no promise callback of its own', () => {
    const found = scan(`function later() {
  setTimeout(() => 1, 10);
  process.nextTick(() => 2);
  Promise.resolve().then(() => 3);
}
function local() {
  const setTimeout = (fn: () => void) => fn();
  setTimeout(() => 4);
}
Promise.resolve().then(() => 5);
export { later, local };
`);
    assert.deepEqual(labels(found), ['timer setTimeout', 'microtask process.nextTick']);
  });

  it('listeners: process shutdown events and a server bound are not entry points, other events are', () => {
    const found = scan(`import cluster from 'node:cluster';
import http from 'node:http';
process.on('SIGTERM', () => 1);
process.on('message', () => 2);
cluster.once('listening', () => 3);
http.createServer().on('listening', () => 4);
`);
    assert.deepEqual(labels(found), ['event-listener process message']);
  });

  it('nest: controller routes joined to the prefix, and gateway messages', () => {
    const found = scan(`declare function Controller(prefix?: string): ClassDecorator;
declare function Get(path?: string): MethodDecorator;
declare function WebSocketGateway(): ClassDecorator;
declare function SubscribeMessage(event: string): MethodDecorator;
@Controller('users')
export class Users { @Get(':id') find() { return 1; } }
@WebSocketGateway()
export class Chat { @SubscribeMessage('say') say() { return 2; } }
`);
    assert.deepEqual(labels(found), ['nest-route GET /users/:id', 'nest-gateway ws say']);
  });

  it('next: route exports of an App Router route file, groups left out of the path', () => {
    const found = scan(
      `export async function GET(request: Request) { return new Response(String(request.url)); }
export const helper = () => 1;
`,
      'app/(shop)/items/route.ts',
    );
    assert.deepEqual(labels(found), ['next-route GET /items']);
  });

  it("uwebsockets: routes, any and ws behaviours of a uWS app; another object's any is no route", () => {
    const found = scan(`// @ts-ignore: uWebSockets.js is not installed; the factory's import says the package.
import uWS from 'uWebSockets.js';
const app = uWS.App();
app.get('/a', (res: any, req: any) => res.end(req.getUrl()));
app.any('/*', (res: any, req: any) => res.end(req.getMethod()));
app.ws('/chat', { message: (ws: any, message: ArrayBuffer) => ws.send(message), open(ws: any) { ws.subscribe('all'); } });
const list: any = [];
list.any('/a', (x: unknown) => x);
`);
    assert.deepEqual(labels(found), ['uws-route GET /a', 'uws-route ALL /*', 'ws-listener ws /chat open', 'ws-listener ws /chat message']);
  });

  it('library middleware and async functions are candidates, not registrations', () => {
    const found = scan(
      `export function middleware(req: unknown, res: unknown, next: () => void) { next(); }
module.exports = function factory() { return function (req: unknown, res: unknown) { return [req, res]; }; };
export async function load() { return 1; }
`,
      'lib.ts',
    );
    assert.deepEqual(
      found.map((entry) => `${entry.as} ${entry.kind} ${entry.label}`),
      ['candidate library-middleware middleware middleware', 'candidate library-middleware middleware factory()', 'candidate async-function async load()'],
    );
  });
});
