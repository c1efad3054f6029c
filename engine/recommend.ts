/**
 * The deployment recommendation: which worker class fits the findings and how to size it. Pure, so the
 * runtime probe can call it again with measured block times.
 *
 * Sizing uses Little's law: a loop that blocks S seconds per request serves at most 1/S requests per
 * second, and λ requests per second need λ·S loops busy on average; at a target utilisation ρ = 0.75
 * (queueing delay grows quickly above it) that is ⌈λ·S/ρ⌉ processes or threads.
 */
import type { BlockKind, Category } from '../core/index.js';

export type WorkerClass = 'event-loop' | 'thread-pool' | 'cluster' | 'fix-first';

export const TARGET_UTILISATION = 0.75;

/**
 * Categories whose async alternative runs on libuv's thread pool (UV_THREADPOOL_SIZE): fs calls wait there,
 * so the pool is sized for the requests in flight; crypto (pbkdf2, scrypt) and zlib compute there, so more
 * threads than cores buy nothing. CPU-bound JavaScript (loops, regexes, JSON) never runs on it.
 */
const LIBUV_POOL_WAITING: ReadonlySet<Category> = new Set(['fs']);
const LIBUV_POOL_COMPUTING: ReadonlySet<Category> = new Set(['crypto', 'zlib']);
const DEFAULT_UV_THREADPOOL_SIZE = 4;
/** CPU work that can move into a worker function (piscina) or an async libuv API. */
const OFFLOADABLE_CPU: ReadonlySet<Category> = new Set(['crypto', 'zlib', 'cpu-loop', 'regex']);

export interface RecommendationInput {
  findings: ReadonlyArray<{ kind: BlockKind; category: Category }>;
  /** λ: the request rate to size for (`--target-rps`). */
  targetRps?: number | undefined;
  /** S: measured seconds the loop is blocked per request (runtime probe). */
  blockSecondsPerRequest?: number | undefined;
  /** Measured share of S spent on CPU rather than waiting (0..1); overrides the static kind when given. */
  cpuShare?: number | undefined;
  /** os.availableParallelism() of the machine the service runs on. */
  availableParallelism: number;
}

export interface RecommendationConfig {
  /** node:cluster primary snippet. */
  cluster?: string;
  /** PM2 ecosystem file content. */
  pm2?: { apps: Array<{ name: string; script: string; exec_mode: 'cluster'; instances: number | 'max' }> };
  /** piscina constructor options. */
  piscina?: { filename: string; maxThreads: number };
  /** Environment for the service process. */
  env?: Record<string, string>;
}

export interface Recommendation {
  workerClass: WorkerClass;
  processes: number | null;
  threads: number | null;
  uvThreadpoolSize: number | null;
  reason: string;
  config: RecommendationConfig;
}

