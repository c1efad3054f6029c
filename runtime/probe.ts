/**
 * `blockcheck audit --probe`: run the app under our instrumentation, load every HTTP route of the static
 * report, and fill each finding's `runtime` section (plus findings for blocks only the runtime saw),
 * the per-route load figures and the measured recommendation; `--verify` reruns the app under the
 * recommended class and reports measured against predicted.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG } from '../core/catalog.js';
import type { CatalogEntry } from '../core/types.js';
import { Deadline, DEFAULT_TIMEOUT_MS } from './deadline.js';
import { ProbeError } from './errors.js';
import { launch } from './launch.js';
import { DEFAULT_LOAD, type LoadSettings } from './load.js';
import { loadAll, measureUnder, warmUpAll } from './measure.js';
import type { ChildMeasurements } from './protocol.js';
import { recommendFromMeasurements, type RouteBlocking } from './recommend.js';
import type { ProbedReport, RouteLoad, StaticReport, VerifyResult } from './report.js';
import { RouteMatcher, routesOf, selectRoutes, type Route } from './routes.js';
import { judge } from './verdicts.js';

export type ProbeTarget = { kind: 'command'; command: string } | { kind: 'module'; modulePath: string; exportName: string };

export interface ProbeOptions {
  target: ProbeTarget;
  /** Port the app listens on (`--port`); default: the first port the app listens on. */
  port?: number;
  /** Where the app runs and the report's relative paths start; default process.cwd(). */
  cwd?: string;
  /** Blocking threshold, ms (`--threshold`), default 10. */
  thresholdMs?: number;
  /** `--requests`, `--concurrency`, `--duration` (seconds), warm-up requests. */
  load?: Partial<LoadSettings>;
  /** `--requests-file`: JSON array of `{ method?, path, body?, headers? }`, replacing the report's routes (and sent whatever their method). */
  requestsFile?: string;
  /** `--methods`: the HTTP methods of the report's routes to load; default GET, HEAD and OPTIONS only. */
  methods?: string[];
  /** How long the app may take to listen (`--start-timeout`), ms, default 15000. */
  startTimeoutMs?: number;
  /** `--timeout`: the whole probe's limit (warm-up, load, collection, --verify), ms; default 5 minutes. The app is stopped when it passes. */
  timeoutMs?: number;
  /** `--verify`: rerun under the recommended worker class (needs a module target). */
  verify?: boolean;
  /** `--target-rps`: the arrival rate to size for; default: `concurrency` requests in flight. */
  targetReqPerSec?: number;
  /** Blocking APIs to time; default the rules' catalog. */
  catalog?: readonly CatalogEntry[];
  /** Progress lines (the CLI passes a stderr writer on a TTY, nothing when piped or --quiet). */
  progress?: (line: string) => void;
}

const OWN_DIR = dirname(fileURLToPath(import.meta.url));
const MAX_VERIFY_WORKERS = 64;
/** Share of the loop a route kept busy under the probe (S × req/s) past which its throughput is bound by S. */
const SATURATED = 0.8;

function readRequestsFile(path: string, report: StaticReport): Route[] {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ProbeError('bad-options', `cannot read --requests-file ${path}: ${(error as Error).message}`);
  }
  if (
    !Array.isArray(entries) ||
    entries.some((entry: { path?: unknown } | null | undefined) => typeof entry?.path !== 'string' || !entry.path.startsWith('/'))
  ) {
    throw new ProbeError('bad-options', `--requests-file ${path} must be a JSON array of { "method": "GET", "path": "/...", "body"?: "...", "headers"?: {} }`);
  }
  const matcher = new RouteMatcher(routesOf(report.handlers), report.handlers);
  return (entries as Array<{ method?: string; path: string; body?: unknown; headers?: Record<string, string> }>).map((entry) => {
    const method = (entry.method ?? 'GET').toUpperCase();
    const body = entry.body === undefined ? undefined : typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body);
    const headers = entry.headers ?? (body !== undefined && typeof entry.body !== 'string' ? { 'content-type': 'application/json' } : undefined);
    return {
      label: matcher.labelFor(method, entry.path),
      method,
      pattern: entry.path.split('?')[0]!,
      path: entry.path,
      ...(body !== undefined ? { body } : {}),
      ...(headers ? { headers } : {}),
    };
  });
}

