/**
 * `npm run bench`: the probe's own overhead (req/s of a cheap async route with and without our
 * instrumentation, interleaved in one run) and the slow-service table (the published measurement's
 * shape: blocking vs async at 5, 10, 20 closed-loop users, then the recommended cluster).
 *
 *   node dist/bench/probe.js [--delay 500] [--rounds 2] [--requests 3000] [--requests-per-user 4] [--idle-seconds 10]
 *     [--skip-probed] [--only overhead|slow-service]
 */
import { staticReportFor } from './static-report.js';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { probe, recommendFromMeasurements, serve } from '../runtime/index.js';
import { closedLoop, type ClosedLoopResult } from './closed-loop.js';
import { launch, type LaunchTarget } from '../runtime/launch.js';
import { loadAll } from '../runtime/measure.js';
import type { LoadSettings } from '../runtime/load.js';
import type { Route } from '../runtime/routes.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const { values } = parseArgs({
  options: {
    delay: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '2' },
    requests: { type: 'string', default: '3000' },
    'requests-per-user': { type: 'string', default: '4' },
    'skip-probed': { type: 'boolean' },
    'idle-seconds': { type: 'string', default: '10' },
    only: { type: 'string' },
  },
});
const delayMs = Number(values.delay);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** CPU time of every thread of a process so far, ms (Linux: /proc/<pid>/task/<tid>/schedstat, nanoseconds). */
function processCpuMs(pid: number): number {
  let totalNs = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      totalNs += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return totalNs / 1e6;
}

