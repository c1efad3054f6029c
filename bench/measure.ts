/**
 * Timing whole commands the way a user runs them: each run is a fresh child process, wall time measured
 * by the parent, peak memory by GNU time when the machine has it. Figures are medians with min–max.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface RunResult {
  ms: number;
  /** User plus system CPU time of the command in ms (all its threads: GC and compiler threads too), when measurable. */
  cpuMs: number | undefined;
  /** Peak resident set size in MiB, when measurable. */
  peakMiB: number | undefined;
  stdout: string;
  status: number | null;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
}

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = fs.existsSync(GNU_TIME);

export function runCommand(command: string, args: readonly string[], cwd: string): RunResult {
  const start = performance.now();
  const child = hasGnuTime
    ? spawnSync(GNU_TIME, ['-f', 'BENCH_PEAK_KB=%M BENCH_CPU_S=%U+%S', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - start;
  // Typed as always strings, but both are null when the command cannot be started (ENOENT).
  const { stdout, stderr } = child as { stdout: string | null; stderr: string | null };
  const peak = /BENCH_PEAK_KB=(\d+)/.exec(stderr ?? '');
  const cpu = /BENCH_CPU_S=([\d.]+)\+([\d.]+)/.exec(stderr ?? '');
  return {
    ms,
    cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined,
    peakMiB: peak ? Number(peak[1]) / 1024 : undefined,
    stdout: stdout ?? '',
    status: child.status,
  };
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export function formatSummary(summary: Summary, digits = 2, unit = ''): string {
  return `${summary.median.toFixed(digits)}${unit} (${summary.min.toFixed(digits)}–${summary.max.toFixed(digits)})`;
}

/**
 * Runs A and B `runs` times each, in pairs whose order alternates (AB, BA, AB, ...), so that neither drift
 * on a busy machine nor whatever the first run of a pair leaves behind (warm file caches) favours one
 * side. Returns each side's results and the per-pair ratios B/A, of wall time and of CPU time.
 */
export function comparePairs(runs: number, a: () => RunResult, b: () => RunResult): { a: RunResult[]; b: RunResult[]; ratios: number[]; cpuRatios: number[] } {
  const resultsA: RunResult[] = [];
  const resultsB: RunResult[] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let run = 0; run < runs; run++) {
    let first: RunResult;
    let second: RunResult;
    if (run % 2 === 0) {
      first = a();
      second = b();
    } else {
      second = b();
      first = a();
    }
    resultsA.push(first);
    resultsB.push(second);
    ratios.push(second.ms / first.ms);
    if (first.cpuMs && second.cpuMs) cpuRatios.push(second.cpuMs / first.cpuMs);
  }
  return { a: resultsA, b: resultsB, ratios, cpuRatios };
}
