/**
 * `npm run bench`: the probe's own overhead (CPU per request and req/s of a cheap async route with and
 * without our instrumentation, in bursts that take turns) and the slow-service table (the published
 * measurement's shape: blocking vs async at 5, 10, 20 closed-loop users, then the recommended cluster).
 *
 *   node dist/bench/probe.js [--rounds 5] [--bursts 60] [--requests 2000 (per burst)] [--idle-seconds 10]
 *     [--skip-probed] [--delay 500] [--requests-per-user 4] [--only overhead|slow-service] [--quick]
 */
import { staticReportFor } from './static-report.js';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { probe, recommendFromMeasurements, serve } from '../runtime/index.js';
import { closedLoop, type ClosedLoopResult } from './closed-loop.js';
import { launch, type LaunchedApp, type LaunchTarget } from '../runtime/launch.js';
import { loadAll } from '../runtime/measure.js';
import type { Route } from '../runtime/routes.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const { values } = parseArgs({
  options: {
    delay: { type: 'string', default: '500' },
    rounds: { type: 'string' },
    bursts: { type: 'string' },
    requests: { type: 'string', default: '2000' },
    'requests-per-user': { type: 'string', default: '4' },
    'skip-probed': { type: 'boolean' },
    'idle-seconds': { type: 'string' },
    only: { type: 'string' },
    // `npm run bench -- --quick`: one short round, enough to see the code run, not to measure 3 %.
    quick: { type: 'boolean' },
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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const median = (numbers: number[]): number => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const sum = (numbers: number[]): number => numbers.reduce((total, value) => total + value, 0);

/**
 * The apps of one round: the bare app, the watched one (its watchdog thread starts at the first block: /ping
 * never blocks), the watched one with its thread from the start (`BLOCKCHECK_WATCH_NAME_FIRST=1`), and a second
 * bare app, the control.
 */
const MODES = ['bare', 'watch', 'watch-thread', 'control'] as const;
type Mode = (typeof MODES)[number];

/** One app of a round, its figures summed over its bursts. */
interface RoundApp {
  app: LaunchedApp;
  /** CPU time of the app's process during its own bursts, ms (every thread: the watchdog's included). */
  cpuMs: number;
  requests: number;
  /** Wall time of its bursts, s. */
  loadSec: number;
  /** CPU time over `--idle-seconds` while no app of the round was loaded, ms. */
  idleCpuMs: number;
}
type Round = Record<Mode, RoundApp> & { probedReqPerSec?: number };

/**
 * One round: four fresh processes of the app (bare, watched twice, a second bare one), all alive at once, idle
 * together, then loaded in short bursts that take turns. A machine's pace drifts by tens of per cent over
 * seconds (another process, the CPU's clock): runs minutes apart, or even back to back, differ more than the
 * watch costs, while bursts that alternate every few hundred ms see the same machine. Two processes of the
 * same code still differ (where the code and the heap landed, what V8 optimized): the control shows by how much.
 */
async function runRound(
  target: LaunchTarget,
  route: Route,
  watchEnv: (mode: Mode) => Record<string, string> | undefined,
  settings: { bursts: number; burstRequests: number; warmupRequests: number; idleSeconds: number },
): Promise<Round> {
  const apps: Partial<Record<Mode, LaunchedApp>> = {};
  try {
    for (const mode of MODES) {
      apps[mode] = await launch({
        target,
        cwd: ROOT,
        instrument: false,
        thresholdMs: 0,
        catalog: [],
        startTimeoutMs: 30_000,
        env: watchEnv(mode),
      });
    }
    const round = Object.fromEntries(MODES.map((mode) => [mode, { app: apps[mode]!, cpuMs: 0, requests: 0, loadSec: 0, idleCpuMs: 0 }])) as Record<
      Mode,
      RoundApp
    >;
    await sleep(1000);
    const idleBefore = MODES.map((mode) => processCpuMs(round[mode].app.child.pid!));
    await sleep(settings.idleSeconds * 1000);
    MODES.forEach((mode, index) => (round[mode].idleCpuMs = processCpuMs(round[mode].app.child.pid!) - idleBefore[index]!));
    const burst = { requests: settings.burstRequests, concurrency: 10, durationSec: 20, warmupRequests: 0 };
    for (const mode of MODES) await loadAll(round[mode].app, [route], { ...burst, requests: settings.warmupRequests }, () => {});
    for (let index = 0; index < settings.bursts; index++) {
      // Each app goes first, second and last equally often.
      const order = MODES.map((_, position) => MODES[(position + index) % MODES.length]!);
      for (const mode of index % 2 === 0 ? order : order.reverse()) {
        const figures = round[mode];
        const cpuBefore = processCpuMs(figures.app.child.pid!);
        const [measured] = await loadAll(figures.app, [route], burst, () => {});
        figures.cpuMs += processCpuMs(figures.app.child.pid!) - cpuBefore;
        figures.requests += measured!.requests;
        figures.loadSec += measured!.requests / measured!.reqPerSec;
      }
    }
    return round;
  } finally {
    await Promise.all(Object.values(apps).map((app) => app.stop()));
  }
}

const cpuUsPerRequest = (figures: { cpuMs: number; requests: number }): number => (figures.cpuMs * 1000) / figures.requests;
const reqPerSec = (figures: { requests: number; loadSec: number }): number => figures.requests / figures.loadSec;
/** The rounds' figures of one mode added up: the pooled figure of the whole run. */
const pooled = (rounds: Round[], mode: Mode): { cpuMs: number; requests: number; loadSec: number } => ({
  cpuMs: sum(rounds.map((round) => round[mode].cpuMs)),
  requests: sum(rounds.map((round) => round[mode].requests)),
  loadSec: sum(rounds.map((round) => round[mode].loadSec)),
});

async function overhead(): Promise<void> {
  const modulePath = resolve(ROOT, 'fixtures/probe-fastify/app.mjs');
  const ping = { label: 'GET /ping', method: 'GET', pattern: '/ping', path: '/ping' };
  const settings = {
    bursts: Number(values.bursts ?? (values.quick ? 10 : 60)),
    burstRequests: Number(values.requests),
    warmupRequests: 3000,
    idleSeconds: Number(values['idle-seconds'] ?? (values.quick ? 3 : 10)),
  };
  const report = staticReportFor(ROOT, { label: ping.label, kind: 'fastify-route', file: modulePath, line: 1, method: 'GET', path: '/ping' });
  const target = { kind: 'module', modulePath, exportName: 'app' } as const;
  const watchImport = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(resolve(ROOT, 'dist/runtime/watch-entry.js')).href}`.trim() };
  const watchEnv = (mode: Mode): Record<string, string> | undefined =>
    mode === 'watch' ? watchImport : mode === 'watch-thread' ? { ...watchImport, BLOCKCHECK_WATCH_NAME_FIRST: '1' } : undefined;
  const rounds: Round[] = [];
  const roundCount = Number(values.rounds ?? (values.quick ? 1 : 5));
  for (let index = 0; index < roundCount; index++) {
    log(
      `overhead round ${index + 1} of ${roundCount}: bare, low-overhead watch (thread at the first block, and from the start) and control, ${settings.bursts} bursts of ${settings.burstRequests} requests each`,
    );
    const round: Round = await runRound(target, ping, watchEnv, settings);
    if (!values['skip-probed']) {
      log(`overhead round ${index + 1} of ${roundCount}: probed`);
      const load = { requests: settings.burstRequests * 5, concurrency: 10, durationSec: 20, warmupRequests: settings.warmupRequests };
      round.probedReqPerSec = (await probe(report, { target, cwd: ROOT, load })).probe.routes[0]!.reqPerSec;
    }
    rounds.push(round);
  }

  const ratio = (mode: Mode, figure: (figures: { cpuMs: number; requests: number; loadSec: number }) => number, inverse = false): string => {
    const perRound = rounds.map((round) => (inverse ? figure(round.bare) / figure(round[mode]) : figure(round[mode]) / figure(round.bare)));
    const all = inverse ? figure(pooled(rounds, 'bare')) / figure(pooled(rounds, mode)) : figure(pooled(rounds, mode)) / figure(pooled(rounds, 'bare'));
    return `**${all.toFixed(3)}** over all rounds; by round, median ${median(perRound).toFixed(3)} (${Math.min(...perRound).toFixed(3)}–${Math.max(...perRound).toFixed(3)})`;
  };
  console.log(
    `## Probe overhead (fastify GET /ping, concurrency 10; per round four fresh processes, ${settings.bursts} bursts of ${settings.burstRequests} requests each, taking turns)\n`,
  );
  const idleSeconds = settings.idleSeconds;
  console.log(
    `| round | app CPU µs/request bare | watch | watch, thread from the start | control | req/s bare | watch | watch, thread | control | probed (full) | idle CPU ms in ${idleSeconds} s bare | watch | watch, thread |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  rounds.forEach((round, index) => {
    console.log(
      `| ${index + 1} | ${MODES.map((mode) => cpuUsPerRequest(round[mode]).toFixed(1)).join(' | ')} | ${MODES.map((mode) => reqPerSec(round[mode]).toFixed(0)).join(' | ')} | ${round.probedReqPerSec ?? '–'} | ${(['bare', 'watch', 'watch-thread'] as const).map((mode) => round[mode].idleCpuMs.toFixed(1)).join(' | ')} |`,
    );
  });
  console.log(`\nwatch / bare app CPU per request (every thread of the app's process): ${ratio('watch', cpuUsPerRequest)}`);
  console.log(`watch with its thread from the start / bare: ${ratio('watch-thread', cpuUsPerRequest)}`);
  console.log(`control / bare, the same measurement between two bare processes (its resolution): ${ratio('control', cpuUsPerRequest)}`);
  console.log(
    `bare / watch req/s: ${ratio('watch', reqPerSec, true)}; bare / watch, thread from the start: ${ratio('watch-thread', reqPerSec, true)}; bare / control: ${ratio('control', reqPerSec, true)}`,
  );
  console.log(
    `idle CPU ms in ${idleSeconds} s, median of the rounds: bare ${median(rounds.map((round) => round.bare.idleCpuMs)).toFixed(1)}, watch ${median(rounds.map((round) => round.watch.idleCpuMs)).toFixed(1)}, watch with its thread from the start ${median(rounds.map((round) => round['watch-thread'].idleCpuMs)).toFixed(1)}`,
  );
  const probedRatios = rounds.flatMap((round) => (round.probedReqPerSec ? [reqPerSec(round.bare) / round.probedReqPerSec] : []));
  if (probedRatios.length > 0) {
    console.log(
      `bare / probed req/s, median of the rounds: ${median(probedRatios).toFixed(2)} (${Math.min(...probedRatios).toFixed(2)}–${Math.max(...probedRatios).toFixed(2)}) (timing wrappers, async_hooks stretches, request attribution, precise coverage, CPU profiler, loop monitor)\n`,
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
