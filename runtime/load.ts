/**
 * Load per route with autocannon, as a library in our process (never the app's): a warm-up, then a
 * bounded number of requests at a concurrency, cut off at a time limit. Latency percentiles are computed
 * from every response, not from autocannon's histogram buckets, so p95 is exact.
 */
import autocannon from 'autocannon';
import type { RouteLoad } from './report.js';
import type { Route } from './routes.js';
import { percentile, round1 } from './stats.js';

export interface LoadSettings {
  /** Requests per route (after warm-up). */
  requests: number;
  concurrency: number;
  /** Upper bound per route, seconds; the run stops there even if `requests` were not all sent. */
  durationSec: number;
  warmupRequests: number;
}

export const DEFAULT_LOAD: LoadSettings = { requests: 200, concurrency: 10, durationSec: 10, warmupRequests: 10 };

interface RawRun {
  completed: number;
  errors: number;
  non2xx: number;
  latencies: number[];
  elapsedSec: number;
}

async function run(port: number, route: Route, amount: number, concurrency: number, durationSec: number, signal?: AbortSignal): Promise<RawRun> {
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  let lastResponseAt = started;
  const instance = autocannon({
    url: `http://127.0.0.1:${port}${route.path}`,
    method: route.method,
    connections: Math.max(1, Math.min(concurrency, amount)),
    amount,
    // autocannon notices it is done on its sampling tick (1 s by default): tick often so runs end promptly.
    sampleInt: 50,
    // A response may queue behind every other connection's blocking: never time out before the cap.
    timeout: Math.max(10, durationSec),
    ...(route.body !== undefined ? { body: route.body } : {}),
    ...(route.headers ? { headers: route.headers } : {}),
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    lastResponseAt = performance.now();
    if (statusCode < 200 || statusCode >= 300) non2xx++;
  });
  instance.on('reqError', () => {
    errors++;
  });
  const cap = setTimeout(() => instance.stop(), durationSec * 1000);
  const abort = (): void => instance.stop();
  signal?.addEventListener('abort', abort);
  try {
    await instance;
  } finally {
    clearTimeout(cap);
    signal?.removeEventListener('abort', abort);
  }
  return { completed: latencies.length, errors, non2xx, latencies, elapsedSec: (lastResponseAt - started) / 1000 };
}

/** Requests whose results are thrown away: first-request costs (lazy compilation, connections) are not the app's steady state. */
export async function warmUp(port: number, route: Route, settings: LoadSettings, signal?: AbortSignal): Promise<void> {
  if (settings.warmupRequests > 0)
    await run(port, route, settings.warmupRequests, Math.min(settings.concurrency, settings.warmupRequests), settings.durationSec, signal);
}

/** The route's load (no warm-up: callers warm up first, and let the app settle in between). `signal` stops it. */
export async function loadRoute(port: number, route: Route, settings: LoadSettings, signal?: AbortSignal): Promise<RouteLoad> {
  const result = await run(port, route, settings.requests, settings.concurrency, settings.durationSec, signal);
  return {
    route: route.label,
    method: route.method,
    path: route.path,
    requests: result.completed,
    errors: result.errors,
    non2xx: result.non2xx,
    reqPerSec: round1(result.completed / Math.max(result.elapsedSec, 1e-9)),
    latencyMs: {
      p50: round1(percentile(result.latencies, 50)),
      p95: round1(percentile(result.latencies, 95)),
      p99: round1(percentile(result.latencies, 99)),
      max: round1(result.latencies.length > 0 ? Math.max(...result.latencies) : 0),
    },
    concurrency: settings.concurrency,
  };
}
