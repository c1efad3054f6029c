/**
 * Every kind of event-loop entry point is recognised and named in the message; startup code is not.
 */
import noSyncIo from '../../rules/no-sync-io.js';
import { FILE, messageAt, runRuleTests, type Invalid } from './rule-tester.js';

const READ = "fs.readFileSync('/etc/hosts')";
const ADVICE = 'Use await fs.promises.readFile(...)';

interface HandlerCase {
  name: string;
  code: string;
  filename?: string;
  /** `async`: the handler is an async function, so the rewrite to fs.promises is suggested. */
  handlers: Array<{ label: string; handlerAt: string; async?: boolean }>;
}

const cases: HandlerCase[] = [
  {
    name: 'express routes of every method, all, middleware with and without a path',
    code: `import fs from 'node:fs';
import express from 'express';
const app = express();
app.get('/report/:id', (req, res) => { res.send(${READ}); });
app.post('/items', (req, res) => { res.send(${READ}); });
app.put('/items/:id', (req, res) => { res.send(${READ}); });
app.patch('/items/:id', (req, res) => { res.send(${READ}); });
app.delete('/items/:id', (req, res) => { res.send(${READ}); });
app.all('/any', (req, res) => { res.send(${READ}); });
app.use((req, res, next) => { ${READ}; next(); });
app.use('/api', (req, res, next) => { ${READ}; next(); });
`,
    handlers: [
      { label: 'GET /report/:id', handlerAt: 'app.get' },
      { label: 'POST /items', handlerAt: 'app.post' },
      { label: 'PUT /items/:id', handlerAt: 'app.put' },
      { label: 'PATCH /items/:id', handlerAt: 'app.patch' },
      { label: 'DELETE /items/:id', handlerAt: 'app.delete' },
      { label: 'ALL /any', handlerAt: 'app.all' },
      { label: 'middleware', handlerAt: 'app.use' },
      { label: 'middleware /api', handlerAt: "app.use('/api'" },
    ],
  },
  {
    name: 'express Router and route().get().post() chains, handlers given by reference and wrapped',
    code: `import fs from 'node:fs';
import express from 'express';
const router = express.Router();
const asyncHandler = (fn: express.RequestHandler): express.RequestHandler => fn;
function showBook(_req: express.Request, res: express.Response) { res.send(${READ}); }
router.route('/book').get(showBook).post(asyncHandler(async (_req, res) => { res.send(${READ}); }));
`,
    handlers: [
      { label: 'GET /book', handlerAt: 'router.route' },
      { label: 'POST /book', handlerAt: 'router.route', async: true },
    ],
  },
  {
    name: 'koa middleware and @koa/router routes',
    code: `import fs from 'node:fs';
import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const router = new Router();
app.use(async (ctx, next) => { ctx.body = ${READ}; await next(); });
router.get('/items/:id', (ctx) => { ctx.body = ${READ}; });
`,
    handlers: [
      { label: 'middleware', handlerAt: 'app.use', async: true },
      { label: 'GET /items/:id', handlerAt: 'router.get' },
    ],
  },
  {
    name: 'fastify shorthand routes, route({ handler }) and hooks',
    code: `import fs from 'node:fs';
import Fastify from 'fastify';
const fastify = Fastify();
fastify.get('/x', async () => ${READ});
fastify.route({ method: 'POST', url: '/y', handler: async () => ${READ} });
fastify.addHook('onRequest', async () => { ${READ}; });
`,
    handlers: [
      { label: 'GET /x', handlerAt: 'fastify.get', async: true },
      { label: 'POST /y', handlerAt: '{ method', async: true },
      { label: 'onRequest hook', handlerAt: 'fastify.addHook', async: true },
    ],
  },
  {
    name: 'hapi route({ handler })',
    code: `import fs from 'node:fs';
import Hapi from '@hapi/hapi';
const server = Hapi.server({ port: 3000 });
server.route({ method: 'GET', path: '/h', handler: () => ${READ} });
`,
    handlers: [{ label: 'GET /h', handlerAt: '{ method' }],
  },
  {
    name: 'node:http, https and net servers, and request listeners',
    code: `import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
http.createServer((req, res) => { res.end(${READ}); });
https.createServer({}, (req, res) => { res.end(${READ}); });
net.createServer((socket) => { socket.end(${READ}); });
const server = http.createServer();
server.on('request', (req, res) => { res.end(${READ}); });
`,
    handlers: [
      { label: 'http request', handlerAt: 'http.createServer' },
      { label: 'https request', handlerAt: 'https.createServer' },
      { label: 'net connection', handlerAt: 'net.createServer' },
      { label: 'http request', handlerAt: 'server.on' },
    ],
  },
  {
    name: 'ws and socket.io listeners, a listener inside a listener',
    code: `import fs from 'node:fs';
import { WebSocketServer } from 'ws';
import { Server } from 'socket.io';
const wss = new WebSocketServer({ port: 8080 });
wss.on('connection', (socket) => {
  ${READ};
  socket.on('message', () => { socket.send(${READ}); });
});
const io = new Server();
io.on('connection', (client) => { client.on('chat', () => { ${READ}; }); });
`,
    handlers: [
      { label: 'ws connection', handlerAt: 'wss.on' },
      { label: 'ws message', handlerAt: 'socket.on' },
      { label: 'socket.io chat', handlerAt: 'client.on' },
    ],
  },
  {
    name: 'EventEmitter and stream listeners',
    code: `import fs from 'node:fs';
import { EventEmitter } from 'node:events';
const bus = new EventEmitter();
bus.on('job', () => { ${READ}; });
fs.createReadStream('/var/log/app.log').once('data', () => { ${READ}; });
`,
    handlers: [
      { label: 'event job', handlerAt: 'bus.on' },
      { label: 'event data', handlerAt: 'once(' },
    ],
  },
  {
    name: 'timers and microtasks',
    code: `import fs from 'node:fs';
setTimeout(() => { ${READ}; }, 10);
setInterval(() => { ${READ}; }, 1000);
setImmediate(() => { ${READ}; });
process.nextTick(() => { ${READ}; });
queueMicrotask(() => { ${READ}; });
`,
    handlers: [
      { label: 'setTimeout', handlerAt: 'setTimeout' },
      { label: 'setInterval', handlerAt: 'setInterval' },
      { label: 'setImmediate', handlerAt: 'setImmediate' },
      { label: 'process.nextTick', handlerAt: 'nextTick' },
      { label: 'queueMicrotask', handlerAt: 'queueMicrotask' },
    ],
  },
  {
    // Not entry points of their own: a chain in startup code runs once, one in a handler runs per call.
    name: 'promise callbacks run as part of the function that chains them',
    code: `import fs from 'node:fs';
setInterval(() => {
  fetch('http://127.0.0.1/health')
    .then(() => { ${READ}; })
    .catch(() => { ${READ}; })
    .finally(() => { ${READ}; });
}, 1000);
`,
    handlers: [
      { label: 'setInterval', handlerAt: 'setInterval' },
      { label: 'setInterval', handlerAt: 'setInterval' },
      { label: 'setInterval', handlerAt: 'setInterval' },
    ],
  },
  {
    name: 'NestJS controller routes, gateway and message handlers',
    code: `import fs from 'node:fs';
import { Controller, Get, Post } from '@nestjs/common';
declare function WebSocketGateway(): ClassDecorator;
declare function SubscribeMessage(event: string): MethodDecorator;
declare function MessagePattern(pattern: string): MethodDecorator;
@Controller('users')
export class UsersController {
  @Get(':id')
  find() { return ${READ}; }
  @Post()
  create() { return ${READ}; }
  @MessagePattern('sum')
  sum() { return ${READ}; }
}
@WebSocketGateway()
export class EventsGateway {
  @SubscribeMessage('events')
  onEvent() { return ${READ}; }
}
`,
    handlers: [
      { label: 'GET /users/:id', handlerAt: 'find()' },
      { label: 'POST /users', handlerAt: 'create()' },
      { label: 'message sum', handlerAt: 'sum()' },
      { label: 'ws events', handlerAt: 'onEvent()' },
    ],
  },
  {
    name: 'Next.js App Router route handlers',
    filename: 'app/api/users/route.ts',
    code: `import fs from 'node:fs';
export async function GET(request: Request) { return new Response(${READ}); }
export const POST = async (request: Request) => new Response(${READ});
`,
    handlers: [
      { label: 'GET /api/users', handlerAt: 'GET', async: true },
      { label: 'POST /api/users', handlerAt: 'POST', async: true },
    ],
  },
  {
    name: 'async functions and methods that are not startup code',
    code: `import fs from 'node:fs';
export async function refresh() { return ${READ}; }
export class Cache {
  async load() { return ${READ}; }
}
export const reload = async () => ${READ};
`,
    handlers: [
      { label: 'async refresh()', handlerAt: 'refresh', async: true },
      { label: 'async Cache.load()', handlerAt: 'load', async: true },
      { label: 'async reload()', handlerAt: 'reload', async: true },
    ],
  },
];

