/**
 * `npm run bench`: the probe's own overhead (req/s of a cheap async route with and without our
 * instrumentation, interleaved in one run) and the slow-service table (the published measurement's
 * shape: blocking vs async at concurrency 5, 10, 20, then the recommended cluster).
 *
 *   node dist/bench/probe.js [--delay 500] [--rounds 2] [--requests 3000] [--only overhead|slow-service]
 */
import { staticReportFor } from './static-report.js';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { measureUnder, probe, recommendFromMeasurements } from '../runtime/index.js';
import type { RouteLoad } from '../runtime/index.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const { values } = parseArgs({
  options: {
    delay: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '2' },
    requests: { type: 'string', default: '3000' },
    only: { type: 'string' },
  },
});
const delayMs = Number(values.delay);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function overhead(): Promise<void> {
  const modulePath = resolve(ROOT, 'fixtures/probe-fastify/app.mjs');
  const ping = { label: 'GET /ping', method: 'GET', pattern: '/ping', path: '/ping' };
  const load = { requests: Number(values.requests), concurrency: 10, durationSec: 20, warmupRequests: 300 };
  const report = staticReportFor(ROOT, { label: ping.label, kind: 'fastify-route', file: modulePath, line: 1, method: 'GET', path: '/ping' });
  const target = { kind: 'module', modulePath, exportName: 'app' } as const;
  const watchEnv = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(resolve(ROOT, 'dist/runtime/watch-entry.js')).href}`.trim() };
  const bare: number[] = [];
  const watched: number[] = [];
  const probed: number[] = [];
  // Interleaved, so the machine's load drifts over all three alike.
  for (let round = 0; round < Number(values.rounds); round++) {
    log(`overhead round ${round + 1}: bare`);
    bare.push((await measureUnder({ target, cwd: ROOT, routes: [ping], load }))[0]!.reqPerSec);
    log(`overhead round ${round + 1}: low-overhead watch`);
    watched.push((await measureUnder({ target, cwd: ROOT, routes: [ping], load, env: watchEnv }))[0]!.reqPerSec);
    log(`overhead round ${round + 1}: probed`);
    probed.push((await probe(report, { target, cwd: ROOT, load })).probe.routes[0]!.reqPerSec);
  }
  // Per round, bare over each mode (the three runs of a round are minutes apart at most); the median round.
  const medianRatio = (mode: number[]): number => {
    const ratios = bare.map((value, index) => value / mode[index]!).sort((a, b) => a - b);
    return ratios[Math.floor(ratios.length / 2)]!;
  };
  const range = (mode: number[]): string => {
    const ratios = bare.map((value, index) => value / mode[index]!);
    return `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  };
  console.log(`## Probe overhead (fastify GET /ping, concurrency 10, ${load.requests} requests per run)\n`);
  console.log('| run | req/s bare | req/s low-overhead watch | req/s probed (full) |');
  console.log('|---|---|---|---|');
  bare.forEach((value, index) => console.log(`| ${index + 1} | ${value} | ${watched[index]} | ${probed[index]} |`));
  console.log(
    `\nbare / watch, median of the rounds: ${medianRatio(watched).toFixed(3)} (${range(watched)}; loop delay and utilization, a watchdog timer, a profiler sampling once a second)`,
  );
  console.log(
    `bare / probed, median of the rounds: ${medianRatio(probed).toFixed(2)} (${range(probed)}; timing wrappers, async_hooks stretches, request attribution, precise coverage, CPU profiler, loop monitor)\n`,
  );
}

async function slowService(): Promise<void> {
  process.env.SLOW_SERVICE_DELAY_MS = String(delayMs);
  const modulePath = resolve(ROOT, 'fixtures/slow-service');
  const routes = [
    { label: 'GET /blocking', method: 'GET', pattern: '/blocking', path: '/blocking' },
    { label: 'GET /async', method: 'GET', pattern: '/async', path: '/async' },
  ];
  const rows: Array<{ concurrency: number; blocking: RouteLoad; async: RouteLoad }> = [];
  for (const concurrency of [5, 10, 20]) {
    log(`slow-service: concurrency ${concurrency}`);
    const [blocking, async] = await measureUnder({
      target: { kind: 'module', modulePath, exportName: 'default' },
      cwd: ROOT,
      routes,
      load: { requests: 2 * concurrency, concurrency, durationSec: 120, warmupRequests: 1 },
    });
    rows.push({ concurrency, blocking: blocking!, async: async! });
  }
  console.log(`## slow-service (service answers after ${delayMs} ms; blocking client vs awaited fetch, one event loop)\n`);
  console.log('| concurrency | blocking req/s | blocking p95 ms | async req/s | async p95 ms |');
  console.log('|---|---|---|---|---|');
  for (const row of rows)
    console.log(`| ${row.concurrency} | ${row.blocking.reqPerSec} | ${row.blocking.latencyMs.p95} | ${row.async.reqPerSec} | ${row.async.latencyMs.p95} |`);
  console.log('\npublished: blocking 1.96 req/s at 5, 10, 20 (p95 2.5 s, 5.1 s, 10.2 s); async 9.75, 19.06, 19.44 req/s at ≈0.52 s\n');

  const concurrency = 10;
  const blocking = rows.find((row) => row.concurrency === concurrency)!.blocking;
  const { recommendation, routes: predicted } = recommendFromMeasurements({
    routes: [{ route: 'GET /blocking', blockedMsPerRequest: 1000 / blocking.reqPerSec, cpuWallRatio: 0 }],
    findings: [{ kind: 'wait', category: 'blocking-client' }],
    thresholdMs: 10,
    concurrency,
    cores: availableParallelism(),
  });
  const processes = recommendation.processes!;
  log(`slow-service: cluster of ${processes}`);
  const [clustered] = await measureUnder({
    target: { kind: 'module', modulePath, exportName: 'default', workerClass: 'cluster', workers: processes },
    cwd: ROOT,
    routes: [routes[0]!],
    load: { requests: 4 * concurrency, concurrency, durationSec: 120, warmupRequests: 2 * processes },
  });
  console.log(
    `## slow-service blocking route under the recommendation (${recommendation.workerClass}; fallback cluster of ${processes}) at concurrency ${concurrency}\n`,
  );
  console.log('| | req/s | p95 ms |');
  console.log('|---|---|---|');
  console.log(`| one event loop | ${blocking.reqPerSec} | ${blocking.latencyMs.p95} |`);
  console.log(`| cluster of ${processes} (predicted ${predicted[0]!.predictedReqPerSec} req/s) | ${clustered!.reqPerSec} | ${clustered!.latencyMs.p95} |`);
}

if (values.only !== 'slow-service') await overhead();
if (values.only !== 'overhead') await slowService();
