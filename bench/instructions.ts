/**
 * Counting the instructions a Node command executes, a measure that this machine's noise does not move.
 * Wall time on a shared 2-core machine varies by ±15% between identical runs, more than the few per cent
 * the rule overhead is about. Under valgrind's cachegrind, with V8 made deterministic (`--predictable`:
 * garbage collection and compilation on the main thread, in a fixed order), two identical runs count the
 * same instructions to within about 0.5%. The count covers everything the process does, the optimizing
 * compiler's and the garbage collector's work included, which a normal run spreads over a second core.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

const VALGRIND = '/usr/bin/valgrind';

export const canCountInstructions = fs.existsSync(VALGRIND);

/** Runs `node --predictable <args>` under cachegrind and resolves to the instructions it executed. */
export function countInstructions(args: readonly string[], cwd: string): Promise<number> {
  const child = spawn(
    VALGRIND,
    ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--predictable', ...args],
    { cwd, stdio: ['ignore', 'ignore', 'pipe'] },
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
 * `runs` pairs of counts for A and B, each pair's two runs side by side (a count does not depend on what
 * else the machine does), and the per-pair ratios B/A.
 */
export async function compareInstructionPairs(
  runs: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<{ a: number[]; b: number[]; ratios: number[] }> {
  const countsA: number[] = [];
  const countsB: number[] = [];
  const ratios: number[] = [];
  for (let run = 0; run < runs; run++) {
    const [countA, countB] = await Promise.all([a(), b()]);
    countsA.push(countA);
    countsB.push(countB);
    ratios.push(countB / countA);
  }
  return { a: countsA, b: countsB, ratios };
}
