/**
 * The main thread's CPU time and run-queue wait, for the CPU/wall ratio of a blocking call. On Linux,
 * /proc/thread-self/schedstat gives both for this thread alone: CPU/wall is then CPU / (wall − time spent
 * runnable but not scheduled), so a busy machine does not make CPU-bound work look like waiting. Elsewhere
 * process.cpuUsage() (all threads, no run-queue wait) is the fallback.
 */
import { createRequire } from 'node:module';

// Captured before the timing wrappers replace fs's exports: reading our own clock must not be timed.
const { openSync, readSync } = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');

export interface ThreadTime {
  cpuMs: number;
  runQueueMs: number;
}

const buffer = Buffer.alloc(128);
let schedstat: number | null = null;
try {
  schedstat = openSync('/proc/thread-self/schedstat', 'r');
} catch {
  schedstat = null;
}

export function threadTime(): ThreadTime {
  if (schedstat !== null) {
    // Synchronous on purpose: procfs answers from memory, no disk is waited on.
    const length = readSync(schedstat, buffer, 0, buffer.length, 0);
    const [cpuNs, waitNs] = buffer.toString('latin1', 0, length).split(' ');
    return { cpuMs: Number(cpuNs) / 1e6, runQueueMs: Number(waitNs) / 1e6 };
  }
  const usage = process.cpuUsage();
  return { cpuMs: (usage.user + usage.system) / 1000, runQueueMs: 0 };
}
