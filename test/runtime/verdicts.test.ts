/**
 * Verdicts from measured synchronous stretches and a CPU profile the test writes itself: a block is a
 * stretch timed long (the profile only names its line), so samples alone never make one, a stretch is one
 * block however its samples fall, and a busy machine (the app's thread waiting to run) makes none.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { CATALOG } from '../../core/catalog.js';
import type { ChildMeasurements, CpuProfile, RequestRecord, SlowCall, Stretch } from '../../runtime/protocol.js';
import { RouteMatcher, routesOf } from '../../runtime/routes.js';
import type { ProbedFinding } from '../../runtime/report.js';
import { judge } from '../../runtime/verdicts.js';
import { finding, fixture, lineOf, route, staticReport } from './helpers.js';

const server = fixture('probe-http', 'server.mjs');
const url = pathToFileURL(server).href;
/** The handler's line that calls busyWait. */
const handlerLine = lineOf(server, 'spin-call');
const loopLine = lineOf(server, 'cpu-loop');

const ROOT_NODE = 1;
const HANDLER = 2;
const BUSY_WAIT = 3;
const IDLE = 4;

/**
 * Requests in order, 100 ms apart: each with `samples` samples 1 ms apart with `leaf` on top of the stack,
 * and the synchronous stretches the app timed for it (`stretchMs`, from the request's start; none if 0),
 * with the run-queue wait in them, and optionally a `later` one 60 ms after its start.
 */
type Traffic = Array<{ path: string; leaf: number; samples: number; stretchMs: number; runQueueMs?: number; later?: { ms: number; runQueueMs: number } }>;

function measurements(requests: Traffic): ChildMeasurements {
  const timesUs: number[] = [];
  const samples: number[] = [];
  const records: RequestRecord[] = [];
  const stretches: Stretch[] = [];
  const ticks = new Map<number, number>([
    [HANDLER, 0],
    [BUSY_WAIT, 0],
  ]);
  const sample = (nodeId: number, timeMs: number): void => {
    samples.push(nodeId);
    timesUs.push(timeMs * 1000);
  };
  requests.forEach((request, index) => {
    const startMs = index * 100;
    records.push({
      id: index + 1,
      method: 'GET',
      url: request.path,
      startMs,
      endMs: startMs + request.stretchMs,
      status: 200,
      busyMs: request.stretchMs,
      busyRunQueueMs: request.runQueueMs ?? 0,
    });
    if (request.stretchMs > 0) stretches.push({ requestId: index + 1, startMs, ms: request.stretchMs, runQueueMs: request.runQueueMs ?? 0 });
    // Another stretch of the same request, unsampled, after its first one (a body chunk read, a continuation).
    if (request.later) stretches.push({ requestId: index + 1, startMs: startMs + 60, ...request.later });
    sample(IDLE, startMs + 0.5);
    for (let ms = 1; ms <= request.samples; ms++) sample(request.leaf, startMs + ms);
    sample(IDLE, startMs + Math.max(request.samples, request.stretchMs) + 1.5);
    ticks.set(request.leaf, ticks.get(request.leaf)! + request.samples);
  });
  const frame = (functionName: string, lineNumber: number) => ({ functionName, scriptId: '1', url, lineNumber, columnNumber: 0 });
  const profile: CpuProfile = {
    nodes: [
      { id: ROOT_NODE, callFrame: { ...frame('(root)', -1), url: '' }, children: [HANDLER, IDLE] },
      // Call frames only tell the functions apart; lines come from the ticks.
      { id: HANDLER, callFrame: frame('', 0), children: [BUSY_WAIT], positionTicks: [{ line: handlerLine, ticks: ticks.get(HANDLER)! }] },
      { id: BUSY_WAIT, callFrame: frame('busyWait', 1), positionTicks: [{ line: loopLine, ticks: ticks.get(BUSY_WAIT)! }] },
      { id: IDLE, callFrame: { ...frame('(idle)', -1), url: '' } },
    ],
    startTime: 0,
    endTime: requests.length * 100 * 1000,
    samples,
    timeDeltas: timesUs.map((timeUs, index) => timeUs - (timesUs[index - 1] ?? 0)),
  };
  return {
    pid: 1,
    requests: records,
    stretches,
    slowCalls: [],
    callTotals: {},
    loop: { delayMaxMs: 25, delaySamplesOverThreshold: 1, utilization: 0.5, activeMs: 200 },
    profile,
    clockOffsetUs: 0,
    coverage: [],
  };
}

function judged(requests: Traffic, slowCalls: SlowCall[] = []): ProbedFinding[] {
  const report = staticReport([], [route('GET', '/spin', server), route('GET', '/work', server)]);
  const matcher = new RouteMatcher(routesOf(report.handlers), report.handlers);
  return judge({
    report,
    measurements: { ...measurements(requests), slowCalls },
    cwd: fixture('probe-http'),
    thresholdMs: 10,
    catalog: CATALOG,
    matcher,
    ownDir: '/nonexistent/blockcheck-runtime',
  });
}

function runtimeFindings(requests: Traffic): Array<{ line: number; call: string; requests: number; p50: number }> {
  return judged(requests)
    .filter((finding) => finding.source === 'runtime')
    .map((finding) => ({
      line: finding.line,
      call: finding.call,
      requests: finding.runtime.requestsAffected,
      p50: finding.runtime.blockedMsPerRequest!.p50,
    }));
}

