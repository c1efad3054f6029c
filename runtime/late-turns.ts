/**
 * The longest turns a loop-delay histogram recorded: its late turns, read without resetting it (a reset costs
 * the timer's next turn, which has no turn before it to be late from). The watch's two threads use them to
 * tell the turns they have judged from the new ones.
 */
import type { Histogram } from 'node:perf_hooks';

/**
 * The longest turns of a histogram of at least `minNs`, longest first, at most `limit`: its k-th longest is
 * its value at the percentile that counts all but k - 1 turns (HdrHistogram rounds the count to the nearest).
 */
export function longestTurnsNs(histogram: Histogram, minNs: number, limit: number): number[] {
  const count = histogram.count;
  const turns: number[] = [];
  for (let rank = 1; rank <= Math.min(limit, count); rank++) {
    const turnNs = histogram.percentile((100 * (count - rank + 0.75)) / count);
    if (turnNs < minNs) break;
    turns.push(turnNs);
  }
  return turns;
}

/** `turns` less one of each of `judged` (both longest first). */
export function withoutJudged(turns: number[], judged: number[]): number[] {
  const left = [...judged];
  return turns.filter((turn) => {
    const index = left.indexOf(turn);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}