/** The code with the `occurrence`-th read rewritten as the suggestion does. */
function rewritten(code: string, occurrence: number): string {
  let index = -1;
  for (let count = 0; count < occurrence; count++) index = code.indexOf('fs.readFileSync(', index + 1);
  return `${code.slice(0, index)}await fs.promises.readFile(${code.slice(index + 'fs.readFileSync('.length)}`;
}

const invalid: Invalid[] = cases.map((testCase) => {
  const filename = testCase.filename ?? FILE;
  return {
    name: testCase.name,
    code: testCase.code,
    filename,
    errors: testCase.handlers.map((handler, index) => ({
      ...messageAt(testCase.code, filename, {
        at: 'readFileSync',
        occurrence: index + 1,
        call: 'fs.readFileSync',
        handler: handler.label,
        handlerAt: handler.handlerAt,
        advice: ADVICE,
      }),
      suggestions: handler.async
        ? [
            {
              messageId: 'useAsyncAlternative' as const,
              data: { description: 'Replace with await fs.promises.readFile(...)' },
              output: rewritten(testCase.code, index + 1),
            },
          ]
        : null,
    })),
  };
});

runRuleTests('handler detection', noSyncIo, {
  valid: [
    { name: 'module top level (startup)', code: `import fs from 'node:fs';\nexport const config = ${READ};`, filename: FILE },
    {
      name: 'a function called only while the module loads',
      code: `import fs from 'node:fs';\nfunction loadConfig() { return ${READ}; }\nexport const config = loadConfig();`,
      filename: FILE,
    },
    {
      name: 'an async main() called at top level',
      code: `import fs from 'node:fs';\nasync function main() { ${READ}; }\nmain().catch(() => process.exit(1));`,
      filename: FILE,
    },
    {
      name: 'an async method called at top level',
      code: `import fs from 'node:fs';\nclass Server { async start() { ${READ}; } }\nconst server = new Server();\nserver.start().catch(() => process.exit(1));`,
      filename: FILE,
    },
    {
      name: 'an async function stored in an object and called at top level',
      code: `import fs from 'node:fs';\nconst app = { boot: async () => { ${READ}; } };\nvoid app.boot();`,
      filename: FILE,
    },
    {
      name: 'an async IIFE at top level',
      code: `import fs from 'node:fs';\n(async () => { ${READ}; })();`,
      filename: FILE,
    },
    {
      name: 'a promise chain started at top level',
      code: `import fs from 'node:fs';\nPromise.resolve().then(() => ${READ});`,
      filename: FILE,
    },
    {
      name: 'process exit and signal listeners (they must be synchronous)',
      code: `import fs from 'node:fs';\nprocess.on('exit', () => { fs.writeFileSync('/tmp/state', 'x'); });\nprocess.on('SIGTERM', () => { fs.writeFileSync('/tmp/state', 'x'); });`,
      filename: FILE,
    },
    {
      name: 'the constructor of an object created at top level',
      code: `import fs from 'node:fs';\nclass Store { data: string; constructor() { this.data = ${READ}; } }\nexport const store = new Store();`,
      filename: FILE,
    },
    {
      name: 'a sync function nothing calls',
      code: `import fs from 'node:fs';\nexport function readHosts() { return ${READ}; }`,
      filename: FILE,
    },
    {
      name: 'a typed method of another object that happens to be called get()',
      code: `import fs from 'node:fs';
class Memo { get(key: string, load: () => string): string { return key + load(); } }
const memo = new Memo();
export const value = memo.get('/hosts', () => ${READ});`,
      filename: FILE,
    },
    {
      name: 'a local function called setTimeout',
      code: `import fs from 'node:fs';\nfunction setTimeout(run: () => void) { run(); }\nsetTimeout(() => { ${READ}; });`,
      filename: FILE,
    },
  ],
  invalid,
});
