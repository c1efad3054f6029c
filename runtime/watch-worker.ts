/**
 * The watch's watchdog thread: it sees a block while it happens, which the app's own thread cannot (it is
 * the one blocked). The app's watchdog timer stamps a shared heartbeat on every tick; when the stamp is
 * older than the threshold, this thread, through the inspector (which interrupts the running JavaScript):
 * - reads the app thread's stack (a stack trace taken in an interrupt, about a millisecond): the block's line,
 *   the first block included, even in a loop V8 compiled on the stack before any profiler ran (which a
 *   profile started afterwards charges to the caller);
 * - starts a CPU profile, which names the line of the blocks that follow, by their samples.
 * The profile runs until the app's thread ends the window (`stop`); no session is open while nothing blocks.
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { isAppUrl } from './app-code.js';
import type { CpuProfile } from './protocol.js';

export interface WatchWorkerData {
  /** Three float64: the epoch ms (performance.timeOrigin + now) of the app thread's last watchdog tick, its run-queue wait then (ms), and 1 while it ends a window. */
  heartbeat: SharedArrayBuffer;
  thresholdMs: number;
  samplingIntervalUs: number;
  /** Our runtime's directory: its frames are not the app's. */
  ownDir: string;
}

/** `start`: profile now (a block ended before this thread saw it); `stop`: end the window, send the profile. */
export type WatchWorkerRequest = 'start' | 'stop';
export type WatchWorkerMessage =
  | { type: 'ready' }
  | { type: 'profile'; profile: CpuProfile | null }
  /** The app's stack during a block, at `atMs` (epoch ms): its first frame in the app's code (1-based line). */
  | { type: 'snapshot'; atMs: number; url: string; line: number; column: number; functionName: string };

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

const { heartbeat, thresholdMs, samplingIntervalUs, ownDir } = workerData as WatchWorkerData;
/** The app's main thread's scheduler statistics (Linux; its thread id is the process id). */
const MAIN_SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;

/** The app thread's run-queue wait so far, ms; null where the system does not tell. */
function mainRunQueueMs(): number | null {
  try {
    return Number(readFileSync(MAIN_SCHEDSTAT, 'latin1').split(' ')[1]) / 1e6;
  } catch {
    return null;
  }
}
const lastTick = new Float64Array(heartbeat);
const port = parentPort!;
let profiler: Session | null = null;
let profilerStarting: Promise<unknown> = Promise.resolve();
/** The heartbeat of the block last snapshotted: one snapshot per block. */
let snapshotOf = 0;
let snapshotting = false;

const send = (message: WatchWorkerMessage): void => port.postMessage(message);

// Sessions are connected only during a window: a connected session makes the app wait for it when it exits.
function startProfile(): void {
  if (profiler) return;
  const session = new Session();
  session.connectToMainThread();
  profiler = session;
  profilerStarting = session
    .post('Profiler.enable')
    .then(() => session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs }))
    .then(() => session.post('Profiler.start'));
}

async function stopProfile(): Promise<CpuProfile | null> {
  if (!profiler) return null;
  const session = profiler;
  profiler = null;
  try {
    await profilerStarting;
    return ((await session.post('Profiler.stop')) as { profile: CpuProfile }).profile;
  } catch {
    return null;
  } finally {
    session.disconnect();
  }
}

/** Reads the app thread's stack during the block `tick` stands for, and sends its first app frame. */
async function snapshot(tick: number): Promise<void> {
  const session = new Session();
  session.connectToMainThread();
  try {
    const { result } = (await session.post('Runtime.evaluate', { expression: READ_STACK, returnByValue: true, silent: true })) as {
      result: { value?: Array<[string, number, number, string]> };
    };
    // Run after the block, the interrupt finds no app frame below it: nothing to send.
    const frame = (result.value ?? []).find(([url]) => isAppUrl(url, ownDir));
    if (!frame || lastTick[0] !== tick) return;
    const [url, line, column, functionName] = frame;
    send({ type: 'snapshot', atMs: performance.timeOrigin + performance.now(), url, line, column, functionName });
  } finally {
    session.disconnect();
  }
}

async function endWindow(): Promise<void> {
  send({ type: 'profile', profile: await stopProfile() });
}

// Polled at half the threshold: a block is seen at most that late.
setInterval(
  () => {
    const tick = lastTick[0]!;
    const staleMs = performance.timeOrigin + performance.now() - tick;
    // lastTick[2]: the app's thread is ending a window (the watch's own work, not a block).
    if (tick === 0 || staleMs < thresholdMs || lastTick[2] === 1) return;
    // Stale only while the app's thread waited for a core (a busy machine): no block of its code.
    const runQueueMs = mainRunQueueMs();
    if (runQueueMs !== null && staleMs - (runQueueMs - lastTick[1]!) < thresholdMs) return;
    startProfile();
    if (snapshotting || snapshotOf === tick) return;
    snapshotOf = tick;
    snapshotting = true;
    void snapshot(tick)
      .catch(() => {})
      .finally(() => (snapshotting = false));
  },
  Math.max(1, thresholdMs / 2),
);

port.on('message', (request: WatchWorkerRequest) => {
  if (request === 'start') startProfile();
  else void endWindow();
});
send({ type: 'ready' });