/**
 * Per route: mean blocking per request (S) and its CPU/wall, from the request log: a request blocks the loop
 * for all its synchronous stretches (before and after its awaits), wall time as the loop saw it. CPU/wall
 * leaves out the time the thread waited for a core, so a busy machine does not make CPU work look like waiting.
 */
function routeBlocking(measurements: ChildMeasurements, matcher: RouteMatcher, thresholdMs: number): RouteBlocking[] {
  // Time in timed catalog calls is CPU only as far as the thread's clock says: sleeping in execFileSync is not.
  const timed = new Map<number, { ms: number; heldMs: number; cpuMs: number }>();
  for (const call of measurements.slowCalls) {
    if (call.requestId === null) continue;
    const entry = timed.get(call.requestId) ?? { ms: 0, heldMs: 0, cpuMs: 0 };
    entry.ms += call.ms;
    entry.heldMs += call.ms - call.runQueueMs;
    entry.cpuMs += call.cpuMs;
    timed.set(call.requestId, entry);
  }
  const byRoute = new Map<string, { ms: number; heldMs: number; cpuMs: number; count: number }>();
  for (const request of measurements.requests) {
    const label = matcher.labelFor(request.method, request.url);
    const known = timed.get(request.id) ?? { ms: 0, heldMs: 0, cpuMs: 0 };
    const heldMs = Math.max(request.busyMs - request.busyRunQueueMs, known.heldMs);
    const route = byRoute.get(label) ?? { ms: 0, heldMs: 0, cpuMs: 0, count: 0 };
    route.ms += Math.max(request.busyMs, known.ms);
    route.heldMs += heldMs;
    // Synchronous time beyond the timed catalog calls is JavaScript running: CPU.
    route.cpuMs += known.cpuMs + Math.max(0, heldMs - known.heldMs);
    route.count++;
    byRoute.set(label, route);
  }
  return [...byRoute].map(([route, totals]) => {
    const mean = totals.ms / totals.count;
    return {
      route,
      blockedMsPerRequest: Math.round(mean * 10) / 10,
      cpuWallRatio: mean >= thresholdMs ? Math.round(Math.min(totals.cpuMs / Math.max(totals.heldMs, 1e-9), 1) * 100) / 100 : null,
    };
  });
}

