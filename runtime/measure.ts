/**
 * Load against a running app, and "start the app bare under a worker class, load it, stop it": the
 * building block of --verify, `blockcheck serve` comparisons and the benchmark.
 */
import { ProbeError } from './errors.js';
import { launch, type LaunchedApp, type LaunchTarget } from './launch.js';
import { loadRoute, type LoadSettings } from './load.js';
import type { RouteLoad } from './report.js';
import type { Route } from './routes.js';

/** Runs the load on each route; the app dying mid-way becomes a clear error instead of a hang. */
export async function loadAll(app: LaunchedApp, routes: Route[], settings: LoadSettings, progress: (line: string) => void): Promise<RouteLoad[]> {
  const results: RouteLoad[] = [];
  for (const [index, route] of routes.entries()) {
    progress(`[${index + 1}/${routes.length}] ${route.method} ${route.path}: ${settings.requests} requests at concurrency ${settings.concurrency}`);
    try {
      results.push(await Promise.race([loadRoute(app.port, route, settings), app.exited]));
    } catch (error) {
      if (error instanceof ProbeError && error.code === 'app-exited') {
        throw new ProbeError('crashed-under-load', `the app crashed while the probe loaded ${route.method} ${route.path}: fix the error below and rerun`, error.details);
      }
      throw error;
    }
  }
  return results;
}

export interface MeasureOptions {
  target: LaunchTarget;
  cwd: string;
  routes: Route[];
  load: LoadSettings;
  port?: number;
  startTimeoutMs?: number;
  env?: Record<string, string>;
  progress?: (line: string) => void;
}

/** Starts the app without instrumentation, loads each route, stops it (whatever happens). */
export async function measureUnder(options: MeasureOptions): Promise<RouteLoad[]> {
  const app = await launch({
    target: options.target,
    cwd: options.cwd,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.env ? { env: options.env } : {}),
    instrument: false,
    thresholdMs: 0,
    catalog: [],
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
  });
  try {
    return await loadAll(app, options.routes, options.load, options.progress ?? (() => {}));
  } finally {
    await app.stop();
  }
}