export function recommend(input: RecommendationInput): Recommendation {
  const { findings, availableParallelism: cores } = input;
  const S = input.blockSecondsPerRequest;
  const lambda = input.targetRps;
  const needed = S !== undefined && lambda !== undefined ? Math.max(1, Math.ceil((lambda * S) / TARGET_UTILISATION)) : null;
  const ceiling =
    S !== undefined && S > 0 ? `one event loop tops out at 1/S ≈ ${formatRate(1 / S)} req/s (S = ${formatSeconds(S)} blocked per request)` : undefined;
  const howToMeasure = sizingHint(S, lambda);
  const categories = new Set(findings.map((finding) => finding.category));

  if (findings.length === 0) {
    return {
      workerClass: 'event-loop',
      processes: null,
      threads: null,
      uvThreadpoolSize: null,
      reason: 'No blocking calls in handlers: one event loop serves concurrent requests. Run one process per core only if you need CPU parallelism.',
      config: { cluster: clusterSnippet(null), pm2: pm2Config('max') },
    };
  }

  const measuredCpuBound = input.cpuShare !== undefined ? input.cpuShare >= 0.5 : undefined;
  const waitsOnIo = findings.some((finding) => finding.kind !== 'cpu');
  const waiting = measuredCpuBound === false || (measuredCpuBound === undefined && waitsOnIo);
  const uvThreadpoolSize = libuvPoolSize(categories, needed, cores, waiting);
  const env = uvThreadpoolSize !== null ? { UV_THREADPOOL_SIZE: String(uvThreadpoolSize) } : undefined;
  if (waiting) {
    // Blocking I/O is a bug with a known fix (the async alternative); processes only buy time until it lands.
    const processes = needed;
    return {
      workerClass: 'fix-first',
      processes,
      threads: null,
      uvThreadpoolSize,
      reason: sentences(
        'Handlers make synchronous I/O calls: switch them to the async alternatives listed with each finding, which need no extra processes.',
        processes !== null
          ? `Until then, run a cluster of ${processes} processes (⌈λ·S/ρ⌉ for λ = ${formatRate(lambda!)} req/s, ρ = ${TARGET_UTILISATION}).`
          : `Until then, run a cluster of ⌈λ·S/ρ⌉ processes (λ target req/s, S blocked seconds per request, ρ = ${TARGET_UTILISATION}).`,
        ceiling,
        howToMeasure,
      ),
      config: { cluster: clusterSnippet(processes), pm2: pm2Config(processes ?? 'max'), ...(env ? { env } : {}) },
    };
  }

  const offloadable = [...categories].every((category) => OFFLOADABLE_CPU.has(category));
  const capped = needed === null ? null : Math.min(needed, cores);
  const overCores = needed !== null && needed > cores ? `λ·S/ρ = ${needed} exceeds the ${cores} cores here: add machines or make the work cheaper.` : undefined;
  if (offloadable) {
    return {
      workerClass: 'thread-pool',
      processes: null,
      threads: capped,
      uvThreadpoolSize,
      reason: sentences(
        'Handlers do CPU-bound work: move it off the event loop, to the async crypto/zlib APIs (libuv thread pool) or into a piscina worker pool for loops and regexes, with at most one thread per core.',
        ceiling,
        overCores,
        howToMeasure,
      ),
      config: { piscina: { filename: './worker.js', maxThreads: capped ?? cores }, ...(env ? { env } : {}) },
    };
  }
  return {
    workerClass: 'cluster',
    processes: capped,
    threads: null,
    uvThreadpoolSize,
    reason: sentences(
      'Handlers do CPU-bound work that does not move to a worker cheaply (e.g. parsing large JSON bodies): run one process per core at most.',
      ceiling,
      overCores,
      howToMeasure,
    ),
    config: { cluster: clusterSnippet(capped), pm2: pm2Config(capped ?? 'max'), ...(env ? { env } : {}) },
  };
}

/**
 * UV_THREADPOOL_SIZE, when the default 4 threads are not enough: for fs work while the service waits (the
 * sized concurrency), for crypto/zlib work at most one thread per core; never for CPU-bound JavaScript,
 * which does not run on libuv's pool.
 */
function libuvPoolSize(categories: ReadonlySet<Category>, needed: number | null, cores: number, waiting: boolean): number | null {
  if (needed === null) return null;
  const has = (pool: ReadonlySet<Category>): boolean => [...categories].some((category) => pool.has(category));
  const size = waiting && has(LIBUV_POOL_WAITING) ? Math.min(1024, needed) : has(LIBUV_POOL_COMPUTING) ? Math.min(needed, cores) : 0;
  return size > DEFAULT_UV_THREADPOOL_SIZE ? size : waiting && has(LIBUV_POOL_WAITING) ? DEFAULT_UV_THREADPOOL_SIZE : null;
}

function sizingHint(S: number | undefined, lambda: number | undefined): string | undefined {
  if (S !== undefined && lambda !== undefined) return undefined;
  const missing = [S === undefined ? 'measure S with --probe' : undefined, lambda === undefined ? 'give the target rate with --target-rps' : undefined]
    .filter(Boolean)
    .join(' and ');
  return `Sizes are unknown until you ${missing}.`;
}

function clusterSnippet(processes: number | null): string {
  return [
    "import cluster from 'node:cluster';",
    "import os from 'node:os';",
    '',
    'if (cluster.isPrimary) {',
    `  const processes = ${processes ?? 'os.availableParallelism()'};`,
    '  for (let i = 0; i < processes; i++) cluster.fork();',
    "  cluster.on('exit', () => cluster.fork());",
    '} else {',
    "  await import('../cli/server.js');",
    '}',
  ].join('\n');
}

function pm2Config(instances: number | 'max'): NonNullable<RecommendationConfig['pm2']> {
  return { apps: [{ name: 'server', script: './server.js', exec_mode: 'cluster', instances }] };
}

function sentences(...parts: Array<string | undefined>): string {
  return parts
    .filter((part): part is string => Boolean(part))
    .map((part) => (/[.!?]$/.test(part) ? part : `${part.charAt(0).toUpperCase()}${part.slice(1)}.`))
    .join(' ');
}

function formatRate(rate: number): string {
  return rate >= 100 ? String(Math.round(rate)) : rate.toPrecision(3).replace(/\.?0+$/, '');
}

function formatSeconds(seconds: number): string {
  return seconds >= 1 ? `${seconds.toPrecision(3)} s` : `${(seconds * 1000).toPrecision(3).replace(/\.?0+$/, '')} ms`;
}