export async function probe(report: StaticReport, options: ProbeOptions): Promise<ProbedReport> {
  const cwd = options.cwd ?? process.cwd();
  const thresholdMs = options.thresholdMs ?? 10;
  const settings: LoadSettings = { ...DEFAULT_LOAD, ...options.load };
  const progress = options.progress ?? (() => {});
  // A requests file is the user's own list: it is sent as written. The report's routes are filtered by method.
  const { loaded: routes, skipped } = options.requestsFile
    ? { loaded: readRequestsFile(options.requestsFile, report), skipped: [] }
    : selectRoutes(routesOf(report.handlers), options.methods);
  if (routes.length === 0 && skipped.length > 0) {
    throw new ProbeError('no-routes', `none of the report's ${skipped.length} route(s) can be loaded: ${skipped[0]!.reason}`);
  }
  if (routes.length === 0) {
    throw new ProbeError('no-routes', 'the report has no HTTP route with a method and path to load: pass --requests-file with the requests to send');
  }
  for (const route of skipped) progress(`skipped ${route.route}: ${route.reason}`);
  if (options.verify && options.target.kind !== 'module') {
    throw new ProbeError(
      'bad-options',
      '--verify reruns the app under our reference runtime: pass the app as --module <file> --export <name> instead of --start',
    );
  }
  const matcher = new RouteMatcher(routes, report.handlers);

  progress(`starting ${options.target.kind === 'command' ? options.target.command : options.target.modulePath} with the probe preloaded`);
  const deadline = new Deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let loads: RouteLoad[];
  let measurements: ChildMeasurements;
  try {
    const app = await launch({
      target: options.target,
      cwd,
      ...(options.port !== undefined ? { port: options.port } : {}),
      instrument: true,
      thresholdMs,
      catalog: options.catalog ?? CATALOG,
      startTimeoutMs: options.startTimeoutMs ?? 15_000,
    });
    try {
      // Warm-up first, then the measurement window: first-request costs are not findings.
      await warmUpAll(app, routes, settings, progress, deadline);
      deadline.waitingFor = 'the app to start its measurement window';
      await deadline.race(Promise.race([app.control!.request({ type: 'start' }, 'started'), app.exited]));
      loads = await loadAll(app, routes, { ...settings, warmupRequests: 0 }, progress, deadline);
      deadline.waitingFor = "the app's measurements";
      measurements = (await deadline.race(Promise.race([app.control!.request({ type: 'collect' }, 'measurements'), app.exited]))).data;
    } finally {
      await app.stop();
    }
  } catch (error) {
    deadline.clear();
    throw error;
  }

  const findings = judge({ report, measurements, cwd, thresholdMs, catalog: options.catalog ?? CATALOG, matcher, ownDir: OWN_DIR, skipped });
  const probedBlocking = routeBlocking(measurements, matcher, thresholdMs);
  let bare: RouteLoad[] = [];
  let blocking: RouteBlocking[];
  try {
    ({ bare, blocking } = await bareBlocking(options, cwd, routes, settings, probedBlocking, loads, thresholdMs, progress, deadline));
  } catch (error) {
    deadline.clear();
    throw error;
  }
  const measured = recommendFromMeasurements({
    routes: blocking,
    findings: findings.filter((finding) => finding.runtime.verdict === 'confirmed'),
    thresholdMs,
    concurrency: settings.concurrency,
    cores: availableParallelism(),
    targetReqPerSec: options.targetReqPerSec ?? null,
  });
  const predictions = blocking.map((route) => ({
    ...route,
    probedBlockedMsPerRequest: probedBlocking.find((probed) => probed.route === route.route)!.blockedMsPerRequest,
    ...measured.routes.find((prediction) => prediction.route === route.route)!,
  }));

  const probed: ProbedReport = {
    ...report,
    findings,
    recommendation: measured.recommendation,
    probe: {
      thresholdMs,
      target: options.target.kind === 'command' ? options.target.command : `${options.target.modulePath}#${options.target.exportName}`,
      routes: loads,
      skipped,
      loop: {
        delayMaxMs: Math.round(measurements.loop.delayMaxMs * 10) / 10,
        delaySamplesOverThreshold: measurements.loop.delaySamplesOverThreshold,
        utilization: Math.round(measurements.loop.utilization * 1000) / 1000,
      },
      predictions,
    },
  };

  const { workerClass, processes, threads } = measured.recommendation;
  if (options.verify && options.target.kind === 'module' && (processes || threads)) {
    const underClass = workerClass === 'thread-pool' ? 'thread-pool' : 'cluster';
    const workers = Math.min((underClass === 'thread-pool' ? threads : processes) ?? 1, MAX_VERIFY_WORKERS);
    try {
      probed.probe.verify = await verify(options, options.target, cwd, routes, settings, underClass, workers, predictions, bare, progress, deadline);
    } finally {
      deadline.clear();
    }
  }
  deadline.clear();
  return probed;
}

/**
 * S without our instrumentation, for sizing: the probe's own hooks, wrappers and profiler lengthen every
 * request (26 ms probed for 17 ms bare was seen). The routes that block are loaded again on the bare app, one
 * event loop. A route that kept its loop busy under the probe (S × req/s near 1) keeps it busy bare too and
 * serves 1/S requests a second there: its bare S is 1000 / req·s. A route that also waits keeps the probed S,
 * and so does every route of a `--start` command whose port only our preload can learn (no `--port`).
 */
