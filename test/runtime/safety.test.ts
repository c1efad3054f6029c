/**
 * The probe is safe to point at a real app: it sends only methods that read unless the user opts in, and
 * says which routes it skipped and why.
 */
import { after, beforeEach, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProbeError, probe } from '../../runtime/index.js';
import { probeOptionsFromFlags } from '../../runtime/options.js';
import { assertNoChildLeft, fixture, route, staticReport } from './helpers.js';

const safety = fixture('probe-safety');
const app = fixture('probe-safety', 'files-app.mjs');
const LOAD = { requests: 5, concurrency: 1, durationSec: 10, warmupRequests: 0 };
const routes = [route('GET', '/items', app), route('POST', '/items', app), route('DELETE', '/items/:id', app)];

describe('probe: methods that change data', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'blockcheck-probe-data-'));
    writeFileSync(join(dataDir, 'precious'), 'the user data');
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  after(assertNoChildLeft);

  const run = (methods?: string[]) =>
    probe(staticReport([], routes), {
      target: { kind: 'command', command: `PORT=0 DATA_DIR=${JSON.stringify(dataDir)} node files-app.mjs` },
      cwd: safety,
      load: LOAD,
      ...(methods ? { methods } : {}),
    });

  it('by default loads only GET/HEAD/OPTIONS routes and reports the others as skipped, with the flag that loads them', async () => {
    const probed = await run();
    assert.deepEqual(readdirSync(dataDir), ['precious'], 'nothing was created or deleted');
    assert.deepEqual(
      probed.probe.routes.map((load) => load.route),
      ['GET /items'],
    );
    assert.deepEqual(
      probed.probe.skipped.map((skipped) => skipped.route),
      ['POST /items', 'DELETE /items/:id'],
    );
    for (const skipped of probed.probe.skipped) assert.match(skipped.reason, /may change the app's data.*--methods GET,HEAD,OPTIONS,(POST|DELETE)/);
  });

  it('--methods loads the methods it names, and only those', async () => {
    const probed = await run(['GET', 'POST']);
    assert.deepEqual(
      probed.probe.routes.map((load) => load.route),
      ['GET /items', 'POST /items'],
    );
    assert.ok(readdirSync(dataDir).length > 1, 'POST ran');
    assert.ok(readdirSync(dataDir).includes('precious'), 'DELETE did not');
    assert.deepEqual(probed.probe.skipped, [
      { route: 'DELETE /items/:id', method: 'DELETE', path: '/items/:id', reason: 'DELETE is not in --methods GET,POST' },
    ]);
  });

  it('a report with only unsafe routes: a one-line error naming --methods, before the app starts', async () => {
    await assert.rejects(
      probe(staticReport([], routes.slice(1)), { target: { kind: 'command', command: 'node files-app.mjs' }, cwd: safety, load: LOAD }),
      (error: unknown) => error instanceof ProbeError && error.code === 'no-routes' && /--methods/.test(error.message) && !error.message.includes('\n'),
    );
  });

  it('--methods is parsed into upper-case names, and a malformed list is a one-line error', () => {
    assert.deepEqual(probeOptionsFromFlags({ start: 'node app.js', methods: 'get, Post' }).methods, ['GET', 'POST']);
    assert.throws(() => probeOptionsFromFlags({ start: 'node app.js', methods: 'GET;DROP' }), /--methods must list HTTP methods/);
  });
});

describe('probe: handlers that hold the loop', () => {
  const spins = fixture('probe-safety', 'spins.mjs');
  after(assertNoChildLeft);

  it('a handler that never returns: the probe stops the app at --timeout and names the route', async () => {
    await assert.rejects(
      probe(staticReport([], [route('GET', '/fast', spins), route('GET', '/spin', spins)]), {
        target: { kind: 'command', command: 'PORT=0 node spins.mjs' },
        cwd: safety,
        load: { requests: 5, concurrency: 1, durationSec: 1, warmupRequests: 0 },
        // Time enough to start the app and load /fast on a busy machine; /spin then never ends.
        timeoutMs: 20_000,
      }),
      (error: unknown) =>
        error instanceof ProbeError &&
        error.code === 'timeout' &&
        /waiting for GET \/spin/.test(error.message) &&
        /--timeout/.test(error.message) &&
        !error.message.includes('\n'),
    );
    await assertNoChildLeft();
  });

  it("requests in flight when a route's time cap ends are not charged to the next route", async () => {
    const probed = await probe(staticReport([], [route('GET', '/slow', spins), route('GET', '/fast', spins)]), {
      target: { kind: 'command', command: 'PORT=0 SLOW_MS=300 node spins.mjs' },
      cwd: safety,
      // The cap ends /slow with requests queued behind the one running.
      load: { requests: 1000, concurrency: 3, durationSec: 0.5, warmupRequests: 0 },
    });
    const slow = probed.probe.predictions.find((prediction) => prediction.route === 'GET /slow')!;
    const fast = probed.probe.routes.find((load) => load.route === 'GET /fast')!;
    // A left-over /slow request would hold the loop under /fast's first requests for a whole block (S).
    assert.ok(slow.blockedMsPerRequest > 0);
    assert.ok(fast.latencyMs.max < slow.blockedMsPerRequest, `GET /fast waited ${fast.latencyMs.max} ms, a /slow block is ${slow.blockedMsPerRequest} ms`);
  });
});
