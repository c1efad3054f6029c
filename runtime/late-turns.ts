/**
 * The late turns a loop-delay histogram recorded, read without resetting it (a reset costs the timer's next
 * turn, which has no turn before it to be late from). The watch's two threads use them to tell the turns they
 * have judged from the new ones.
 */
import type { Histogram } from 'node:perf_hooks';

export const NS_PER_MS = 1e6;

/** The timer's period and the threshold a block is reported from, ms. */
export interface TurnTiming {
  resolutionMs: number;
  thresholdMs: number;
}

/**
 * The block a turn recorded `turnNs` after the one before stands for, ms: the stall started somewhere in that
 * turn's first period, half of it on average.
 */
export function blockMsOfTurn(turnNs: number, { resolutionMs }: TurnTiming): number {
  return turnNs / NS_PER_MS - resolutionMs / 2;
}

/**
 * The late turns (a block of the threshold at least) of a histogram not in `judgedNs`, longest first, ns: at
 * most `newAtMost` of them.
 */
export function freshLateTurnsNs(histogram: Histogram, timing: TurnTiming, judgedNs: number[], newAtMost: number): number[] {
  const minNs = (timing.thresholdMs + timing.resolutionMs / 2) * NS_PER_MS;
  if (histogram.max < minNs) return [];
  const left = [...judgedNs];
  return longestTurnsNs(histogram, minNs, judgedNs.length + newAtMost).filter((turn) => {
    const index = left.indexOf(turn);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

/**
 * The longest turns of a histogram of at least `minNs`, longest first, at most `limit`: its k-th longest is
 * its value at the percentile that counts all but k - 1 turns (HdrHistogram rounds the count to the nearest).
 */
function longestTurnsNs(histogram: Histogram, minNs: number, limit: number): number[] {
  const count = histogram.count;
  const turns: number[] = [];
  for (let rank = 1; rank <= Math.min(limit, count); rank++) {
    const turnNs = histogram.percentile((100 * (count - rank + 0.75)) / count);
    if (turnNs < minNs) break;
    turns.push(turnNs);
  }
  return turns;
}
