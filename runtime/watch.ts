/**
 * The probe's low-overhead mode, for a running service: `import { watchEventLoop } from 'blockcheck/runtime'`
 * (or `node --import blockcheck/runtime/watch app.js`). Always on: event-loop delay and utilization, kept by
 * Node itself (a timer in C++, no JavaScript on this thread). A watchdog thread (`watch-worker.ts`), asleep
 * between looks, sees from the delay histogram when the loop is held, reads the app's stack then (the block's
 * line) and reports each late turn of the loop. This thread keeps the late turns its loop was busy for (a
 * block) and drops those it spent idle, waiting in the poll (the machine did not run the process). A short CPU
 * profile runs only for a block whose line the watchdog could not read (it was over too soon): it names the
 * next ones. No hooks, no wrappers, no coverage, no timer of ours at the loop's pace, no profiler otherwise.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuProfile } from './protocol.js';
import { ProfileIndex } from './cpu-profile.js';
import { SourceMaps } from './source-map.js';
import type { WatchWorkerData, WatchWorkerMessage, WatchWorkerRequest } from './watch-worker.js';

export interface WatchedBlock {
  /** How long the loop was held, ms: the late turn of the loop-delay timer, less half its period. */
  ms: number;
  /** When it ended, on performance.now()'s clock. */
  endMs: number;
  /** The app line of the block: where its stack was while it lasted, else where its profile samples are; else null. */
  site: { file: string; line: number; column: number; functionName: string } | null;
}

export interface WatchOptions {
  /** A turn of the loop this late is a block, ms; default 10. */
  thresholdMs?: number;
  /** How long a profile runs once a block's line was not read, ms; default 2000. */
  profileWindowMs?: number;
  /** Called for each block, once named (or once its profile window ended without naming it). */
  onBlock?: (block: WatchedBlock) => void;
}

export interface EventLoopWatch {
  /** Resolves once blocks are watched: the watchdog thread runs. */
  ready: Promise<void>;
  /** Loop delay (ms) and utilization since the watch started, and the blocks seen. */
  stats(): { delay: { p50: number; p99: number; max: number }; utilization: number; blocks: WatchedBlock[] };
  stop(): Promise<void>;
}

const SAMPLING_INTERVAL_US = 1000;
const MAX_BLOCKS = 1000;
/** The loop's utilization is stamped this often, ms (and at each block): a stall's busy time is read from the stamp before it. */
const UTILIZATION_STAMP_MS = 250;
const UTILIZATION_STAMPS = 8;
/** At most one profile window in this many window lengths: a profile's cost is bounded in an app that blocks often. */
const WINDOW_SPACING = 10;
const OWN_DIR = dirname(fileURLToPath(import.meta.url));

