/**
 * `npm run bench`: the probe's own overhead (req/s of a cheap async route with and without our
 * instrumentation, interleaved in one run) and the slow-service table (the published measurement's
 * shape: blocking vs async at concurrency 5, 10, 20, then the recommended cluster).
 *
 *   node dist/bench/probe.js [--delay 500] [--rounds 2]
 */
import { recommend } from '../engine/recommend.js';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { measureUnder, probe, recommendFromMeasurements } from '../runtime/index.js';
import type { RouteLoad, StaticReport } from '../runtime/index.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const { values } = parseArgs({ options: { delay: { type: 'string', default: '500' }, rounds: { type: 'string', default: '2' } } });
const delayMs = Number(values.delay);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function overhead(): Promise<void> {
  const modulePath = resolve(ROOT, 'fixtures/probe-fastify/app.mjs');
  const ping = { label: 'GET /ping', method: 'GET', pattern: '/ping', path: '/ping' };
  const load = { requests: 3000, concurrency: 10, durationSec: 20, warmupRequests: 300 };
  const report: StaticReport = {
    schemaVersion: 1, tool: { name: 'blockcheck', version: 'bench' }, root: ROOT, findings: [], recommendation: recommend({ findings: [], availableParallelism: 1 }), errors: [], stats: { files: 1, durationMs: 0 },
    handlers: [{ label: ping.label, kind: 'fastify-route', file: modulePath, line: 1, method: 'GET', path: '/ping' }],
  };
  const bare: number[] = [];
  const probed: number[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    log(`overhead round ${round + 1}: bare`);
    const [plain] = await measureUnder({ target: { kind: 'module', modulePath, exportName: 'app' }, cwd: ROOT, routes: [ping], load });
    bare.push(plain!.reqPerSec);
    log(`overhead round ${round + 1}: probed`);
    const result = await probe(report, { target: { kind: 'module', modulePath, exportName: 'app' }, cwd: ROOT, load });
    probed.push(result.probe.routes[0]!.reqPerSec);
  }
  const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  console.log('## Probe overhead (fastify GET /ping, concurrency 10, 3000 requests per run)\n');
  console.log('| run | req/s bare | req/s probed |');
  console.log('|---|---|---|');
  bare.forEach((value, index) => console.log(`| ${index + 1} | ${value} | ${probed[index]} |`));
  console.log(`\nprobed / bare: ${(mean(probed) / mean(bare)).toFixed(2)} (instrumentation: timing wrappers, request attribution, precise coverage, CPU profiler, loop monitor)\n`);
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
      target: { kind: 'module', modulePath, exportName: 'default' }, cwd: ROOT, routes,
      load: { requests: 2 * concurrency, concurrency, durationSec: 120, warmupRequests: 1 },
    });
    rows.push({ concurrency, blocking: blocking!, async: async! });
  }
  console.log(`## slow-service (service answers after ${delayMs} ms; blocking client vs awaited fetch, one event loop)\n`);
  console.log('| concurrency | blocking req/s | blocking p95 ms | async req/s | async p95 ms |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.concurrency} | ${row.blocking.reqPerSec} | ${row.blocking.latencyMs.p95} | ${row.async.reqPerSec} | ${row.async.latencyMs.p95} |`);
  console.log('\npublished: blocking 1.96 req/s at 5, 10, 20 (p95 2.5 s, 5.1 s, 10.2 s); async 9.75, 19.06, 19.44 req/s at ≈0.52 s\n');

  const concurrency = 10;
  const blocking = rows.find((row) => row.concurrency === concurrency)!.blocking;
  const { recommendation, routes: predicted } = recommendFromMeasurements({
    routes: [{ route: 'GET /blocking', blockedMsPerRequest: 1000 / blocking.reqPerSec, cpuWallRatio: 0 }],
    findings: [{ kind: 'wait', category: 'blocking-client' }],
    thresholdMs: 10, concurrency, cores: availableParallelism(),
  });
  const processes = recommendation.processes!;
  log(`slow-service: cluster of ${processes}`);
  const [clustered] = await measureUnder({
    target: { kind: 'module', modulePath, exportName: 'default', workerClass: 'cluster', workers: processes }, cwd: ROOT, routes: [routes[0]!],
    load: { requests: 4 * concurrency, concurrency, durationSec: 120, warmupRequests: 2 * processes },
  });
  console.log(`## slow-service blocking route under the recommendation (${recommendation.workerClass}; fallback cluster of ${processes}) at concurrency ${concurrency}\n`);
  console.log('| | req/s | p95 ms |');
  console.log('|---|---|---|');
  console.log(`| one event loop | ${blocking.reqPerSec} | ${blocking.latencyMs.p95} |`);
  console.log(`| cluster of ${processes} (predicted ${predicted[0]!.predictedReqPerSec} req/s) | ${clustered!.reqPerSec} | ${clustered!.latencyMs.p95} |`);
}

await overhead();
await slowService();
