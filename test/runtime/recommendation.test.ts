/**
 * The recommendation's libuv pool: UV_THREADPOOL_SIZE only for work that runs on libuv's pool (fs while
 * waiting, sized for the requests in flight; crypto/zlib at most one thread per core), never for CPU-bound
 * JavaScript (issue #18: a CPU-bound route on 2 cores got UV_THREADPOOL_SIZE=14).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recommend } from '../../engine/recommend.js';
import { recommendFromMeasurements } from '../../runtime/recommend.js';

const fs = { kind: 'io', category: 'fs' } as const;
const loop = { kind: 'cpu', category: 'cpu-loop' } as const;
const kdf = { kind: 'cpu', category: 'crypto' } as const;

describe('recommend: UV_THREADPOOL_SIZE', () => {
  it('is not set for a CPU-bound route, even beside a fast fs call', () => {
    // λ = 140 req/s, S = 75 ms: ⌈λ·S/ρ⌉ = 14, on 2 cores.
    const result = recommend({ findings: [loop, fs], availableParallelism: 2, targetRps: 140, blockSecondsPerRequest: 0.075, cpuShare: 1 });
    assert.equal(result.uvThreadpoolSize, null);
    assert.equal(result.config.env, undefined);
  });

  it('is not set from measurements of a CPU-bound route on 2 cores', () => {
    const { recommendation } = recommendFromMeasurements({
      routes: [{ route: 'GET /report', blockedMsPerRequest: 70, cpuWallRatio: 1 }],
      findings: [loop, fs],
      thresholdMs: 10,
      concurrency: 10,
      cores: 2,
    });
    assert.equal(recommendation.uvThreadpoolSize, null);
  });

  it('caps crypto work on the pool at the cores, and leaves the default when it is enough', () => {
    assert.equal(recommend({ findings: [kdf], availableParallelism: 8, targetRps: 140, blockSecondsPerRequest: 0.075, cpuShare: 1 }).uvThreadpoolSize, 8);
    assert.equal(recommend({ findings: [kdf], availableParallelism: 2, targetRps: 140, blockSecondsPerRequest: 0.075, cpuShare: 1 }).uvThreadpoolSize, null);
  });

  it('sizes it for the requests in flight when fs calls wait', () => {
    assert.equal(recommend({ findings: [fs], availableParallelism: 2, targetRps: 140, blockSecondsPerRequest: 0.075, cpuShare: 0 }).uvThreadpoolSize, 14);
  });
});
