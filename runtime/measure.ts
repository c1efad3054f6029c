/**
 * Load against a running app, and "start the app bare under a worker class, load it, stop it": the
 * building block of --verify, `blockcheck serve` comparisons and the benchmark.
 */
import { ProbeError } from './errors.js';
import { launch, type LaunchedApp, type LaunchTarget } from './launch.js';
import { loadRoute, warmUp, type LoadSettings } from './load.js';
import type { RouteLoad } from './report.js';
import type { Route } from './routes.js';

/** Runs `work` against the app; the app dying meanwhile becomes a clear error instead of a hang. */
async function whileAlive<T>(app: LaunchedApp, route: Route, work: Promise<T>): Promise<T> {
  try {
    return await Promise.race([work, app.exited]);
  } catch (error) {
    if (error instanceof ProbeError && error.code === 'app-exited') {
      throw new ProbeError('crashed-under-load', `the app crashed while the probe loaded ${route.method} ${route.path}: fix the error below and rerun`, error.details);
    }
    throw error;
  }
}

/** Warm-up requests to every route, before a measurement window opens. */
export async function warmUpAll(app: LaunchedApp, routes: Route[], settings: LoadSettings, progress: (line: string) => void): Promise<void> {
  if (settings.warmupRequests === 0) return;
  progress(`warming up ${routes.length} route(s)`);
  for (const route of routes) await whileAlive(app, route, warmUp(app.port, route, settings));
}

/** Loads each route in turn (with its warm-up unless `settings.warmupRequests` is 0). */
export async function loadAll(app: LaunchedApp, routes: Route[], settings: LoadSettings, progress: (line: string) => void): Promise<RouteLoad[]> {
  const results: RouteLoad[] = [];
  for (const [index, route] of routes.entries()) {
    progress(`[${index + 1}/${routes.length}] ${route.method} ${route.path}: ${settings.requests} requests at concurrency ${settings.concurrency}`);
    results.push(await whileAlive(app, route, loadRoute(app.port, route, settings)));
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
