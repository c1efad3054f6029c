/**
 * The JSON report (schemaVersion 1) as the probe reads it, and the `runtime` section the probe fills.
 * Only the fields the probe uses are typed strictly; the rest passes through untouched.
 */

// The report's shapes are the CLI's (one definition, cli/report.ts); the probe fills `runtime`.
export type { ReportChainStep, ReportFinding, ReportFindingHandler, ReportHandler } from '../engine/report.js';
import type { Recommendation } from '../engine/recommend.js';
import type { Report, ReportFinding } from '../engine/report.js';
import type { SkippedRoute } from './routes.js';

/** A finding after the probe: its runtime section filled. */
export interface ProbedFinding extends ReportFinding {
  runtime: RuntimeSection;
  /** `runtime` for blocks only the probe saw; absent for the static pass's findings. */
  source?: 'runtime';
}

// One recommendation shape for the static and the measured recommendation: the CLI's.
export type { Recommendation, WorkerClass } from '../engine/recommend.js';

/** The static report the probe starts from: `blockcheck audit --format json`. */
export type StaticReport = Report;

/** Milliseconds of event-loop blocking, over the requests that hit the site. */
export interface BlockedStats {
  p50: number;
  p95: number;
  max: number;
}

export type Verdict = 'confirmed' | 'not-reproduced' | 'unreached';

/** What the probe measured for one finding. */
export interface RuntimeSection {
  verdict: Verdict;
  /** Blocking threshold used, in ms. */
  thresholdMs: number;
  /** Times the finding's line ran during the probe (coverage count, or timed calls for runtime-only findings). */
  executions: number;
  /** Requests during which the site blocked for at least the threshold. */
  requestsAffected: number;
  /** Blocking per affected request (sum of the site's blocking within one request), in ms; null when none. */
  blockedMsPerRequest: BlockedStats | null;
  /** Share of the main thread's busy time spent blocked at this site (0..1). */
  shareOfLoopBusy: number;
  /** CPU time / wall time of the blocking calls: ≈1 CPU-bound, ≈0 waiting on I/O or on a child. Null when not measured. */
  cpuWallRatio: number | null;
  /** Routes whose requests hit the site, with how many requests each. */
  routes: Array<{ route: string; requests: number }>;
  /**
   * How the time was measured: a timing wrapper around a catalog call, or (`cpu-profile`) the synchronous
   * stretches the site ran in, timed around each callback, with the CPU profile naming the line.
   */
  measuredBy: 'timing-wrapper' | 'cpu-profile';
  /**
   * For `unreached`, why the line did not run: its route answered (most of) its requests with a 4xx before
   * it, its route was requested but took another branch, or no request reached it (no route loaded for it).
   */
  unreachedReason?: 'answered-4xx' | 'branch-not-taken' | 'not-requested';
  /** For `unreached`: what would reach the line. */
  hint?: string;
}

/** Per-route load results. */
export interface RouteLoad {
  route: string;
  method: string;
  path: string;
  requests: number;
  errors: number;
  non2xx: number;
  reqPerSec: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  concurrency: number;
}

/** Whole-process measurements over the probe's load. */
export interface LoopMeasurements {
  /** Max event-loop delay seen (perf_hooks.monitorEventLoopDelay), ms. */
  delayMaxMs: number;
  /** Samples of the delay histogram at or over the threshold (monitor resolution 10 ms). */
  delaySamplesOverThreshold: number;
  /** Event-loop utilization over the load window (0..1). */
  utilization: number;
}

export interface ProbeSummary {
  thresholdMs: number;
  target: string;
  routes: RouteLoad[];
  /** Routes of the report the probe did not load (a method that may change data, unless --methods names it). */
  skipped: SkippedRoute[];
  loop: LoopMeasurements;
  /** Per route: single-loop ceiling (1/S) and req/s predicted under the recommendation. */
  /**
   * Per route: S (`blockedMsPerRequest`, ms) the recommendation is sized from, taken on the app without
   * instrumentation for the routes that block; `probedBlockedMsPerRequest` is S under the probe.
   */
  predictions: Array<{
    route: string;
    blockedMsPerRequest: number;
    probedBlockedMsPerRequest: number;
    cpuWallRatio: number | null;
    singleLoopCeiling: number | null;
    predictedReqPerSec: number | null;
  }>;
  verify?: VerifyResult;
}

export interface VerifyResult {
  /** The class actually run: thread-pool when recommended, else the cluster `fix-first` falls back to. */
  workerClass: 'cluster' | 'thread-pool';
  /** Processes (cluster) or threads (thread-pool). */
  workers: number;
  routes: Array<{
    route: string;
    predictedReqPerSec: number | null;
    measuredReqPerSec: number;
    baselineReqPerSec: number;
    p99Ms: number;
    baselineP99Ms: number;
  }>;
}

export interface ProbedReport extends StaticReport {
  findings: ProbedFinding[];
  recommendation: Recommendation;
  probe: ProbeSummary;
}
