/**
 * Load against a running app, and "start the app bare under a worker class, load it, stop it": the
 * building block of --verify, `blockcheck serve` comparisons and the benchmark.
 */
import { ProbeError } from './errors.js';
import { launch, type LaunchedApp, type LaunchTarget } from './launch.js';
import type { Deadline } from './deadline.js';
import { loadRoute, warmUp, type LoadSettings } from './load.js';
import type { RouteLoad } from './report.js';
import type { Route } from './routes.js';

/** Runs `work` against the app: the app dying meanwhile, or the deadline passing, becomes a clear error instead of a hang. */
async function whileAlive<T>(app: LaunchedApp, route: Route, work: Promise<T>, deadline: Deadline | undefined): Promise<T> {
  try {
    return await Promise.race([deadline ? deadline.race(work) : work, app.exited]);
  } catch (error) {
    if (error instanceof ProbeError && error.code === 'app-exited') {
      throw new ProbeError(
        'crashed-under-load',
        `the app crashed while the probe loaded ${route.method} ${route.path}: fix the error below and rerun`,
        error.details,
      );
    }
    throw error;
  }
}

/**
 * Waits until the requests still in flight when a route's load ended (its time cap) have finished, so the
 * next route's figures do not carry them. Only the instrumented app can tell; a bare app is not waited for.
 */
async function settle(app: LaunchedApp, route: Route, deadline: Deadline | undefined): Promise<void> {
  if (!app.control) return;
  if (deadline) deadline.waitingFor = `${route.method} ${route.path} to finish the requests still in flight at the end of its load`;
  // A control connection that drops means the app is going: report its exit (a crash under load), not the socket.
  await whileAlive(
    app,
    route,
    app.control.request({ type: 'idle' }, 'idle').catch(() => app.exited),
    deadline,
  );
}

/** Warm-up requests to every route, before a measurement window opens. */
export async function warmUpAll(
  app: LaunchedApp,
  routes: Route[],
  settings: LoadSettings,
  progress: (line: string) => void,
  deadline?: Deadline,
): Promise<void> {
  if (settings.warmupRequests === 0) return;
  progress(`warming up ${routes.length} route(s)`);
  for (const route of routes) {
    if (deadline) deadline.waitingFor = `${route.method} ${route.path} to answer its warm-up requests`;
    await whileAlive(app, route, warmUp(app.port, route, settings, deadline?.signal), deadline);
    await settle(app, route, deadline);
  }
}

/** Loads each route in turn (with its warm-up unless `settings.warmupRequests` is 0). */
export async function loadAll(
  app: LaunchedApp,
  routes: Route[],
  settings: LoadSettings,
  progress: (line: string) => void,
  deadline?: Deadline,
): Promise<RouteLoad[]> {
  const results: RouteLoad[] = [];
  for (const [index, route] of routes.entries()) {
    progress(`[${index + 1}/${routes.length}] ${route.method} ${route.path}: ${settings.requests} requests at concurrency ${settings.concurrency}`);
    await warmUpAll(app, [route], settings, () => {}, deadline);
    if (deadline) deadline.waitingFor = `${route.method} ${route.path} to answer its requests`;
    results.push(await whileAlive(app, route, loadRoute(app.port, route, settings, deadline?.signal), deadline));
    await settle(app, route, deadline);
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
  /** The probe's overall limit; the app is stopped when it passes. */
  deadline?: Deadline;
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
    return await loadAll(app, options.routes, options.load, options.progress ?? (() => {}), options.deadline);
  } finally {
    await app.stop();
  }
}