export function watchEventLoop(options: WatchOptions = {}): EventLoopWatch {
  const thresholdMs = options.thresholdMs ?? 10;
  const profileWindowMs = options.profileWindowMs ?? 2000;
  // Node's timer turns every `resolutionMs` (its usual 10 ms, finer for a finer threshold: a block shorter than
  // the period can fall between two turns); each turn is a wake-up of the process, from C++ only.
  const resolutionMs = Math.max(1, Math.min(10, Math.round(thresholdMs)));
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  const stallTurns = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  stallTurns.enable();
  const utilizationStart = performance.eventLoopUtilization();
  /** The loop's utilization so far, stamped: a stall's busy time is read from the last stamp before it. */
  const stamps: Array<{ atMs: number; utilization: EventLoopUtilization }> = [{ atMs: performance.now(), utilization: utilizationStart }];
  const stamp = (): void => {
    stamps.push({ atMs: performance.now(), utilization: performance.eventLoopUtilization() });
    if (stamps.length > UTILIZATION_STAMPS) stamps.shift();
  };
  const stamping = setInterval(stamp, UTILIZATION_STAMP_MS);
  stamping.unref();

  const blocks: WatchedBlock[] = [];
  /** Blocks seen during a profile window, unnamed: named when it ends. */
  let pending: WatchedBlock[] = [];
  let windowEnds: NodeJS.Timeout | null = null;
  let lastWindowEndMs = Number.NEGATIVE_INFINITY;
  /** Spans this thread spent on the watch's own work (a profile started, indexed): not the app's blocks. */
  const ownWork: Array<{ startMs: number; endMs: number }> = [];
  const sourceMaps = new SourceMaps();
  const control = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const watchdogThread = new Worker(new URL('./watch-worker.js', import.meta.url), {
    // Not the app's `--import blockcheck/runtime/watch`: that would start a watch, and a thread, per thread.
    execArgv: [],
    workerData: {
      heartbeat: delay,
      stalls: stallTurns,
      control,
      thresholdMs,
      resolutionMs,
      pollMs: pollMsFor(thresholdMs),
      samplingIntervalUs: SAMPLING_INTERVAL_US,
      ownDir: OWN_DIR,
    } satisfies WatchWorkerData,
  });
  watchdogThread.unref();
  /** Resolves the window's end with its profile. */
  let profileArrived: ((profile: CpuProfile | null) => void) | null = null;
  let profileStarted: (() => void) | null = null;
  const threadReady = new Promise<void>((resolve) => {
    watchdogThread.on('message', (message: WatchWorkerMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'stall') onStall(message);
      else if (message.type === 'started') profileStarted?.();
      else profileArrived?.(message.profile);
    });
  });
  const ask = (request: WatchWorkerRequest): void => watchdogThread.postMessage(request);

  const report = (block: WatchedBlock): void => {
    if (blocks.length < MAX_BLOCKS) blocks.push(block);
    options.onBlock?.(block);
  };

  /** The loop's busy time since the last stamp before `startMs`, ms: a block is busy time, a machine's stall idle. */
  const busyMsSince = (startMs: number): number => {
    const stamp = stamps.findLast((candidate) => candidate.atMs <= startMs) ?? stamps[0]!;
    return performance.eventLoopUtilization(performance.eventLoopUtilization(), stamp.utilization).active;
  };

  const onStall = (stall: Extract<WatchWorkerMessage, { type: 'stall' }>): void => {
    const endMs = stall.endAtMs - performance.timeOrigin;
    const startMs = endMs - stall.ms;
    const slackMs = resolutionMs;
    if (ownWork.some((span) => span.startMs < endMs + slackMs && span.endMs > startMs - slackMs)) return;
    // Late while the loop sat in its poll: the process was not run (a busy machine, a stopped process), no code
    // of the app held it. A block is the loop's own busy time, at least about its length.
    if (busyMsSince(startMs) < stall.ms / 2) return;
    // The next stall's busy time is read from here: this block's is not counted twice.
    stamp();
    const frame = stall.frame && sourceMaps.toOriginal(stall.frame.url, stall.frame.line, stall.frame.column);
    const block: WatchedBlock = { ms: stall.ms, endMs, site: null };
    if (frame) {
      report({ ...block, site: { file: frame.file, line: frame.line, column: frame.column, functionName: stall.frame!.functionName || '(anonymous)' } });
    } else if (windowEnds) {
      pending.push(block);
    } else if (performance.now() - lastWindowEndMs >= WINDOW_SPACING * profileWindowMs) {
      // The line was not read (the block was over before the watchdog looked): blocks recur (the same route, the
      // same input), a profile names the next ones.
      pending.push(block);
      startWindow();
    } else {
      report(block);
    }
  };

  const startWindow = (): void => {
    const span = { startMs: performance.now(), endMs: Number.POSITIVE_INFINITY };
    ownWork.push(span);
    // Starting the profiler holds this thread while V8 logs the code so far: the watch's work, not a block.
    void new Promise<void>((resolve) => (profileStarted = resolve)).then(() => {
      profileStarted = null;
      span.endMs = performance.now();
    });
    ask('start');
    windowEnds = setTimeout(() => void endWindow(), profileWindowMs);
    windowEnds.unref();
  };

  const endWindow = async (): Promise<void> => {
    windowEnds = null;
    const arrived = new Promise<CpuProfile | null>((resolve) => (profileArrived = resolve));
    const span = { startMs: performance.now(), endMs: Number.POSITIVE_INFINITY };
    ownWork.push(span);
    ask('stop');
    const profile = await arrived;
    const clockOffsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
    const index = profile ? new ProfileIndex(profile, clockOffsetUs, OWN_DIR) : null;
    for (const block of pending.splice(0)) {
      const top = index?.codeIn(block.endMs - block.ms, block.endMs).functions[0];
      const site = top ? index.siteOf(sourceMaps, top.key) : null;
      report({ ...block, site: site && { file: site.file, line: site.line, column: site.column, functionName: site.functionName } });
    }
    lastWindowEndMs = span.endMs = performance.now();
    // Only the spans a stall reported from now on can overlap are kept.
    ownWork.splice(0, ownWork.length - 2);
  };

  return {
    ready: threadReady,
    stats() {
      const utilization = performance.eventLoopUtilization(utilizationStart).utilization;
      return {
        delay: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
        utilization,
        blocks: [...blocks],
      };
    },
    async stop() {
      clearInterval(stamping);
      if (windowEnds) {
        clearTimeout(windowEnds);
        await endWindow();
      }
      Atomics.store(new Int32Array(control), 0, 1);
      Atomics.notify(new Int32Array(control), 0);
      await watchdogThread.terminate();
      delay.disable();
      stallTurns.disable();
      pending = [];
    },
  };
}

/**
 * How long the watchdog thread sleeps between looks, ms. Each look is a wake-up of a thread (tens of µs on a
 * loaded machine); a block is read while it lasts once it outlasts the threshold, the timer's period and one
 * sleep: 45 ms at the default threshold, shorter blocks are reported, named by a profile.
 */
function pollMsFor(thresholdMs: number): number {
  return Math.max(5, Math.round(thresholdMs * 2.5));
}
