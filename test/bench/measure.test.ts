/**
 * The benchmark's pairing: each ratio compares two runs made back to back, and the order inside a pair
 * alternates, so that whatever the first run leaves behind (warm caches) favours neither side.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { comparePairs, type RunResult } from '../../bench/measure.js';

function fakeRun(order: string[], label: string, ms: number, cpuMs: number | undefined): () => RunResult {
  return () => {
    order.push(label);
    return { ms, cpuMs, peakMiB: undefined, stdout: '', status: 0 };
  };
}

describe('comparePairs', () => {
  it('alternates the order inside each pair and divides B by A pair by pair', () => {
    const order: string[] = [];
    const result = comparePairs(4, fakeRun(order, 'a', 200, 400), fakeRun(order, 'b', 210, 460));
    assert.deepEqual(order, ['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']);
    assert.equal(result.a.length, 4);
    assert.equal(result.b.length, 4);
    assert.deepEqual(result.ratios, [1.05, 1.05, 1.05, 1.05]);
    assert.deepEqual(result.cpuRatios, [1.15, 1.15, 1.15, 1.15]);
  });

  it('leaves out the CPU-time ratio when CPU time could not be measured', () => {
    const order: string[] = [];
    const result = comparePairs(2, fakeRun(order, 'a', 100, undefined), fakeRun(order, 'b', 100, 120));
    assert.deepEqual(result.cpuRatios, []);
  });
});
