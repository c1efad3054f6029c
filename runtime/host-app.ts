/**
 * Finds the app in an imported module and turns it into an http.Server, whatever it is: Express/Koa/
 * Fastify app, http.Server, or a plain `(req, res)` handler. Shared by the host's event-loop and cluster
 * workers (which listen) and its thread-pool workers (which are fed connections by the main thread).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface FastifyLike {
  ready(): Promise<unknown>;
  server: http.Server;
}

function isFastify(app: unknown): app is FastifyLike {
  const candidate = app as Partial<FastifyLike> | null;
  return !!candidate && typeof candidate.ready === 'function' && candidate.server instanceof http.Server;
}

function isKoa(app: unknown): app is { callback(): Handler } {
  const candidate = app as { callback?: unknown; use?: unknown } | null;
  return !!candidate && typeof candidate === 'object' && typeof candidate.callback === 'function' && typeof candidate.use === 'function';
}

/** The named export, looking through a CommonJS module's `default` (module.exports) too. */
export function pickExport(moduleNamespace: Record<string, unknown>, exportName: string): unknown {
  if (moduleNamespace[exportName] !== undefined) return moduleNamespace[exportName];
  const commonJs = moduleNamespace.default as Record<string, unknown> | undefined;
  if (exportName === 'default' || commonJs === null || (typeof commonJs !== 'object' && typeof commonJs !== 'function')) return commonJs;
  return commonJs[exportName];
}

/** A directory stands for its package's main (or index.js), as `blockcheck serve fixtures/slow-service` expects. */
function moduleFile(path: string): string {
  const absolute = resolve(path);
  if (!statSync(absolute).isDirectory()) return absolute;
  const manifest = join(absolute, 'package.json');
  const main = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: string }).main : undefined;
  return join(absolute, main ?? 'index.js');
}

/** Imports the module and returns its app as an http.Server that is not listening yet. */
export async function loadAppServer(modulePath: string, exportName: string): Promise<net.Server> {
  const moduleNamespace = (await import(pathToFileURL(moduleFile(modulePath)).href)) as Record<string, unknown>;
  const app = pickExport(moduleNamespace, exportName);
  if (app === undefined) throw new Error(`${modulePath} has no export named "${exportName}": pass the app's export with --export`);
  if (isFastify(app)) {
    await app.ready();
    return app.server;
  }
  if (app instanceof net.Server) return app;
  if (isKoa(app)) return http.createServer(app.callback());
  if (typeof app === 'function') return http.createServer(app as Handler);
  throw new Error(`the export "${exportName}" is not an app: expected an Express/Koa/Fastify app, an http.Server or a (req, res) handler`);
}
