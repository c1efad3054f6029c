/**
 * The reference runtime's process entry: imports an app module, finds the exported app (Express, Koa,
 * Fastify, an http.Server or a plain `(req, res)` handler) and serves it on 127.0.0.1 under a worker
 * class: `event-loop` (this process), or `cluster` (N node:cluster workers sharing the port).
 *
 *   node dist/runtime/host.js --module <file> --export <name> --port <n> --worker-class cluster --workers 4
 */
import cluster from 'node:cluster';
import http from 'node:http';
import net from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface FastifyLike {
  listen(options: { port: number; host: string }): Promise<unknown>;
  ready(): Promise<unknown>;
  server: http.Server;
}

function isFastify(app: unknown): app is FastifyLike {
  const candidate = app as Partial<FastifyLike> | null;
  return !!candidate && typeof candidate.listen === 'function' && typeof candidate.ready === 'function' && candidate.server instanceof http.Server;
}

function isKoa(app: unknown): app is { callback(): Handler } {
  const candidate = app as { callback?: unknown; use?: unknown } | null;
  return !!candidate && typeof candidate === 'object' && typeof candidate.callback === 'function' && typeof candidate.use === 'function';
}

/** The named export, looking through a CommonJS module's `default` (module.exports) too. */
export function pickExport(moduleNamespace: Record<string, unknown>, exportName: string): unknown {
  if (moduleNamespace[exportName] !== undefined) return moduleNamespace[exportName];
  const commonJs = moduleNamespace.default as Record<string, unknown> | undefined;
  if (exportName === 'default') return commonJs;
  return commonJs && typeof commonJs === 'object' ? commonJs[exportName] : typeof commonJs === 'function' ? (commonJs as unknown as Record<string, unknown>)[exportName] : undefined;
}

async function serveApp(app: unknown, port: number): Promise<void> {
  if (isFastify(app)) {
    await app.listen({ port, host: '127.0.0.1' });
    return;
  }
  let server: net.Server;
  if (app instanceof net.Server) server = app;
  else if (isKoa(app)) server = http.createServer(app.callback());
  else if (typeof app === 'function') server = http.createServer(app as Handler);
  else throw new Error('the export is not an app: expected an Express/Koa/Fastify app, an http.Server or a (req, res) handler');
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      module: { type: 'string' },
      export: { type: 'string', default: 'default' },
      port: { type: 'string' },
      'worker-class': { type: 'string', default: 'event-loop' },
      workers: { type: 'string', default: '1' },
    },
  });
  if (!values.module || !values.port) throw new Error('host: --module and --port are required');
  const workers = Number(values.workers);
  if (values['worker-class'] === 'cluster' && cluster.isPrimary) {
    for (let i = 0; i < workers; i++) cluster.fork();
    // A worker that dies takes the measurement with it: make it loud rather than silently degraded.
    cluster.on('exit', (worker, code, signal) => {
      process.stderr.write(`cluster worker ${worker.process.pid} exited (${signal ?? code})\n`);
      process.exitCode = 1;
    });
    return;
  }
  const moduleNamespace = (await import(pathToFileURL(resolve(values.module)).href)) as Record<string, unknown>;
  const app = pickExport(moduleNamespace, values.export);
  if (app === undefined) throw new Error(`${values.module} has no export named "${values.export}": pass the app's export with --export`);
  await serveApp(app, Number(values.port));
}

main().catch((error: Error) => {
  process.stderr.write(`blockcheck host: ${error.message}\n`);
  process.exit(1);
});
