/**
 * The probe's low-overhead mode, for a running service: `import { watchEventLoop } from 'blockcheck/runtime'`
 * (or `node --import blockcheck/runtime/watch app.js`). Always on: event-loop delay and utilization (kept by
 * Node itself) and a watchdog timer that notices a turn of the loop that came late by the threshold or more,
 * i.e. a block, after the fact. No hooks, no wrappers, no coverage, no profiler while nothing blocks. A
 * watchdog thread (`watch-worker.ts`) sees a block while it lasts: it reads the app's stack then (the block's
 * line, the first block included) and starts a CPU profile for a short window, which names the next ones.
 */
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuProfile } from './protocol.js';
import { ProfileIndex } from './cpu-profile.js';
import { SourceMaps } from './source-map.js';
import { threadTime } from './child/thread-time.js';
import type { WatchWorkerData, WatchWorkerMessage, WatchWorkerRequest } from './watch-worker.js';

export interface WatchedBlock {
  /** How long the loop was held, ms: the watchdog's lateness plus half a tick (it started within that tick). */
  ms: number;
  /** When it ended, on performance.now()'s clock. */
  endMs: number;
  /** The app line of the block: where its profile samples are, else where its stack was while it lasted; else null. */
  site: { file: string; line: number; column: number; functionName: string } | null;
}

export interface WatchOptions {
  /** A turn of the loop this late is a block, ms; default 10. */
  thresholdMs?: number;
  /** How long a profile runs once a block was seen, ms; default 2000. */
  profileWindowMs?: number;
  /** Called for each block, once named (or once its profile window ended without naming it). */
  onBlock?: (block: WatchedBlock) => void;
}

export interface EventLoopWatch {
  /** Loop delay (ms) and utilization since the watch started, and the blocks seen. */
  /** Resolves once blocks are watched: the watchdog thread runs and the loop's first tick was stamped. */
  ready: Promise<void>;
  stats(): { delay: { p50: number; p99: number; max: number }; utilization: number; blocks: WatchedBlock[] };
  stop(): Promise<void>;
}

const SAMPLING_INTERVAL_US = 1000;
const CODE_LOG_INTERVAL_US = 1_000_000;
const MAX_BLOCKS = 1000;
const OWN_DIR = dirname(fileURLToPath(import.meta.url));

