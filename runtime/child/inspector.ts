/**
 * The V8 side of the probe, through an in-process inspector session: precise block coverage (started
 * when the preload loads, so functions compile with counters) and the CPU profiler (started for each
 * measurement window, before the window's first request).
 */
import { Session } from 'node:inspector/promises';
import { isAppUrl } from '../app-code.js';
import type { CpuProfile, ScriptCoverage } from '../protocol.js';

const SAMPLING_INTERVAL_US = 1000;

export interface V8Probe {
  /** Drops coverage counts so far and starts the profiler. */
  startWindow(): Promise<void>;
  /** Coverage counts since the window began and the window's CPU profile. */
  endWindow(): Promise<{ profile: CpuProfile | null; coverage: ScriptCoverage[] }>;
}

export async function startV8Probe(ownDir: string): Promise<V8Probe> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  let profiling = false;
  return {
    async startWindow() {
      await session.post('Profiler.takePreciseCoverage');
      if (profiling) await session.post('Profiler.stop');
      await session.post('Profiler.start');
      profiling = true;
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
