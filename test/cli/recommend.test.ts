import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recommend, TARGET_UTILISATION } from '../../engine/recommend.js';

const io = { kind: 'io', category: 'fs' } as const;
const cpuLoop = { kind: 'cpu', category: 'cpu-loop' } as const;
const kdf = { kind: 'cpu', category: 'crypto' } as const;
const json = { kind: 'cpu', category: 'json' } as const;

describe('recommend', () => {
  it('keeps a clean service on one event loop, with no sizes', () => {
    const result = recommend({ findings: [], availableParallelism: 8 });
    assert.equal(result.workerClass, 'event-loop');
    assert.deepEqual([result.processes, result.threads, result.uvThreadpoolSize], [null, null, null]);
    assert.match(result.config.cluster!, /os\.availableParallelism\(\)/);
  });

  it('asks to fix blocking I/O first and leaves sizes null without measurements, saying how to get them', () => {
    const result = recommend({ findings: [io, cpuLoop], availableParallelism: 8 });
    assert.equal(result.workerClass, 'fix-first');
    assert.equal(result.processes, null);
    assert.match(result.reason, /--probe/);
    assert.match(result.reason, /--target-rps/);
  });

  it("sizes the interim cluster by Little's law and states the single-loop ceiling", () => {
    // λ = 300 req/s, S = 20 ms: λ·S = 6 busy loops, / 0.75 = 8 processes; one loop tops out at 50 req/s.
    const result = recommend({ findings: [io], availableParallelism: 4, targetRps: 300, blockSecondsPerRequest: 0.02 });
    assert.equal(TARGET_UTILISATION, 0.75);
    assert.equal(result.workerClass, 'fix-first');
    assert.equal(result.processes, 8);
    assert.match(result.reason, /1\/S ≈ 50 req\/s/);
    assert.equal(result.config.pm2!.apps[0]!.instances, 8);
    // fs alternatives run on libuv's pool: size it for the same concurrency.
    assert.equal(result.uvThreadpoolSize, 8);
    assert.deepEqual(result.config.env, { UV_THREADPOOL_SIZE: '8' });
  });

  it('rounds the process count up', () => {
    const result = recommend({ findings: [io], availableParallelism: 4, targetRps: 10, blockSecondsPerRequest: 0.1 });
    assert.equal(result.processes, 2); // 10 × 0.1 / 0.75 = 1.33
  });

  it('moves offloadable CPU work to a thread pool capped at the cores', () => {
    const unsized = recommend({ findings: [cpuLoop, kdf], availableParallelism: 4 });
    assert.equal(unsized.workerClass, 'thread-pool');
    assert.equal(unsized.threads, null);
    assert.equal(unsized.config.piscina!.maxThreads, 4);
    const sized = recommend({ findings: [cpuLoop], availableParallelism: 4, targetRps: 1000, blockSecondsPerRequest: 0.01 });
    assert.equal(sized.threads, 4, '⌈1000·0.01/0.75⌉ = 14, capped at 4 cores');
    assert.match(sized.reason, /exceeds the 4 cores/);
  });

  it('falls back to a cluster capped at the cores for CPU work that does not offload', () => {
    const result = recommend({ findings: [json], availableParallelism: 2, targetRps: 100, blockSecondsPerRequest: 0.005 });
    assert.equal(result.workerClass, 'cluster');
    assert.equal(result.processes, 1);
  });

  it('lets a measured CPU share override the static kind', () => {
    const waiting = recommend({ findings: [cpuLoop], availableParallelism: 4, cpuShare: 0.1 });
    assert.equal(waiting.workerClass, 'fix-first');
    const burning = recommend({ findings: [io], availableParallelism: 4, cpuShare: 0.9 });
    assert.equal(burning.workerClass, 'cluster');
  });
});
