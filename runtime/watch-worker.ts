/**
 * The watch's watchdog thread: it sees a block while it happens, which the app's own thread cannot (it is
 * the one blocked). Its heartbeat is the app's loop-delay histogram, shared with this thread: Node's own
 * timer records into it every `resolutionMs` from C++, no JavaScript runs on the app's thread for it. This
 * thread sleeps in `Atomics.wait`, wakes every `pollMs` and reads the histogram:
 * - its count stands still for the threshold: the loop is held now. Through the inspector (which interrupts
 *   the running JavaScript) it reads the app thread's stack, the block's line, the first block included, even
 *   in a loop V8 compiled on the stack before any profiler ran; then it looks every millisecond for the end;
 * - a late turn was recorded (the stall histogram's max, reset after each): a block ended, of that length.
 * It leaves out what it saw of a stall of the process itself (no JavaScript under its stack read, or this thread
 * not run either) and sends each stall to the app's thread, which tells a block of the app (its loop busy) from
 * a stall of the machine (its loop idle, waiting in the poll for a core). After a block whose line it did not read (it was
 * over before this thread looked), the app's thread asks it to look every few milliseconds for a while.
 */
import { Session } from 'node:inspector/promises';
import type { Histogram } from 'node:perf_hooks';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { isAppUrl } from './app-code.js';
import { blockMsOfTurn, freshLateTurnsNs, NS_PER_MS } from './late-turns.js';

export interface WatchWorkerData {
  /** The app's loop-delay histogram: its count moves on every turn of Node's timer, the heartbeat. */
  heartbeat: Histogram;
  /** The same timer's histogram for this thread alone: reset after each late turn it reports. */
  stalls: Histogram;
  /** One int32: 1 once the watch stops. */
  control: SharedArrayBuffer;
  thresholdMs: number;
  /** The histograms' timer period, ms. */
  resolutionMs: number;
  /** How long this thread sleeps between two looks while the loop turns, ms. */
  pollMs: number;
  /** How long this thread sleeps between two looks while it watches closely, ms. */
  closePollMs: number;
  /** How long it watches closely from its start, ms: it starts at a block whose line was not read. */
  closelyMs: number;
  /** The stall histogram's late turns the app's thread judged before this thread ran, ns: not reported again. */
  judgedTurnsNs: number[];
  /** Our runtime's directory: its frames are not the app's. */
  ownDir: string;
}

/** Look every few milliseconds for the next `closelyMs`: a block was seen whose line this thread did not read. */
export interface WatchWorkerRequest {
  closelyMs: number;
}
export type WatchWorkerMessage =
  | { type: 'ready' }
  /**
   * The loop turned late: `ms` long, over at `endAtMs` (epoch ms); `frame`, the app's first frame on the stack
   * (1-based line) if this thread read it while the stall lasted.
   */
  | { type: 'stall'; ms: number; endAtMs: number; frame: StackFrame | null };

export interface StackFrame {
  url: string;
  line: number;
  column: number;
  functionName: string;
}

/**
 * Run by the inspector on the app's thread, in an interrupt on top of the blocked code: its stack, frames
 * below this one included, as [url, line, column, function name], whatever the app did to stack traces.
 */
const READ_STACK = `(() => {
  const { stackTraceLimit, prepareStackTrace } = Error;
  Error.stackTraceLimit = 64;
  Error.prepareStackTrace = (_, frames) => frames.map((f) => [f.getFileName() ?? '', f.getLineNumber() ?? 0, f.getColumnNumber() ?? 0, f.getFunctionName() ?? '']);
  try { return new Error().stack; } finally { Error.stackTraceLimit = stackTraceLimit; Error.prepareStackTrace = prepareStackTrace; }
})()`;

const { heartbeat, stalls, control, thresholdMs, resolutionMs, pollMs, closePollMs, closelyMs, judgedTurnsNs, ownDir } = workerData as WatchWorkerData;
const stopped = new Int32Array(control);
const port = parentPort!;
/** While a stall is open, how often this thread looks for its end, ms. */
const END_POLL_MS = 1;

const send = (message: WatchWorkerMessage): void => port.postMessage(message);
const nowMs = (): number => performance.timeOrigin + performance.now();

/**
 * Reads the app thread's stack now: its first app frame, if any, and whether any JavaScript was running
 * under the read (none: the thread was waiting in the loop's poll, nothing held it).
 */
async function readAppStack(): Promise<{ frame: StackFrame | null; running: boolean }> {
  const session = new Session();
  session.connectToMainThread();
  try {
    const { result } = (await session.post('Runtime.evaluate', { expression: READ_STACK, returnByValue: true, silent: true })) as {
      result: { value?: Array<[string, number, number, string]> };
    };
    // The first two frames are the read's own (the arrow function and the evaluated script).
    const frames = (result.value ?? []).slice(2);
    const frame = frames.find(([url]) => isAppUrl(url, ownDir));
    return { frame: frame ? { url: frame[0], line: frame[1], column: frame[2], functionName: frame[3] } : null, running: frames.length > 0 };
  } catch {
    return { frame: null, running: true };
  } finally {
    // A connected session makes the app wait for it when it exits: none stays open.
    session.disconnect();
  }
}

