/**
 * The probe on a node:http ESM app started as a command: one finding per verdict, a CPU block the static
 * pass missed, attribution to the right line and route, and no process left behind.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ProbeError, probe } from '../../runtime/index.js';
import type { ProbedFinding, ProbedReport } from '../../runtime/index.js';
import { assertNoChildLeft, finding, fixture, lineOf, route, staticReport } from './helpers.js';

const server = fixture('probe-http', 'server.mjs');

describe('probe: node:http app started with --start', () => {
  // One probe for the suite, awaited by each test: if it fails, every test shows why (a failing hook is
  // reported after its cancelled tests, where a summary may cut it off).
  let probing: Promise<ProbedReport>;
  let probed: ProbedReport;
  const byMarker = (marker: string): ProbedFinding => probed.findings.find((candidate) => candidate.id === `test-${marker}`)!;

  before(() => {
    const report = staticReport(
      [
        finding(server, 'wait', { call: 'child_process.execFileSync', category: 'child-process', kind: 'wait' }),
        finding(server, 'fast-read', { call: 'fs.readFileSync', category: 'fs' }),
        finding(server, 'debug-read', {
          call: 'fs.readFileSync',
          category: 'fs',
          handlers: [{ label: 'GET /config', kind: 'route', file: server, line: 15, chain: [] }],
        }),
      ],
      ['/wait', '/config', '/spin', '/async'].map((path) => route('GET', path, server)),
    );
    // The app picks a free port itself (PORT=0) and the probe takes the one it announces: a port chosen
    // here could be taken by another test's process before the app listens on it.
    probing = probe(report, {
      target: { kind: 'command', command: 'PORT=0 node server.mjs' },
      cwd: fixture('probe-http'),
      load: { requests: 30, concurrency: 3, durationSec: 10, warmupRequests: 2 },
    }).catch((error: unknown) => {
      throw error instanceof ProbeError ? new Error(`${error.message}\napp output:\n${error.details}`) : error;
    });
    probing.catch(() => {});
  });
  beforeEach(async () => {
    probed = await probing;
  });
  after(assertNoChildLeft);

  it('confirms a blocking call that ran over the threshold, on its route, as waiting (low CPU/wall)', () => {
    const runtime = byMarker('wait').runtime;
    assert.equal(runtime.verdict, 'confirmed');
    assert.equal(runtime.measuredBy, 'timing-wrapper');
    assert.deepEqual(
      runtime.routes.map((entry) => entry.route),
      ['GET /wait'],
    );
    assert.ok(runtime.requestsAffected >= 30, `requests affected ${runtime.requestsAffected}`);
    assert.ok(runtime.blockedMsPerRequest!.p50 >= 10);
    assert.ok(runtime.cpuWallRatio! < 0.5, `sleep is waiting, not computing: ${runtime.cpuWallRatio}`);
  });

  it('says not-reproduced for a call that ran on every request but stayed fast', () => {
    const runtime = byMarker('fast-read').runtime;
    assert.equal(runtime.verdict, 'not-reproduced');
    assert.ok(runtime.executions >= 30, `executions ${runtime.executions}`);
    assert.equal(runtime.requestsAffected, 0);
  });

  it('says unreached for a line in a branch the traffic never took, and names the route to drive', () => {
    const runtime = byMarker('debug-read').runtime;
    assert.equal(runtime.verdict, 'unreached');
    assert.equal(runtime.executions, 0);
    assert.match(runtime.hint!, /GET \/config/);
  });

  it('adds a runtime-only finding at the busy loop line, attributed to GET /spin, CPU-bound', () => {
    const added = probed.findings.filter((candidate) => candidate.source === 'runtime');
    assert.equal(added.length, 1, JSON.stringify(added.map((candidate) => `${candidate.call}@${candidate.line}`)));
    const [spin] = added;
    assert.equal(spin!.file, relative(fixture('probe-http'), server));
    assert.equal(spin!.line, lineOf(server, 'cpu-loop'));
    assert.equal(spin!.runtime.measuredBy, 'cpu-profile');
    assert.deepEqual(
      spin!.runtime.routes.map((entry) => entry.route),
      ['GET /spin'],
    );
    assert.ok(spin!.runtime.requestsAffected >= 15, `requests affected ${spin!.runtime.requestsAffected}`);
  });

  it('reports load per route: the blocking routes serve fewer req/s than the async one', () => {
    const reqPerSec = Object.fromEntries(probed.probe.routes.map((load) => [load.route, load.reqPerSec]));
    assert.equal(
      probed.probe.routes.every((load) => load.requests === 30 && load.errors === 0),
      true,
    );
    assert.ok(reqPerSec['GET /async']! > 2 * reqPerSec['GET /wait']!, JSON.stringify(reqPerSec));
    assert.ok(probed.probe.loop.delayMaxMs >= 10);
  });

  it('recommends from the measurements: the waiting route is to fix first', () => {
    assert.equal(probed.recommendation.workerClass, 'fix-first');
    const wait = probed.probe.predictions.find((prediction) => prediction.route === 'GET /wait')!;
    assert.ok(wait.singleLoopCeiling! > 0 && wait.singleLoopCeiling! < 100, `ceiling ${wait.singleLoopCeiling}`);
  });
});

describe('probe: --requests-file', () => {
  after(assertNoChildLeft);

  it('sends the given requests instead of the report routes: the input that takes the branch reaches the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blockcheck-requests-'));
    const requestsFile = join(dir, 'requests.json');
    writeFileSync(requestsFile, JSON.stringify([{ method: 'GET', path: '/config?debug=1' }]));
    try {
      const probed = await probe(
        staticReport([finding(server, 'debug-read', { call: 'fs.readFileSync', category: 'fs' })], [route('GET', '/config', server)]),
        {
          target: { kind: 'command', command: 'PORT=0 node server.mjs' },
          cwd: fixture('probe-http'),
          requestsFile,
          load: { requests: 5, concurrency: 1, durationSec: 10, warmupRequests: 0 },
        },
      );
      assert.deepEqual(
        probed.probe.routes.map((load) => [load.route, load.path, load.requests]),
        [['GET /config', '/config?debug=1', 5]],
      );
      assert.notEqual(probed.findings[0]!.runtime.verdict, 'unreached');
      assert.ok(probed.findings[0]!.runtime.executions >= 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed requests file with a one-line error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blockcheck-requests-'));
    const requestsFile = join(dir, 'requests.json');
    writeFileSync(requestsFile, JSON.stringify([{ url: 'config' }]));
    try {
      await assert.rejects(
        probe(staticReport([], [route('GET', '/config', server)]), {
          target: { kind: 'command', command: 'PORT=0 node server.mjs' },
          cwd: fixture('probe-http'),
          requestsFile,
        }),
        (error: unknown) => error instanceof ProbeError && error.code === 'bad-options' && /requests-file/.test(error.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