describe('judge: CPU blocks are measured stretches, named by the profile', () => {
  it('reports each stretch past the threshold at the hottest line of the function most sampled in it', () => {
    const found = runtimeFindings([
      { path: '/spin', leaf: BUSY_WAIT, samples: 25, stretchMs: 25 },
      { path: '/work', leaf: HANDLER, samples: 25, stretchMs: 25 },
    ]);
    assert.deepEqual(
      found.sort((a, b) => a.line - b.line),
      [
        { line: loopLine, call: 'busyWait()', requests: 1, p50: 25 },
        { line: handlerLine, call: '(anonymous)()', requests: 1, p50: 25 },
      ].sort((a, b) => a.line - b.line),
    );
  });

  it('samples with no long stretch make no block: sample gaps on an async route are not a finding', () => {
    assert.deepEqual(runtimeFindings([{ path: '/work', leaf: HANDLER, samples: 25, stretchMs: 0 }]), []);
  });

  it('charges the whole stretch, however few samples landed in it', () => {
    assert.deepEqual(runtimeFindings([{ path: '/spin', leaf: BUSY_WAIT, samples: 3, stretchMs: 100 }]), [
      { line: loopLine, call: 'busyWait()', requests: 1, p50: 100 },
    ]);
  });

  it('a stretch the profiler never sampled is still a block of its route', () => {
    const [found] = judged([{ path: '/spin', leaf: BUSY_WAIT, samples: 0, stretchMs: 40 }]).filter((entry) => entry.source === 'runtime');
    assert.deepEqual(found!.runtime.routes, [{ route: 'GET /spin', requests: 1 }]);
    assert.equal(found!.runtime.blockedMsPerRequest!.p50, 40);
  });

  it('takes run-queue wait out of a stretch: a handler the busy machine kept from running is no block', () => {
    const found = runtimeFindings([
      { path: '/spin', leaf: BUSY_WAIT, samples: 25, stretchMs: 25, runQueueMs: 5 },
      { path: '/work', leaf: HANDLER, samples: 16, stretchMs: 16, runQueueMs: 15 },
    ]);
    assert.deepEqual(
      found.map(({ line, call }) => ({ line, call })),
      [{ line: loopLine, call: 'busyWait()' }],
    );
    const [spin] = judged([{ path: '/spin', leaf: BUSY_WAIT, samples: 25, stretchMs: 25, runQueueMs: 5 }]).filter((entry) => entry.source === 'runtime');
    assert.equal(spin!.runtime.cpuWallRatio, 1, 'JavaScript is CPU once the wait is out');
  });

  it("a request's stretch held past the threshold only by run-queue wait does not add to its blocked time", () => {
    // Unsampled, as a large body's parse in a dependency is: both stretches go to the route's block.
    const found = judged([{ path: '/spin', leaf: BUSY_WAIT, samples: 0, stretchMs: 40, later: { ms: 12, runQueueMs: 11 } }]).filter(
      (entry) => entry.source === 'runtime',
    );
    assert.deepEqual(
      found.map((entry) => entry.runtime.blockedMsPerRequest!.p50),
      [40],
    );
  });

  it("a timed catalog call inside a stretch is the call's block, not CPU of the stretch", () => {
    const call: SlowCall = {
      apiId: 'fs-sync',
      name: 'readFileSync',
      startMs: 1,
      ms: 35,
      cpuMs: 1,
      runQueueMs: 0,
      requestId: 1,
      stack: [{ url, line: lineOf(server, 'fast-read'), column: 20, functionName: '' }],
    };
    const found = judged([{ path: '/work', leaf: HANDLER, samples: 2, stretchMs: 40 }], [call]).filter((entry) => entry.source === 'runtime');
    assert.deepEqual(
      found.map((entry) => entry.call),
      ['readFileSync'],
    );
  });
});

describe('judge: timed calls', () => {
  const readLine = lineOf(server, 'fast-read');
  /** One timed readFileSync of the fast-read line per entry, in request `index + 1`, with its wall and run-queue time. */
  function judgedCalls(calls: Array<{ ms: number; runQueueMs: number }>): ProbedFinding[] {
    const report = staticReport([finding(server, 'fast-read', { call: 'fs.readFileSync', category: 'fs' })], [route('GET', '/config', server)]);
    const matcher = new RouteMatcher(routesOf(report.handlers), report.handlers);
    const base = measurements(calls.map(() => ({ path: '/config', leaf: HANDLER, samples: 1, stretchMs: 0 })));
    const slowCalls = calls.map((call, index) => ({
      apiId: 'fs-sync',
      name: 'readFileSync',
      startMs: index * 100,
      ms: call.ms,
      cpuMs: 0.5,
      runQueueMs: call.runQueueMs,
      requestId: index + 1,
      stack: [{ url, line: readLine, column: 20, functionName: '' }],
    }));
    return judge({
      report,
      measurements: { ...base, profile: null, slowCalls },
      cwd: fixture('probe-http'),
      thresholdMs: 10,
      catalog: CATALOG,
      matcher,
      ownDir: '/nonexistent/blockcheck-runtime',
    });
  }

  it('a fast call the busy machine kept waiting for a core past the threshold is not-reproduced, not confirmed', () => {
    const [read, ...runtimeOnly] = judgedCalls([
      { ms: 14, runQueueMs: 13 },
      { ms: 12, runQueueMs: 11 },
    ]);
    assert.equal(read!.runtime.verdict, 'not-reproduced');
    assert.deepEqual(runtimeOnly, [], 'nor a finding of its own');
  });

  it('a call that held the loop past the threshold itself is confirmed, whatever else waited', () => {
    const [read] = judgedCalls([{ ms: 40, runQueueMs: 13 }]);
    assert.equal(read!.runtime.verdict, 'confirmed');
  });
});
