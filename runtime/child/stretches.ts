/**
 * Synchronous stretches, from the event loop's point of view: how long the loop was kept from other work by
 * each callback (and the promise continuations and next-ticks run before it returns to the loop), and whose
 * request that was. This is measured with async_hooks before/after on every callback, so it does not depend
 * on where the CPU sampler lands: work after an `await`, in a body parser's 'end' event or inside a
 * dependency is timed like the handler's first segment. The CPU profile only names the line of a stretch
 * already known to be long.
 */
import { createHook, executionAsyncResource } from 'node:async_hooks';
import type { RequestRecord, Stretch } from '../protocol.js';
import { threadTime } from './thread-time.js';

const MAX_STRETCHES = 50_000;

interface OpenStretch {
  owner: RequestRecord | null;
  startMs: number;
  /** End of the last callback merged into it. */
  endMs: number;
  runQueueAtStart: number;
  /** Run-queue reading at `endMs`, taken only once the stretch is long (a system call). */
  runQueueAtEnd: number | null;
}

export interface StretchLog {
  /** Stretches of at least the threshold, in the order they ended. */
  stretches: Stretch[];
  /** The request now running `record`'s code starts here (the `request` emit): the stretch is its. */
  enter(record: RequestRecord): void;
  /** The `request` emit of `record` returned: outside any callback (a test's `server.emit`), its stretch ends here. */
  exit(record: RequestRecord): void;
  /** Close the open stretch (before the measurements are read). */
  flush(): void;
  reset(): void;
}

/**
 * Continuations run in the same turn as the callback before them, without the loop in between: promise
 * reactions and next-ticks. Any other resource's callback is the loop handing out new work.
 */
function isContinuation(resource: object): boolean {
  return resource instanceof Promise || ('callback' in resource && 'args' in resource);
}

/** `ownerOf()` names the request the running callback belongs to, if any. */
export function installStretchLog(thresholdMs: number, ownerOf: () => RequestRecord | null): StretchLog {
  let stretches: Stretch[] = [];
  let depth = 0;
  let open: OpenStretch | null = null;

  const start = (owner: RequestRecord | null, now: number): OpenStretch => ({
    owner,
    startMs: now,
    endMs: now,
    runQueueAtStart: threadTime().runQueueMs,
    runQueueAtEnd: null,
  });
  const close = (): void => {
    if (!open) return;
    const ms = open.endMs - open.startMs;
    if (open.owner) open.owner.busyMs += ms;
    if (ms >= thresholdMs) {
      const runQueueMs = Math.min(ms, Math.max(0, (open.runQueueAtEnd ?? threadTime().runQueueMs) - open.runQueueAtStart));
      if (open.owner) open.owner.busyRunQueueMs += runQueueMs;
      if (stretches.length < MAX_STRETCHES) stretches.push({ requestId: open.owner?.id ?? null, startMs: open.startMs, ms, runQueueMs });
    }
    open = null;
  };

  createHook({
    before() {
      if (depth++ > 0) return;
      const now = performance.now();
      const owner = ownerOf();
      if (open && isContinuation(executionAsyncResource()) && (owner === null || owner === open.owner)) return;
      close();
      open = start(owner, now);
    },
    after() {
      if (--depth > 0) return;
      depth = 0;
      if (!open) return;
      open.endMs = performance.now();
      if (open.endMs - open.startMs >= thresholdMs) open.runQueueAtEnd = threadTime().runQueueMs;
    },
  }).enable();

  return {
    get stretches() {
      return stretches;
    },
    enter(record) {
      const now = performance.now();
      if (open && open.owner === null && depth > 0) {
        open.owner = record;
        return;
      }
      if (open && open.owner === record) return;
      if (open && depth > 0) {
        open.endMs = now;
        close();
      }
      if (depth === 0) close();
      open = start(record, now);
    },
    exit(record) {
      if (open && open.owner === record && depth === 0) open.endMs = performance.now();
    },
    flush() {
      if (depth === 0) close();
    },
    reset() {
      stretches = [];
    },
  };
}
