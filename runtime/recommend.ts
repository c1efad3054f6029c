/**
 * The deployment recommendation, from per-route blocking measurements. One function for the CLI's
 * static estimate and the probe's measured one, so the two never diverge.
 *
 * A route that blocks the loop S seconds per request caps one process at 1/S req/s whatever the
 * concurrency. CPU-bound blocking (CPU/wall ≈ 1) needs more cores: a thread pool (or cluster) capped at
 * the core count. Blocking that waits (CPU/wall ≈ 0: I/O, a child, a lock) wastes a whole process per
 * waiting request: fix it first (await the async alternative); if it cannot be fixed, a cluster of
 * ⌈λ·S/ρ⌉ processes keeps utilization under ρ at arrival rate λ.
 */
import type { Recommendation } from './report.js';

export interface RouteBlocking {
  route: string;
  /** Mean main-thread blocking per request (S), ms. */
  blockedMsPerRequest: number;
  /** CPU time / wall time of that blocking; null when unknown (treated as waiting). */
  cpuWallRatio: number | null;
}

export interface RecommendationInput {
  routes: RouteBlocking[];
  /** Blocking under this (ms per request) does not call for a worker class. */
  thresholdMs: number;
  /** Arrival rate to sustain per route (λ, req/s); default: `concurrency` requests always in flight, λ = concurrency / S. */
  targetReqPerSec?: number | null;
  /** Concurrent requests to serve when `targetReqPerSec` is not given. */
  concurrency: number;
  /** Utilization to size for (ρ), default 0.7. */
  targetUtilization?: number;
  cores: number;
  /**
   * Share (0..1) of request time spent waiting on libuv's pool (async fs, crypto, zlib, dns); when it
   * dominates, a bigger UV_THREADPOOL_SIZE helps. Null when not measured.
   */
  threadpoolShare?: number | null;
}

export interface RoutePrediction {
  route: string;
  /** 1/S: what one event loop can serve, req/s; null for a route that does not block. */
  singleLoopCeiling: number | null;
  /** Req/s expected under the recommended class (capped at the demand). */
  predictedReqPerSec: number | null;
}

export interface MeasuredRecommendation {
  recommendation: Recommendation;
  routes: RoutePrediction[];
}

/** Below this CPU/wall the blocking is mostly waiting; a busy machine lowers CPU-bound ratios, hence not 0.5. */
const CPU_BOUND_RATIO = 0.4;
const UV_THREADPOOL_DEFAULT = 4;

export function recommendFromMeasurements(input: RecommendationInput): MeasuredRecommendation {
  const rho = input.targetUtilization ?? 0.7;
  const cores = Math.max(1, input.cores);
  const blocking = input.routes.filter((route) => route.blockedMsPerRequest >= input.thresholdMs);
  const demand = (route: RouteBlocking): number => input.targetReqPerSec ?? input.concurrency / (route.blockedMsPerRequest / 1000);
  const uvThreadpoolSize = (input.threadpoolShare ?? 0) > 0.5 ? Math.min(128, Math.max(UV_THREADPOOL_DEFAULT * 2, cores * 4)) : null;
  const config: Record<string, unknown> = uvThreadpoolSize ? { env: { UV_THREADPOOL_SIZE: uvThreadpoolSize } } : {};

  if (blocking.length === 0) {
    return {
      recommendation: {
        workerClass: 'event-loop', processes: null, threads: null, uvThreadpoolSize,
        reason: `no route blocks the loop for ${input.thresholdMs} ms or more per request: a single event loop serves them`,
        config,
      },
      routes: input.routes.map((route) => ({ route: route.route, singleLoopCeiling: null, predictedReqPerSec: null })),
    };
  }

  // Waiting routes decide first: more cores do not fix a process blocked on I/O. Among them (or among the
  // CPU-bound ones), size for the route that needs the most capacity (λ·S requests blocking at once),
  // then the slowest.
  const isCpuBound = (route: RouteBlocking): boolean => (route.cpuWallRatio ?? 0) >= CPU_BOUND_RATIO;
  const waiting = blocking.filter((route) => !isCpuBound(route));
  const candidates = waiting.length > 0 ? waiting : blocking;
  const sized = candidates
    .map((route) => ({ route, load: (demand(route) * route.blockedMsPerRequest) / 1000 }))
    .sort((a, b) => b.load - a.load || b.route.blockedMsPerRequest - a.route.blockedMsPerRequest)[0]!;
  const needed = Math.max(1, Math.ceil(sized.load / rho - 1e-9));
  const cpuBound = waiting.length === 0;
  const ceiling = (route: RouteBlocking): number => 1000 / route.blockedMsPerRequest;
  const describeRoute = `${sized.route.route} blocks ${sized.route.blockedMsPerRequest.toFixed(1)} ms per request (single-loop ceiling ${ceiling(sized.route).toFixed(1)} req/s)`;

  let recommendation: Recommendation;
  let parallelism: number;
  if (cpuBound) {
    parallelism = Math.min(needed, cores);
    recommendation = {
      workerClass: 'thread-pool', processes: null, threads: parallelism, uvThreadpoolSize,
      reason: `${describeRoute} and is CPU-bound (CPU/wall ${sized.route.cpuWallRatio?.toFixed(2)}): offload it to a pool of ${parallelism} thread(s) (or a cluster of as many processes), capped at the ${cores} core(s); more would only queue`,
      config: { ...config, piscina: { maxThreads: parallelism }, alternative: { workerClass: 'cluster', processes: parallelism } },
    };
  } else {
    parallelism = needed;
    recommendation = {
      workerClass: 'fix-first', processes: parallelism, threads: null, uvThreadpoolSize,
      reason: `${describeRoute} while waiting, not computing (CPU/wall ${sized.route.cpuWallRatio?.toFixed(2) ?? 'unknown'}): await the async alternative; until then a cluster of ⌈λ·S/ρ⌉ = ⌈${demand(sized.route).toFixed(1)}·${(sized.route.blockedMsPerRequest / 1000).toFixed(3)}/${rho}⌉ = ${parallelism} processes keeps up`,
      config: { ...config, fallback: { workerClass: 'cluster', processes: parallelism } },
    };
  }
  return {
    recommendation,
    routes: input.routes.map((route) => {
      if (route.blockedMsPerRequest < input.thresholdMs) return { route: route.route, singleLoopCeiling: null, predictedReqPerSec: null };
      return {
        route: route.route,
        singleLoopCeiling: Math.round(ceiling(route) * 100) / 100,
        predictedReqPerSec: Math.round(Math.min(parallelism * ceiling(route), demand(route)) * 100) / 100,
      };
    }),
  };
}
