/**
 * Counting the instructions a Node command executes, a measure that this machine's noise does not move.
 * Wall time on a shared 2-core machine varies by ±15% between identical runs, more than the few per cent
 * the rule overhead is about. Under valgrind's cachegrind, three things make a count repeat:
 *   - `--predictable`: V8's garbage collection and compilation run on the main thread, in a fixed order;
 *   - `--predictable-gc-schedule`: the heap grows by fixed steps. V8 otherwise sizes it from how fast it
 *     measured its own collections, by the clock, so a loaded machine moved no-rule counts of rxjs by 6.5%;
 *   - one libuv pool thread (`UV_THREADPOOL_SIZE=1`): ESLint reads the files concurrently (up to 100 reads
 *     in flight) and lints each as its read completes; with one pool thread the reads complete in the
 *     order they were queued, so the files are linted in the same order every run.
 * With all three, the bench's identical rounds agree within a few per cent (four processes at once on two
 * cores; 2.5% at most in the committed results). The count covers everything the process does, the optimizing compiler's and the garbage
 * collector's work included, which a normal run spreads over a second core.
 * A count is not proportional to one's own work either: any change in what a run allocates moves when the
 * collector runs, so a rule that does nothing already counts a little more than none (the no-op column).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

const VALGRIND = '/usr/bin/valgrind';

export const canCountInstructions = fs.existsSync(VALGRIND);

/** Runs `node --predictable --predictable-gc-schedule <args>` under cachegrind; resolves to the instructions executed. */
export function countInstructions(args: readonly string[], cwd: string): Promise<number> {
  const child = spawn(
    VALGRIND,
    ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--predictable', '--predictable-gc-schedule', ...args],
    // One libuv pool thread: file reads complete in the order they were queued (see above).
    { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, UV_THREADPOOL_SIZE: '1' } },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const count = /I\s+refs:\s+([\d,]+)/.exec(stderr);
      if (code !== 0 || !count) reject(new Error(`cachegrind run failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(Number(count[1]!.replaceAll(',', '')));
    });
  });
}

/**
 * `runs` rounds, each counting the baseline and every variant side by side (a count does not depend on
 * what else the machine does), and each variant's per-round ratios to the baseline.
 */
export async function compareInstructionCounts<Variant extends string>(
  runs: number,
  baseline: () => Promise<number>,
  variants: Record<Variant, () => Promise<number>>,
): Promise<{ baseline: number[]; counts: Record<Variant, number[]>; ratios: Record<Variant, number[]> }> {
  const names = Object.keys(variants) as Variant[];
  const baselineCounts: number[] = [];
  const counts = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Variant, number[]>;
  const ratios = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Variant, number[]>;
  for (let run = 0; run < runs; run++) {
    const [base, ...others] = await Promise.all([baseline(), ...names.map((name) => variants[name]())]);
    baselineCounts.push(base);
    names.forEach((name, index) => {
      counts[name].push(others[index]!);
      ratios[name].push(others[index]! / base);
    });
  }
  return { baseline: baselineCounts, counts, ratios };
}
