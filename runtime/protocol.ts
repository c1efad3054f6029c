/**
 * What the preloaded instrumentation (in the app's process) and the probe (our process) say to each
 * other over the control socket: newline-delimited JSON on 127.0.0.1.
 */
import type { CatalogEntry } from '../core/types.js';

/** Written by the probe to a temp file whose path is in BLOCKCHECK_PROBE_CONFIG. */
export interface ChildConfig {
  controlPort: number;
  token: string;
  thresholdMs: number;
  catalog: CatalogEntry[];
  /** The preload's file URL as it appears in NODE_OPTIONS, to strip it once a process claims it. */
  preloadPath: string;
  /** Claim only the server listening on this port; otherwise the first one. */
  port?: number;
}

export const CONFIG_ENV = 'BLOCKCHECK_PROBE_CONFIG';

/** The reference host's file descriptor on which it writes the port it listens on (a line), set by the runtime. */
export const PORT_FD_ENV = 'BLOCKCHECK_HOST_PORT_FD';

/** A stack frame in generated code, as V8 reports it (1-based line and column). */
export interface RawFrame {
  url: string;
  line: number;
  column: number;
  functionName: string;
}

export interface RequestRecord {
  id: number;
  method: string;
  url: string;
  /** ms on the child's performance.now() clock. */
  startMs: number;
  endMs: number | null;
  /** The response's status code, once it finished; null when none was sent (the client went first). */
  status: number | null;
  /** Main-thread time of all the request's synchronous stretches (its callbacks, before and after awaits), ms. */
  busyMs: number;
  /**
   * Part of `busyMs`, in stretches of at least the threshold, the main thread spent runnable but not running
   * (the machine was busy), ms. 0 where it cannot be measured.
   */
  busyRunQueueMs: number;
}

/**
 * One synchronous stretch of at least the threshold: from the loop handing a callback to the app until it
 * got control back (promise continuations and next-ticks of the same request included).
 */
export interface Stretch {
  requestId: number | null;
  /** ms on the child's performance.now() clock. */
  startMs: number;
  ms: number;
  /** Part of `ms` the thread waited for a core: not the code's own blocking. */
  runQueueMs: number;
}

/** A catalog call that took at least the threshold. */
export interface SlowCall {
  apiId: string;
  name: string;
  /** ms on the child's performance.now() clock. */
  startMs: number;
  ms: number;
  /** Main-thread CPU time during the call. */
  cpuMs: number;
  /** Time the thread was runnable but not running (a busy machine), not part of the call's own wait. */
  runQueueMs: number;
  requestId: number | null;
  /** Innermost frames first, our wrapper excluded. */
  stack: RawFrame[];
}

export interface CallTotal {
  count: number;
  ms: number;
}

/** Subset of the inspector's Profiler.Profile we use. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
    positionTicks?: Array<{ line: number; ticks: number }>;
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Subset of the inspector's Profiler.ScriptCoverage. */
export interface ScriptCoverage {
  url: string;
  functions: Array<{
    functionName: string;
    ranges: Array<{ startOffset: number; endOffset: number; count: number }>;
  }>;
}

export interface ChildMeasurements {
  pid: number;
  requests: RequestRecord[];
  /** Synchronous stretches of at least the threshold in the window. */
  stretches: Stretch[];
  slowCalls: SlowCall[];
  callTotals: Record<string, CallTotal>;
  /** Event-loop delay max and samples over threshold (ms), utilization and active ms over the window. */
  loop: { delayMaxMs: number; delaySamplesOverThreshold: number; utilization: number; activeMs: number };
  /** CPU profile, started before the app's code loaded (so V8 logs its inlining); timestamps are µs on the same monotonic clock as `startMs` × 1000 + `clockOffsetUs`. */
  profile: CpuProfile | null;
  /** `profile` timestamps − performance.now()×1000, to put samples on the requests' clock. */
  clockOffsetUs: number;
  coverage: ScriptCoverage[];
}

export type ChildMessage =
  { type: 'hello'; pid: number; port: number; address: string } | { type: 'started' } | { type: 'idle' } | { type: 'measurements'; data: ChildMeasurements };

/** `idle`: reply once no request is open (answered, or its connection closed). */
export type ParentMessage = { type: 'start' } | { type: 'idle' } | { type: 'collect' };
