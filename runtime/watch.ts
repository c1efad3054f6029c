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
 * The watchdog thread starts at the app's first block past its start-up, which this thread sees (without its
 * line) in the stall histogram when it stamps the loop's utilization: a process that has ever run a worker
 * thread pays for it on every request once it has sat idle (bench/RESULTS.md: Node's `process.nextTick` then
 * builds its tick objects through V8's slow path), so an app that never blocks does not pay it, nor one that
 * blocked only while it loaded and warmed up. Start-up ends a few seconds after the process's first accepted
 * connection (Node's `net.server.socket` channel, left at once; the first requests compile their code, which
 * can hold the loop once), or after half a minute in a process that accepts none.
 * `nameFirstBlock` starts the thread at once.
 *
 * No CPU profile: starting V8's profiler holds the loop while it logs all the code (50-120 ms in a small app
 * on a loaded machine), a block of the watch's own that also hid the app's blocks queued behind it.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockMsOfTurn, freshLateTurnsNs } from './late-turns.js';
import { SourceMaps } from './source-map.js';
import type { WatchWorkerData, WatchWorkerMessage, WatchWorkerRequest } from './watch-worker.js';

export interface WatchedBlock {
  /** How long the loop was held, ms: the late turn of the loop-delay timer, less half its period. */
  ms: number;
  /**
   * When it ended, on performance.now()'s clock; for the first block, seen before the watchdog thread ran, when
   * it was noticed (at most a quarter of a second after its end).
   */
  endMs: number;
  /** The app line of the block: where its stack was while it lasted; null if it was over before the watchdog looked. */
  site: { file: string; line: number; column: number; functionName: string } | null;
  /** Seen before the watchdog thread ran (without `nameFirstBlock`): a block of the start-up, or the first one after it, which started the thread. */
  beforeWatchdog: boolean;
  /** In the start-up: loading, connecting, and the first requests' compilation (`warmupMs` after the first accepted connection; half a minute at most without one). */
  startup: boolean;
}

export interface WatchOptions {
  /** A turn of the loop this late is a block, ms; default 10. */
  thresholdMs?: number;
  /** How long the watchdog looks every few ms once a block's line was not read, ms; default 2000. */
  closeWatchMs?: number;
  /** Called for each block, as soon as it ended. */
  onBlock?: (block: WatchedBlock) => void;
  /** How long after the process's first accepted connection its blocks are still start-up, ms; default 5000. */
  warmupMs?: number;
  /**
   * Start the watchdog thread now, so that the first block is named at its line too; by default it starts at
   * the first block, which is reported with its length only (a thread costs the app per request: README).
   */
  nameFirstBlock?: boolean;
}

export interface EventLoopWatch {
  /** Resolves once blocks are watched: at once, or once the watchdog thread runs with `nameFirstBlock`. */
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
/** Late turns kept apart before the watchdog runs, at most (each stamp reads this many turns). */
const MAX_JUDGED_TURNS = 32;
/** Node's channel of each connection a server accepts: the first ends the process's start-up. */
const SERVER_SOCKET_CHANNEL = 'net.server.socket';
/** A process that accepts no connection (a queue consumer, a scheduler) is past its start-up after this, ms. */
const STARTUP_WITHOUT_CONNECTION_MS = 30_000;
const DEFAULT_WARMUP_MS = 5000;

export function watchEventLoop(options: WatchOptions = {}): EventLoopWatch {
  const thresholdMs = options.thresholdMs ?? 10;
  const closeWatchMs = options.closeWatchMs ?? 2000;
  // Node's timer turns every `resolutionMs` (its usual 10 ms, finer for a finer threshold: a block shorter than
  // the period can fall between two turns); each turn is a wake-up of the process, from C++ only.
  const resolutionMs = Math.max(1, Math.min(10, Math.round(thresholdMs)));
  const timing = { resolutionMs, thresholdMs };
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  const stallTurns = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  stallTurns.enable();
  const utilizationStart = performance.eventLoopUtilization();
  /** The loop's utilization so far, stamped: a stall's busy time is read from the last stamp before it. */
  const stamps: Array<{ atMs: number; utilization: EventLoopUtilization; cpu: NodeJS.CpuUsage }> = [
    { atMs: performance.now(), utilization: utilizationStart, cpu: process.cpuUsage() },
  ];
  const stamp = (): void => {
    stamps.push({ atMs: performance.now(), utilization: performance.eventLoopUtilization(), cpu: process.cpuUsage() });
    if (stamps.length > UTILIZATION_STAMPS) stamps.shift();
  };
  const blocks: WatchedBlock[] = [];
  let lastCloseWatchMs = Number.NEGATIVE_INFINITY;
  const sourceMaps = new SourceMaps();
  const control = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  let watchdogThread: Worker | null = null;
  const startWatchdog = (closelyMs: number, judgedNs: number[] = []): Promise<void> => {
    const thread = new Worker(new URL('./watch-worker.js', import.meta.url), {
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
        closelyMs,
        judgedTurnsNs: judgedNs,
        ownDir: OWN_DIR,
      } satisfies WatchWorkerData,
    });
    thread.unref();
    watchdogThread = thread;
    return new Promise<void>((resolve) => {
      thread.on('message', (message: WatchWorkerMessage) => {
        if (message.type === 'ready') resolve();
        else onStall(message);
      });
    });
  };