export function watchEventLoop(options: WatchOptions = {}): EventLoopWatch {
  const thresholdMs = options.thresholdMs ?? 10;
  const profileWindowMs = options.profileWindowMs ?? 2000;
  // The watchdog ticks at half the threshold, so a block's length is known to within that; each tick is a
  // wake-up of the process, the watch's main cost while nothing blocks.
  const tickMs = Math.max(1, Math.floor(thresholdMs / 2));
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const utilizationStart = performance.eventLoopUtilization();
  const blocks: WatchedBlock[] = [];
  /** Blocks seen during the window: named when it ends. */
  let pending: WatchedBlock[] = [];
  /** The app's stack during blocks of the window, by the watchdog thread. */
  let snapshots: Array<Extract<WatchWorkerMessage, { type: 'snapshot' }>> = [];
  let profileEnds: NodeJS.Timeout | null = null;
  const sourceMaps = new SourceMaps();
  // A profiler that samples once a second, from the start: V8 then logs how it inlines the code it optimizes,
  // which a profiler started after a block (on code optimized before it) could not tell apart.
  const codeLog = new Session();
  codeLog.connect();
  const codeLogStarted = codeLog
    .post('Profiler.enable')
    .then(() => codeLog.post('Profiler.setSamplingInterval', { interval: CODE_LOG_INTERVAL_US }))
    .then(() => codeLog.post('Profiler.start'));
  // [0]: epoch ms of the last tick; [1]: this thread's run-queue wait at that tick, ms; [2]: 1 while a window ends.
  const heartbeat = new SharedArrayBuffer(3 * Float64Array.BYTES_PER_ELEMENT);
  const lastTick = new Float64Array(heartbeat);
  const watchdogThread = new Worker(new URL('./watch-worker.js', import.meta.url), {
    // Not the app's `--import blockcheck/runtime/watch`: that would start a watch, and a thread, per thread.
    execArgv: [],
    workerData: { heartbeat, thresholdMs, samplingIntervalUs: SAMPLING_INTERVAL_US, ownDir: OWN_DIR } satisfies WatchWorkerData,
  });
  watchdogThread.unref();
  /** Resolves the window's end with its profile. */
  let profileArrived: ((profile: CpuProfile | null) => void) | null = null;
  const threadReady = new Promise<void>((resolve) => {
    watchdogThread.on('message', (message: WatchWorkerMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'snapshot') snapshots.push(message);
      else profileArrived?.(message.profile);
    });
  });
  const ask = (request: WatchWorkerRequest): void => watchdogThread.postMessage(request);

  const report = (block: WatchedBlock): void => {
    if (blocks.length < MAX_BLOCKS) blocks.push(block);
    options.onBlock?.(block);
  };

  // The stack read during the block first: a profile started after V8 compiled the loop on the stack
  // charges its samples to the caller. The profile names the blocks the watchdog thread did not catch.
  const siteOf = (block: WatchedBlock, index: ProfileIndex | null): WatchedBlock['site'] => {
    const startMs = block.endMs - block.ms;
    const seen = snapshots.find((candidate) => {
      const atMs = candidate.atMs - performance.timeOrigin;
      return atMs >= startMs && atMs <= block.endMs;
    });
    const position = seen ? sourceMaps.toOriginal(seen.url, seen.line, seen.column) : null;
    if (position) return { file: position.file, line: position.line, column: position.column, functionName: seen!.functionName || '(anonymous)' };
    const top = index?.codeIn(startMs, block.endMs).functions[0];
    const profiled = top ? index.siteOf(sourceMaps, top.key) : null;
    return profiled ? { file: profiled.file, line: profiled.line, column: profiled.column, functionName: profiled.functionName } : null;
  };

  const endWindow = async (): Promise<void> => {
    profileEnds = null;
    const arrived = new Promise<CpuProfile | null>((resolve) => (profileArrived = resolve));
    // Ending a window holds this thread (the profile is serialized, sent and indexed here): that is the watch's
    // own work, not a block of the app, and must not open the next window (it did, one after another).
    lastTick[2] = 1;
    ask('stop');
    const profile = await arrived;
    const clockOffsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
    const index = profile ? new ProfileIndex(profile, clockOffsetUs, OWN_DIR) : null;
    for (const block of pending.splice(0)) report({ ...block, site: siteOf(block, index) });
    snapshots = [];
    expected = performance.now() + tickMs;
    lastTick[0] = performance.timeOrigin + performance.now();
    lastTick[2] = 0;
  };

  let expected = Number.POSITIVE_INFINITY;
  // Starting the profiler holds the loop while V8 logs the code so far: the watch begins after it.
  void codeLogStarted.then(() => {
    expected = performance.now() + tickMs;
    lastTick[1] = threadTime().runQueueMs;
    lastTick[0] = performance.timeOrigin + performance.now();
  });
  const watchdog = setInterval(() => {
    const now = performance.now();
    if (expected === Number.POSITIVE_INFINITY) return;
    const lateMs = now - expected;
    const { runQueueMs } = threadTime();
    const waitedMs = runQueueMs - lastTick[1]!;
    expected = now + tickMs;
    lastTick[1] = runQueueMs;
    lastTick[0] = performance.timeOrigin + now;
    // Late only while the thread waited for a core (a busy machine), or while the watch ended a window: not a
    // block of the app's code.
    if (lateMs - waitedMs < thresholdMs || lastTick[2] === 1) return;
    pending.push({ ms: lateMs + tickMs / 2, endMs: now, site: null });
    if (profileEnds) return;
    // The watchdog thread started the window during the block unless it was too short to be seen; the
    // window also names the blocks that follow (blocks recur: the same route, the same input).
    ask('start');
    profileEnds = setTimeout(() => void endWindow(), profileWindowMs);
    profileEnds.unref();
  }, tickMs);
  watchdog.unref();

  return {
    ready: Promise.all([threadReady, codeLogStarted]).then(() => {}),
    stats() {
      const utilization = performance.eventLoopUtilization(utilizationStart).utilization;
      return {
        delay: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
        utilization,
        blocks: [...blocks],
      };
    },
    async stop() {
      clearInterval(watchdog);
      delay.disable();
      if (profileEnds) {
        clearTimeout(profileEnds);
        await endWindow();
      }
      await watchdogThread.terminate();
      codeLog.disconnect();
      pending = [];
    },
  };
}
