/**
 * Finds the app in an imported module and turns it into an http.Server, whatever it is: Express/Koa/
 * Fastify app, http.Server, or a plain `(req, res)` handler. Shared by the host's event-loop and cluster
 * workers (which listen) and its piscina pool's threads (which are handed each request by the main thread).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type ts from 'typescript';
import { requireClassicTypeScript } from '../engine/typescript-runtime.js';

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
  const commonJs = moduleNamespace.default as Record<string, unknown> | null | undefined;
  if (exportName === 'default' || commonJs === null || (typeof commonJs !== 'object' && typeof commonJs !== 'function')) return commonJs;
  return commonJs[exportName];
}

/**
 * Node 20 runs JavaScript only: a TypeScript module is run from its build output, found through the
 * nearest tsconfig.json's outDir (rootDir, else the tsconfig's directory or its src/, mirrored there).
 * Its source map then maps every position back to the .ts source.
 */
function buildOutputOf(tsFile: string): string {
  const typescript = requireClassicTypeScript();
  for (let dir = dirname(tsFile); ; dir = dirname(dir)) {
    const tsconfigPath = join(dir, 'tsconfig.json');
    const { outDir, rootDir } = existsSync(tsconfigPath) ? compilerOptionsOf(typescript, tsconfigPath) : {};
    if (outDir) {
      const roots = rootDir ? [rootDir] : [dir, join(dir, 'src')];
      for (const root of roots) {
        const candidate = join(outDir, relative(root, tsFile)).replace(/\.([mc]?)ts$/, '.$1js');
        if (!relative(outDir, candidate).startsWith('..') && existsSync(candidate)) return candidate;
      }
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `${tsFile} is TypeScript, which Node 20 cannot run, and no build output was found for it: build the app and pass the compiled file (e.g. --module dist/app.js)`,
  );
}

/** The tsconfig's options as tsc reads them (comments, `extends`), with outDir/rootDir made absolute. */
function compilerOptionsOf(typescript: typeof ts, tsconfigPath: string): ts.CompilerOptions {
  const read = typescript.readConfigFile(tsconfigPath, (file) => typescript.sys.readFile(file));
  if (read.error) return {};
  const config: unknown = read.config;
  return typescript.parseJsonConfigFileContent(config, typescript.sys, dirname(tsconfigPath), undefined, tsconfigPath).options;
}

/** A directory stands for its package's main (or index.js), as `blockcheck serve fixtures/slow-service` expects. */
function moduleFile(path: string): string {
  const absolute = resolve(path);
  if (/\.[mc]?ts$/.test(absolute) && !absolute.endsWith('.d.ts')) return buildOutputOf(absolute);
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
