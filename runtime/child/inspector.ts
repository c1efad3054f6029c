/**
 * The V8 side of the probe, through an in-process inspector session: precise block coverage and the CPU
 * profiler, both started when the preload loads, before any app code: functions compile with counters, and
 * V8 logs each optimized function's inlining as it compiles it. A profiler started after warm-up knows
 * nothing of code optimized (or on-stack replaced) before, and charges an inlined busy loop to its caller.
 */
import { Session } from 'node:inspector/promises';
import { isAppUrl } from '../app-code.js';
import type { CpuProfile, ScriptCoverage } from '../protocol.js';

const SAMPLING_INTERVAL_US = 1000;

export interface V8Probe {
  /** Drops coverage counts so far. */
  startWindow(): Promise<void>;
  /** Coverage counts since the window began and the CPU profile since the preload loaded. */
  endWindow(): Promise<{ profile: CpuProfile | null; coverage: ScriptCoverage[] }>;
}

export async function startV8Probe(ownDir: string): Promise<V8Probe> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  await session.post('Profiler.start');
  let profiling = true;
  return {
    async startWindow() {
      await session.post('Profiler.takePreciseCoverage');
    },
    async endWindow() {
      const { result } = (await session.post('Profiler.takePreciseCoverage')) as { result: ScriptCoverage[] };
      let profile: CpuProfile | null = null;
      if (profiling) {
        profile = ((await session.post('Profiler.stop')) as { profile: CpuProfile }).profile;
        profiling = false;
      }
      // App code only: our own files, Node's internals and dependencies hold no finding's line.
      return { profile, coverage: result.filter((script) => isAppUrl(script.url, ownDir)) };
    },
  };
}