async function bareBlocking(
  options: ProbeOptions,
  cwd: string,
  routes: Route[],
  settings: LoadSettings,
  probed: RouteBlocking[],
  probedRoutes: RouteLoad[],
  thresholdMs: number,
  progress: (line: string) => void,
  deadline: Deadline,
): Promise<{ bare: RouteLoad[]; blocking: RouteBlocking[] }> {
  const blockingRoutes = routes.filter((route) => probed.some((entry) => entry.route === route.label && entry.blockedMsPerRequest >= thresholdMs));
  // A command's port is known without our preload only when --port gives it: otherwise the probed S stays.
  const portKnown = options.target.kind === 'module' || options.port !== undefined;
  if (blockingRoutes.length === 0 || !portKnown) return { bare: [], blocking: probed };
  progress('sizing: the blocking routes again, without instrumentation');
  const target = options.target.kind === 'module' ? { ...options.target, workerClass: 'event-loop' as const } : options.target;
  const bare = await measureUnder({
    target,
    cwd,
    routes: blockingRoutes,
    load: settings,
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
    progress,
    deadline,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  const blocking = probed.map((entry) => {
    const probedLoads = probedRoutes.filter((load) => load.route === entry.route);
    const loads = bare.filter((load) => load.route === entry.route && load.reqPerSec > 0);
    const probedReqPerSec = probedLoads.reduce((sum, load) => sum + load.reqPerSec, 0) / Math.max(probedLoads.length, 1);
    if (loads.length === 0 || (entry.blockedMsPerRequest * probedReqPerSec) / 1000 < SATURATED) return entry;
    return { ...entry, blockedMsPerRequest: Math.round(Math.max(...loads.map((load) => 1000 / load.reqPerSec)) * 10) / 10 };
  });
  return { bare, blocking };
}

async function verify(
  options: ProbeOptions,
  target: Extract<ProbeTarget, { kind: 'module' }>,
  cwd: string,
  routes: Route[],
  settings: LoadSettings,
  workerClass: VerifyResult['workerClass'],
  workers: number,
  predictions: ProbedReport['probe']['predictions'],
  bare: RouteLoad[],
  progress: (line: string) => void,
  deadline: Deadline,
): Promise<VerifyResult> {
  // The bare run of the sizing step is the baseline of the routes it loaded; the others are loaded now.
  const missing = routes.filter((route) => !bare.some((load) => load.route === route.label && load.path === route.path));
  progress('verify: baseline, one event loop, no instrumentation');
  const baseline = [
    ...bare,
    ...(missing.length > 0
      ? await measureUnder({
          target: { ...target, workerClass: 'event-loop' },
          cwd,
          routes: missing,
          load: settings,
          startTimeoutMs: options.startTimeoutMs ?? 15_000,
          progress,
          deadline,
        })
      : []),
  ];
  const baselineOf = (load: RouteLoad): RouteLoad => baseline.find((candidate) => candidate.route === load.route && candidate.path === load.path)!;
  // What the printed config runs: node:cluster forking N processes that share the port, or a piscina pool of N threads.
  progress(`verify: ${workerClass === 'cluster' ? `node:cluster, ${workers} processes` : `piscina, maxThreads ${workers}`}`);
  const recommended = await measureUnder({
    target: { ...target, workerClass, workers },
    cwd,
    routes,
    // Every worker pays its own first-request costs (JIT, connections): warm them all, not just one.
    load: { ...settings, warmupRequests: Math.max(settings.warmupRequests, 2 * workers) },
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
    progress,
    deadline,
  });
  const compared = recommended.map((load) => ({
    route: load.route,
    predictedReqPerSec: predictions.find((prediction) => prediction.route === load.route)?.predictedReqPerSec ?? null,
    measuredReqPerSec: load.reqPerSec,
    baselineReqPerSec: baselineOf(load).reqPerSec,
    p99Ms: load.latencyMs.p99,
    baselineP99Ms: baselineOf(load).latencyMs.p99,
  }));
  for (const entry of compared) {
    const predicted = entry.predictedReqPerSec === null ? 'no prediction (does not block)' : `predicted ${entry.predictedReqPerSec} req/s`;
    progress(`verify: ${entry.route}: ${predicted}, measured ${entry.measuredReqPerSec} req/s (one loop, bare: ${entry.baselineReqPerSec} req/s)`);
  }
  return { workerClass, workers, routes: compared };
}