interface Run {
  reqPerSec: number;
  cpuUsPerRequest: number;
  /** The app's CPU time while it served nothing, ms per `--idle-seconds`, after a second to settle. */
  idleCpuMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One run of the app, bare or with `env`: its CPU time idle, then req/s of the route, and the app process's
 * CPU time per request over the measured requests (all its threads, the watch's own thread included). CPU per
 * request does not depend on how much of a core the machine leaves the app, which req/s does.
 */
async function runOnce(target: LaunchTarget, route: Route, load: LoadSettings, env?: Record<string, string>): Promise<Run> {
  const app = await launch({ target, cwd: ROOT, instrument: false, thresholdMs: 0, catalog: [], startTimeoutMs: 30_000, ...(env ? { env } : {}) });
  try {
    await sleep(1000);
    const idleBefore = processCpuMs(app.child.pid!);
    await sleep(Number(values['idle-seconds']) * 1000);
    const idleCpuMs = processCpuMs(app.child.pid!) - idleBefore;
    await loadAll(app, [route], { ...load, requests: load.warmupRequests, warmupRequests: 0 }, () => {});
    const cpuBefore = processCpuMs(app.child.pid!);
    const [measured] = await loadAll(app, [route], { ...load, warmupRequests: 0 }, () => {});
    const cpuMs = processCpuMs(app.child.pid!) - cpuBefore;
    return { reqPerSec: measured!.reqPerSec, cpuUsPerRequest: (cpuMs * 1000) / Math.max(measured!.requests, 1), idleCpuMs };
  } finally {
    await app.stop();
  }
}

const median = (numbers: number[]): number => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

async function overhead(): Promise<void> {
  const modulePath = resolve(ROOT, 'fixtures/probe-fastify/app.mjs');
  const ping = { label: 'GET /ping', method: 'GET', pattern: '/ping', path: '/ping' };
  const load = { requests: Number(values.requests), concurrency: 10, durationSec: 20, warmupRequests: 300 };
  const report = staticReportFor(ROOT, { label: ping.label, kind: 'fastify-route', file: modulePath, line: 1, method: 'GET', path: '/ping' });
  const target = { kind: 'module', modulePath, exportName: 'app' } as const;
  const watchEnv = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(resolve(ROOT, 'dist/runtime/watch-entry.js')).href}`.trim() };
  const bare: Run[] = [];
  const watched: Run[] = [];
  const probed: number[] = [];
  // Interleaved, the order inside a round alternating, so the machine's load drifts over every mode alike.
  for (let round = 0; round < Number(values.rounds); round++) {
    log(`overhead round ${round + 1}: bare and low-overhead watch`);
    if (round % 2 === 0) {
      bare.push(await runOnce(target, ping, load));
      watched.push(await runOnce(target, ping, load, watchEnv));
    } else {
      watched.push(await runOnce(target, ping, load, watchEnv));
      bare.push(await runOnce(target, ping, load));
    }
    if (values['skip-probed']) continue;
    log(`overhead round ${round + 1}: probed`);
    probed.push((await probe(report, { target, cwd: ROOT, load })).probe.routes[0]!.reqPerSec);
  }
  // Per round, bare over each mode (the runs of a round are minutes apart at most); the median round.
  const ratios = (mode: number[], base: number[]): number[] => base.map((value, index) => value / mode[index]!);
  const summary = (values: number[], digits: number): string =>
    `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
  const bareRps = bare.map((run) => run.reqPerSec);
  const watchedRps = watched.map((run) => run.reqPerSec);
  const cpuRatios = ratios(
    bare.map((run) => run.cpuUsPerRequest),
    watched.map((run) => run.cpuUsPerRequest),
  );
  console.log(`## Probe overhead (fastify GET /ping, concurrency 10, ${load.requests} requests per run)\n`);
  const idleSeconds = values['idle-seconds'];
  console.log(
    `| run | req/s bare | req/s low-overhead watch | req/s probed (full) | app CPU µs/request bare | app CPU µs/request watch | idle CPU ms in ${idleSeconds} s bare | idle CPU ms in ${idleSeconds} s watch |`,
  );
  console.log('|---|---|---|---|---|---|---|---|');
  bare.forEach((run, index) => {
    const watch = watched[index]!;
    console.log(
      `| ${index + 1} | ${run.reqPerSec} | ${watch.reqPerSec} | ${probed[index] ?? '–'} | ${run.cpuUsPerRequest.toFixed(1)} | ${watch.cpuUsPerRequest.toFixed(1)} | ${run.idleCpuMs.toFixed(1)} | ${watch.idleCpuMs.toFixed(1)} |`,
    );
  });
  console.log(
    `\nbare / watch req/s, median of the rounds: ${summary(ratios(watchedRps, bareRps), 3)} (loop delay and utilization, a watchdog thread reading the loop-delay histogram)`,
  );
  console.log(`watch / bare app CPU per request, median of the rounds: ${summary(cpuRatios, 3)} (every thread of the app's process)`);
  console.log(
    `idle CPU ms in ${idleSeconds} s, median of the rounds: bare ${median(bare.map((run) => run.idleCpuMs)).toFixed(1)}, watch ${median(watched.map((run) => run.idleCpuMs)).toFixed(1)}`,
  );
  if (probed.length > 0) {
    console.log(
      `bare / probed req/s, median of the rounds: ${summary(ratios(probed, bareRps), 2)} (timing wrappers, async_hooks stretches, request attribution, precise coverage, CPU profiler, loop monitor)\n`,
    );
  }
}

/**
 * The published measurement's shape, driven as it was: closed-loop users, one request at a time, each on a new
 * connection. Kept-alive connections are shown beside it for the blocking route: on a blocked loop, a kept-alive
 * connection's next request is overtaken by requests of other connections (seen request by request), so p95
 * grows past N·S, which is not what the published test measured.
 */
async function slowService(): Promise<void> {
  process.env.SLOW_SERVICE_DELAY_MS = String(delayMs);
  const target = { kind: 'module', modulePath: resolve(ROOT, 'fixtures/slow-service'), exportName: 'default' } as const;
  const requestsPerUser = Number(values['requests-per-user']);
  const served = await serve({ target, workerClass: 'event-loop', workers: 1 });
  const rows: Array<{ concurrency: number; blocking: ClosedLoopResult; keptAlive: ClosedLoopResult; async: ClosedLoopResult }> = [];
  try {
    for (const concurrency of [5, 10, 20]) {
      log(`slow-service: ${concurrency} users`);
      rows.push({
        concurrency,
        blocking: await closedLoop(`${served.url}/blocking`, concurrency, requestsPerUser, false),
        keptAlive: await closedLoop(`${served.url}/blocking`, concurrency, requestsPerUser, true),
        async: await closedLoop(`${served.url}/async`, concurrency, requestsPerUser, false),
      });
    }
  } finally {
    await served.stop();
  }
  console.log(
    `## slow-service (service answers after ${delayMs} ms; blocking client vs awaited fetch, one event loop; ${requestsPerUser} measured requests per user)\n`,
  );
  console.log('| users | blocking req/s | blocking p95 ms | blocking, kept-alive connections: p95 ms | async req/s | async p95 ms |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.concurrency} | ${row.blocking.reqPerSec} | ${row.blocking.p95Ms} | ${row.keptAlive.p95Ms}${row.keptAlive.errors > 0 ? ` (${row.keptAlive.errors} of ${row.keptAlive.errors + row.keptAlive.requests} reset)` : ''} | ${row.async.reqPerSec} | ${row.async.p95Ms} |`,
    );
  }
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
  const clusterServed = await serve({ target, workerClass: 'cluster', workers: processes });
  let clustered: ClosedLoopResult;
  try {
    // Every worker pays its first-request costs in unmeasured rounds, two requests each as --verify warms them
    // (node:cluster deals connections round-robin): after one, the first measured round still ran 10 % slower.
    await closedLoop(`${clusterServed.url}/blocking`, processes, 2, false);
    clustered = await closedLoop(`${clusterServed.url}/blocking`, concurrency, requestsPerUser, false);
  } finally {
    await clusterServed.stop();
  }
  console.log(
    `## slow-service blocking route under the recommendation (${recommendation.workerClass}; fallback cluster of ${processes}) at ${concurrency} users\n`,
  );
  console.log('| | req/s | p95 ms |');
  console.log('|---|---|---|');
  console.log(`| one event loop | ${blocking.reqPerSec} | ${blocking.p95Ms} |`);
  console.log(`| cluster of ${processes} (predicted ${predicted[0]!.predictedReqPerSec} req/s) | ${clustered.reqPerSec} | ${clustered.p95Ms} |`);
}

if (values.only !== 'slow-service') await overhead();
if (values.only !== 'overhead') await slowService();
