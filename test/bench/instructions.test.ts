/**
 * The instruction-count comparison: each round counts the baseline once and every variant beside it, and
 * each variant's ratio is taken against the baseline of its own round.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareInstructionCounts } from '../../bench/instructions.js';

function counter(calls: string[], label: string, counts: number[]): () => Promise<number> {
  let call = 0;
  return () => {
    calls.push(label);
    return Promise.resolve(counts[call++]!);
  };
}

describe('compareInstructionCounts', () => {
  it("counts the baseline once per round and divides each variant by that round's baseline", async () => {
    const calls: string[] = [];
    const result = await compareInstructionCounts(2, counter(calls, 'none', [100, 200]), {
      rule: counter(calls, 'rule', [110, 230]),
      noop: counter(calls, 'noop', [101, 202]),
    });
    assert.deepEqual(calls, ['none', 'rule', 'noop', 'none', 'rule', 'noop']);
    assert.deepEqual(result.baseline, [100, 200]);
    assert.deepEqual(result.counts, { rule: [110, 230], noop: [101, 202] });
    assert.deepEqual(result.ratios, { rule: [1.1, 1.15], noop: [1.01, 1.01] });
  });
});