/** Until when (epoch ms) this thread looks every few milliseconds: a block recurs, its next run is read while it lasts. */
let closelyUntil = nowMs() + closelyMs;

/** A stall of the loop that lasts: when the loop turned last before it, and the app's frame read during it. */
interface OpenStall {
  sinceMs: number;
  frame: StackFrame | null;
}

async function watch(): Promise<void> {
  // The histogram's late turns from before this thread ran were the app's thread's to judge (the first block,
  // which started this thread, and stalls of the machine before it); one since (a block while this thread
  // started) is reported now, without its line. Then the histogram is this thread's.
  const timing = { resolutionMs, thresholdMs };
  const [sinceJudgedNs] = freshLateTurnsNs(stalls, timing, judgedTurnsNs, 1);
  if (sinceJudgedNs !== undefined) send({ type: 'stall', ms: blockMsOfTurn(sinceJudgedNs, timing), endAtMs: nowMs(), frame: null });
  stalls.reset();
  let lastCount = heartbeat.count;
  /** When this thread saw the count move last: the loop turned at or before that. */
  let lastMovedAt = nowMs();
  let open: OpenStall | null = null;
  /**
   * Reset the stall histogram just now: the timer's next turn records nothing (it has no turn before it), a
   * block before it would be lost. Till then this thread looks every millisecond: it sees such a block itself.
   */
  let justReset = true;
  /** The loop was seen idle during this late turn: the histogram's record of it includes the machine's stall. */
  let machineStall = false;
  // Sleeping in Atomics.wait is one wake-up per look, the least this thread can cost; the event loop runs
  // only while an inspector call is awaited.
  const sleepMs = (): number => (open || justReset ? END_POLL_MS : closelyUntil > nowMs() ? closePollMs : pollMs);
  let sleptAt = 0;
  let sleptMs = 0;
  /** The next sleep, noted to tell how much longer than asked it lasted. */
  const sleep = (): number => {
    sleptAt = nowMs();
    sleptMs = sleepMs();
    return sleptMs;
  };
  /** How much longer than asked this thread slept since the loop's last turn it saw: the machine did not run it. */
  let oversleptMs = 0;
  while (Atomics.wait(stopped, 0, 0, sleep()) !== 'not-equal' && Atomics.load(stopped, 0) === 0) {
    const now = nowMs();
    oversleptMs = Math.max(oversleptMs, now - sleptAt - sleptMs);
    for (let request = receiveMessageOnPort(port); request; request = receiveMessageOnPort(port)) {
      closelyUntil = now + (request.message as WatchWorkerRequest).closelyMs;
    }
    const count = heartbeat.count;
    if (count === lastCount) {
      // The timer is due at most one period after its last turn: this late, the loop is held, or the machine
      // did not run it; the app's thread tells which, from the stack here and its own loop's idle time.
      if (!open && now - lastMovedAt >= thresholdMs + resolutionMs) {
        const stack = await readAppStack();
        // Nothing ran under the read: the loop was waiting in its poll and the machine did not run it (a stopped
        // process, a busy host). That is no block; one that starts later is measured from here, not from the
        // turn before the stop, and the late turn that ends it counts from here too.
        if (stack.running) open = { sinceMs: lastMovedAt, frame: stack.frame };
        else {
          lastMovedAt = nowMs();
          machineStall = true;
        }
      }
      continue;
    }
    lastCount = count;
    lastMovedAt = now;
    justReset = false;
    const recordedMs = stalls.max / NS_PER_MS;
    // This thread was not run for half the late turn or more: the process was not run (stopped, a busy host),
    // which held the loop as much as anything the app did. Only what this thread saw itself is a block then.
    if (recordedMs - resolutionMs / 2 >= thresholdMs && oversleptMs >= recordedMs / 2) machineStall = true;
    oversleptMs = 0;
    // A turn `resolution + late` after the one before: the stall started somewhere in that first period, half of
    // it on average. A reset just before the stall left no turn before it to measure from, and a machine's stall
    // is in the recorded turn: this thread's own sightings bound the block then.
    const seenMs = open ? now - open.sinceMs : 0;
    const blockMs = (machineStall ? seenMs : Math.max(recordedMs, seenMs)) - resolutionMs / 2;
    if (blockMs >= thresholdMs) send({ type: 'stall', ms: blockMs, endAtMs: now, frame: open?.frame ?? null });
    if (blockMs >= thresholdMs || machineStall) {
      stalls.reset();
      justReset = true;
    }
    machineStall = false;
    open = null;
  }
}

// An inspector call does not keep a thread's event loop alive: while one is awaited, this timer (which never
// fires) does, or the thread would end there.
const keepAlive = setInterval(() => {}, 2 ** 30);
send({ type: 'ready' });
await watch();
clearInterval(keepAlive);
