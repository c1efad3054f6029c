/**
 * Timing whole commands the way a user runs them: each run is a fresh child process, wall time measured
 * by the parent, peak memory by GNU time when the machine has it. Figures are medians with min–max.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface RunResult {
  ms: number;
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
    ? spawnSync(GNU_TIME, ['-f', 'BENCH_PEAK_KB=%M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - start;
  const peak = /BENCH_PEAK_KB=(\d+)/.exec(child.stderr ?? '');
  return { ms, peakMiB: peak ? Number(peak[1]) / 1024 : undefined, stdout: child.stdout ?? '', status: child.status };
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
 * Runs A and B alternately `runs` times (so drift on a busy machine hits both alike) and returns each
 * side's results and the per-pair ratios B/A.
 */
export function comparePairs(
  runs: number,
  a: () => RunResult,
  b: () => RunResult,
): { a: RunResult[]; b: RunResult[]; ratios: number[] } {
  const resultsA: RunResult[] = [];
  const resultsB: RunResult[] = [];
  const ratios: number[] = [];
  for (let run = 0; run < runs; run++) {
    const first = a();
    const second = b();
    resultsA.push(first);
    resultsB.push(second);
    ratios.push(second.ms / first.ms);
  }
  return { a: resultsA, b: resultsB, ratios };
}
