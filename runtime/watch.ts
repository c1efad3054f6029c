/**
 * The probe's low-overhead mode, for a running service: `import { watchEventLoop } from 'blockcheck/runtime'`
 * (or `node --import blockcheck/runtime/watch app.js`). Always on: event-loop delay and utilization (kept by
 * Node itself) and a watchdog timer that notices a turn of the loop that came late by the threshold or more,
 * i.e. a block, after the fact. No hooks, no wrappers, no coverage, no profiler while nothing blocks. Only
 * once a block was seen does it sample a CPU profile, for a short window, to name the line of the next blocks
 * of that kind (blocks recur: the same route, the same input).
 */
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuProfile } from './protocol.js';
import { ProfileIndex } from './cpu-profile.js';
import { SourceMaps } from './source-map.js';

export interface WatchedBlock {
  /** How long the loop was held, ms: the watchdog's lateness plus half a tick (it started within that tick). */
  ms: number;
  /** When it ended, on performance.now()'s clock. */
  endMs: number;
  /** The app line the profile puts the block's samples at, when a profile was running; else null. */
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
  // The watchdog ticks at a fraction of the threshold, so a block's length is known to within that.
  const tickMs = Math.max(1, Math.floor(thresholdMs / 4));
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const utilizationStart = performance.eventLoopUtilization();
  const blocks: WatchedBlock[] = [];
  /** Blocks seen while a profile runs: named when it stops. */
  let pending: WatchedBlock[] = [];
  let session: Session | null = null;
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

  const report = (block: WatchedBlock): void => {
    if (blocks.length < MAX_BLOCKS) blocks.push(block);
    options.onBlock?.(block);
  };

  const stopProfile = async (): Promise<void> => {
    if (!session) return;
    const running = session;
    session = null;
    const { profile } = (await running.post('Profiler.stop')) as { profile: CpuProfile };
    running.disconnect();
    const clockOffsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
    const index = new ProfileIndex(profile, clockOffsetUs, OWN_DIR);
    for (const block of pending.splice(0)) {
      const top = index.codeIn(block.endMs - block.ms, block.endMs).functions[0];
      const site = top ? index.siteOf(sourceMaps, top.key) : null;
      report({ ...block, site: site ? { file: site.file, line: site.line, column: site.column, functionName: site.functionName } : null });
    }
  };

  const startProfile = async (): Promise<void> => {
    const started = new Session();
    started.connect();
    session = started;
    await started.post('Profiler.enable');
    await started.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await started.post('Profiler.start');
    profileEnds = setTimeout(() => void stopProfile(), profileWindowMs);
    profileEnds.unref();
  };

  let expected = Number.POSITIVE_INFINITY;
  // Starting the profiler holds the loop while V8 logs the code so far: the watch begins after it.
  void codeLogStarted.then(() => {
    expected = performance.now() + tickMs;
  });
  const watchdog = setInterval(() => {
    const now = performance.now();
    const lateMs = now - expected;
    if (expected !== Number.POSITIVE_INFINITY) expected = now + tickMs;
    if (lateMs < thresholdMs) return;
    const block: WatchedBlock = { ms: lateMs + tickMs / 2, endMs: now, site: null };
    if (session) {
      pending.push(block);
      return;
    }
    // The first block of a kind goes unnamed; a profile starts to name the next ones.
    report(block);
    void startProfile();
  }, tickMs);
  watchdog.unref();

  return {
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
      if (profileEnds) clearTimeout(profileEnds);
      delay.disable();
      await stopProfile();
      codeLog.disconnect();
      pending = [];
    },
  };
}
