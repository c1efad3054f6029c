/**
 * The probe's low-overhead mode, for a running service: `import { watchEventLoop } from 'blockcheck/runtime'`
 * (or `node --import blockcheck/runtime/watch app.js`). Always on: event-loop delay and utilization, kept by
 * Node itself (a timer in C++, no JavaScript on this thread). A watchdog thread (`watch-worker.ts`), asleep
 * between looks, sees from the delay histogram when the loop is held, reads the app's stack then (the block's
 * line) and reports each late turn of the loop. This thread keeps the late turns its loop was busy for (a
 * block) and drops those it spent idle, waiting in the poll (the machine did not run the process). After a
 * block over too soon for its line to be read, the watchdog looks every few ms for a while: blocks recur.
 * No hooks, no wrappers, no coverage, no profiler, no timer of ours at the loop's pace.
 *
 * No CPU profile: starting V8's profiler holds the loop while it logs all the code (50-120 ms in a small app
 * on a loaded machine), a block of the watch's own that also hid the app's blocks queued behind it.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMaps } from './source-map.js';
import type { WatchWorkerData, WatchWorkerMessage, WatchWorkerRequest } from './watch-worker.js';

export interface WatchedBlock {
  /** How long the loop was held, ms: the late turn of the loop-delay timer, less half its period. */
  ms: number;
  /** When it ended, on performance.now()'s clock. */
  endMs: number;
  /** The app line of the block: where its stack was while it lasted; null if it was over before the watchdog looked. */
  site: { file: string; line: number; column: number; functionName: string } | null;
}

export interface WatchOptions {
  /** A turn of the loop this late is a block, ms; default 10. */
  thresholdMs?: number;
  /** How long the watchdog looks every few ms once a block's line was not read, ms; default 2000. */
  closeWatchMs?: number;
  /** Called for each block, as soon as it ended. */
  onBlock?: (block: WatchedBlock) => void;
}

export interface EventLoopWatch {
  /** Resolves once blocks are watched: the watchdog thread runs. */
  ready: Promise<void>;
  /** Loop delay (ms) and utilization since the watch started, and the blocks seen. */
  stats(): { delay: { p50: number; p99: number; max: number }; utilization: number; blocks: WatchedBlock[] };
  stop(): Promise<void>;
}

const MAX_BLOCKS = 1000;
/** The loop's utilization is stamped this often, ms (and at each block): a stall's busy time is read from the stamp before it. */
const UTILIZATION_STAMP_MS = 250;
const UTILIZATION_STAMPS = 8;
/** At most one close watch in this many of its lengths: its cost is bounded in an app that blocks often. */
const CLOSE_WATCH_SPACING = 10;
const OWN_DIR = dirname(fileURLToPath(import.meta.url));

export function watchEventLoop(options: WatchOptions = {}): EventLoopWatch {
  const thresholdMs = options.thresholdMs ?? 10;
  const closeWatchMs = options.closeWatchMs ?? 2000;
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
  let lastCloseWatchMs = Number.NEGATIVE_INFINITY;
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
      closePollMs: Math.max(1, Math.floor(thresholdMs / 2)),
      ownDir: OWN_DIR,
    } satisfies WatchWorkerData,
  });
  watchdogThread.unref();
  const threadReady = new Promise<void>((resolve) => {
    watchdogThread.on('message', (message: WatchWorkerMessage) => {
      if (message.type === 'ready') resolve();
      else onStall(message);
    });
  });

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
    // Late while the loop sat in its poll: the process was not run (a busy machine, a stopped process), no code
    // of the app held it. A block is the loop's own busy time, at least about its length.
    if (busyMsSince(endMs - stall.ms) < stall.ms / 2) return;
    // The next stall's busy time is read from here: this block's is not counted twice.
    stamp();
    const frame = stall.frame && sourceMaps.toOriginal(stall.frame.url, stall.frame.line, stall.frame.column);
    const site = frame && { file: frame.file, line: frame.line, column: frame.column, functionName: stall.frame!.functionName || '(anonymous)' };
    report({ ms: stall.ms, endMs, site });
    // The line was not read (the block was over before the watchdog looked): blocks recur (the same route, the
    // same input), the watchdog looks closely for a while to read the next one's.
    if (!site && performance.now() - lastCloseWatchMs >= CLOSE_WATCH_SPACING * closeWatchMs) {
      lastCloseWatchMs = performance.now();
      watchdogThread.postMessage({ closelyMs: closeWatchMs } satisfies WatchWorkerRequest);
    }
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
      Atomics.store(new Int32Array(control), 0, 1);
      Atomics.notify(new Int32Array(control), 0);
      await watchdogThread.terminate();
      delay.disable();
      stallTurns.disable();
    },
  };
}

/**
 * How long the watchdog thread sleeps between looks, ms. Each look is a wake-up of a thread (tens of µs on a
 * loaded machine). It counts a block from the look that saw the loop's last turn, so it reads a block while it
 * lasts once it outlasts two sleeps: surely from 50 ms at the default threshold. Shorter blocks are reported,
 * and their line read on a later run, by the close watch.
 */
function pollMsFor(thresholdMs: number): number {
  return Math.max(5, Math.round(thresholdMs * 2.5));
}
