/**
 * The deployment recommendation from measurements. The decision and sizing rules live in one place, the
 * CLI's `recommend` (Little's law: a loop blocked S s per request serves 1/S req/s; λ req/s need
 * ⌈λ·S/ρ⌉ loops; CPU-bound work goes to threads capped at the cores, waiting is fixed first): this module
 * only turns per-route measurements into its inputs (S and CPU share of the route that needs the most
 * capacity, λ) and adds the per-route ceilings and predictions --verify checks.
 */
import { recommend, type RecommendationInput } from '../engine/recommend.js';
import type { Recommendation } from './report.js';

export interface RouteBlocking {
  route: string;
  /** Mean main-thread blocking per request (S), ms. */
  blockedMsPerRequest: number;
  /** CPU time / wall time of that blocking; null when unknown (treated as waiting). */
  cpuWallRatio: number | null;
}

/** What the probe measured; recommendFromMeasurements turns it into engine/recommend.ts's RecommendationInput. */
export interface MeasuredRecommendationInput {
  routes: RouteBlocking[];
  /** The confirmed findings (static and runtime-only): what blocks, by kind and category. */
  findings: RecommendationInput['findings'];
  /** A route blocking less than this per request (ms) does not count as blocking. */
  thresholdMs: number;
  /** Arrival rate to size for (λ, req/s); default: `concurrency` requests always in flight, λ = concurrency / S. */
  targetReqPerSec?: number | null;
  /** Concurrent requests to serve when `targetReqPerSec` is not given. */
  concurrency: number;
  cores: number;
}

export interface RoutePrediction {
  route: string;
  /** 1/S: what one event loop can serve, req/s; null for a route that does not block. */
  singleLoopCeiling: number | null;
  /** Req/s expected under the recommended class (capped at the demand); null for a route that does not block. */
  predictedReqPerSec: number | null;
}

export interface MeasuredRecommendation {
  recommendation: Recommendation;
  routes: RoutePrediction[];
}

/** The CLI's threshold between CPU-bound and waiting, applied to the measured CPU/wall. */
const CPU_BOUND_RATIO = 0.5;

export function recommendFromMeasurements(input: MeasuredRecommendationInput): MeasuredRecommendation {
  const blocking = input.routes.filter((route) => route.blockedMsPerRequest >= input.thresholdMs);
  const demand = (route: RouteBlocking): number => input.targetReqPerSec ?? input.concurrency / (route.blockedMsPerRequest / 1000);
  if (blocking.length === 0 || input.findings.length === 0) {
    return {
      recommendation: recommend({ findings: [], availableParallelism: input.cores }),
      routes: input.routes.map((route) => ({ route: route.route, singleLoopCeiling: null, predictedReqPerSec: null })),
    };
  }
  // Waiting routes decide first (more cores do not fix a process blocked on I/O); among them, or among the
  // CPU-bound ones, size for the route that needs the most capacity (λ·S requests blocking at once).
  const isCpuBound = (route: RouteBlocking): boolean => (route.cpuWallRatio ?? 0) >= CPU_BOUND_RATIO;
  const waiting = blocking.filter((route) => !isCpuBound(route));
  const sized = (waiting.length > 0 ? waiting : blocking)
    .map((route) => ({ route, load: demand(route) * route.blockedMsPerRequest }))
    .sort((a, b) => b.load - a.load || b.route.blockedMsPerRequest - a.route.blockedMsPerRequest)[0]!.route;
  const recommendation = recommend({
    findings: input.findings,
    targetRps: demand(sized),
    blockSecondsPerRequest: sized.blockedMsPerRequest / 1000,
    cpuShare: sized.cpuWallRatio ?? 0,
    availableParallelism: input.cores,
  });
  const parallelism = recommendation.processes ?? recommendation.threads ?? 1;
  return {
    recommendation,
    routes: input.routes.map((route) => {
      if (route.blockedMsPerRequest < input.thresholdMs) return { route: route.route, singleLoopCeiling: null, predictedReqPerSec: null };
      const ceiling = 1000 / route.blockedMsPerRequest;
      return {
        route: route.route,
        singleLoopCeiling: Math.round(ceiling * 100) / 100,
        predictedReqPerSec: Math.round(Math.min(parallelism * ceiling, demand(route)) * 100) / 100,
      };
    }),
  };
}