  const report = (block: WatchedBlock): void => {
    if (blocks.length < MAX_BLOCKS) blocks.push(block);
    options.onBlock?.(block);
  };

  /** The loop's busy time since the last stamp before `startMs`, ms: a block is busy time, a machine's stall idle. */
  const busyMsSince = (startMs: number): number => {
    const stamp = stamps.findLast((candidate) => candidate.atMs <= startMs) ?? stamps[0]!;
    return performance.eventLoopUtilization(performance.eventLoopUtilization(), stamp.utilization).active;
  };

  let startupEndMs = performance.now() + STARTUP_WITHOUT_CONNECTION_MS;
  const onFirstConnection = (): void => {
    startupEndMs = Math.min(startupEndMs, performance.now() + (options.warmupMs ?? DEFAULT_WARMUP_MS));
    unsubscribe(SERVER_SOCKET_CHANNEL, onFirstConnection);
  };
  subscribe(SERVER_SOCKET_CHANNEL, onFirstConnection);
  const inStartup = (): boolean => performance.now() < startupEndMs;

  /** The stall histogram's late turns already judged before the watchdog ran (blocks of the start-up, stalls of the machine), ns. */
  let judgedTurnsNs: number[] = [];
  /**
   * Before the watchdog thread runs: the late turns the stall histogram recorded since the last stamp are a
   * block of the app if the loop was busy for half of one at least and the process ran for a quarter of it
   * (on a loaded machine a block gets part of a core): the longest such. The rest were stalls of the machine:
   * the loop idle in its poll, or the process not run at all (stopped, or on a busy host: its loop may have
   * been busy, its CPU time stood still). The thread tells them apart while they last (the stack, its own
   * sleep); this thread only by the stamps' totals, so it asks for both. It is reported with its length, as
   * it is noticed; past the start-up, the thread starts, looking closely at once. Nothing is reset here: a
   * reset costs the timer's next turn, and no thread would see a block that ends there.
   */
  const noticeBlock = (): void => {
    const freshNs = freshLateTurnsNs(stallTurns, timing, judgedTurnsNs, MAX_JUDGED_TURNS);
    if (freshNs.length === 0) return;
    // From the stamp before the last: the histogram's timer may have recorded a late turn just after the last
    // stamp ran, at the end of the same block.
    const since = stamps.at(-2) ?? stamps[0]!;
    const busyMs = busyMsSince(since.atMs);
    const { user, system } = process.cpuUsage(since.cpu);
    const ranMs = (user + system) / 1000;
    const blockMs = freshNs.map((turnNs) => blockMsOfTurn(turnNs, timing)).find((turnMs) => turnMs / 2 <= busyMs && turnMs / 4 <= ranMs);
    judgedTurnsNs.push(...freshNs);
    if (blockMs !== undefined) {
      const startup = inStartup();
      report({ ms: blockMs, endMs: performance.now(), site: null, beforeWatchdog: true, startup });
      if (!startup) {
        lastCloseWatchMs = performance.now();
        // The turns judged here are left to the thread, which reports only those recorded since (a block while
        // it started).
        void startWatchdog(closeWatchMs, judgedTurnsNs);
        return;
      }
    }
    // A host that stalled the process this often: start over, at the price of the timer's next turn.
    if (judgedTurnsNs.length >= MAX_JUDGED_TURNS) {
      stallTurns.reset();
      judgedTurnsNs = [];
    }
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
    report({ ms: stall.ms, endMs, site, beforeWatchdog: false, startup: inStartup() });
    // The line was not read (the block was over before the watchdog looked): blocks recur (the same route, the
    // same input), the watchdog looks closely for a while to read the next one's.
    if (!site && performance.now() - lastCloseWatchMs >= CLOSE_WATCH_SPACING * closeWatchMs) {
      lastCloseWatchMs = performance.now();
      watchdogThread?.postMessage({ closelyMs: closeWatchMs } satisfies WatchWorkerRequest);
    }
  };

  const stamping = setInterval(() => {
    if (!watchdogThread) noticeBlock();
    stamp();
  }, UTILIZATION_STAMP_MS);
  stamping.unref();
  const ready = options.nameFirstBlock ? startWatchdog(0) : Promise.resolve();
  return {
    ready,
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
      // Still subscribed if no connection came; a no-op otherwise.
      unsubscribe(SERVER_SOCKET_CHANNEL, onFirstConnection);
      Atomics.store(new Int32Array(control), 0, 1);
      Atomics.notify(new Int32Array(control), 0);
      await watchdogThread?.terminate();
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
