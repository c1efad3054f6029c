/**
 * The probe across hosting styles: an Express CommonJS app started as a command on a given port, Fastify
 * and Koa ESM apps exported and hosted by our runtime, and a TypeScript app run from its build output with
 * findings reported (and matched) in its .ts source.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probe } from '../../runtime/index.js';
import { assertNoChildLeft, finding, fixture, lineOf, route, staticReport } from './helpers.js';

const LOAD = { requests: 20, concurrency: 2, durationSec: 10, warmupRequests: 2 };

describe('probe on framework fixtures', () => {
  after(assertNoChildLeft);

  it('Express (CommonJS, --start with --port): confirms pbkdf2Sync as CPU-bound on GET /report/:id; existsSync not reproduced', async () => {
    const app = fixture('probe-express', 'app.cjs');
    const probed = await probe(
      staticReport(
        [
          finding(app, 'pbkdf2', { call: 'crypto.pbkdf2Sync', category: 'crypto', kind: 'cpu' }),
          finding(app, 'exists', { call: 'fs.existsSync', category: 'fs' }),
        ],
        [route('GET', '/report/:id', app), route('GET', '/health', app)],
      ),
      { target: { kind: 'command', command: 'PORT=0 node server.cjs' }, cwd: fixture('probe-express'), load: LOAD },
    );
    const [pbkdf2, exists] = probed.findings;
    assert.equal(pbkdf2!.runtime.verdict, 'confirmed');
    assert.deepEqual(
      pbkdf2!.runtime.routes.map((entry) => entry.route),
      ['GET /report/:id'],
    );
    assert.ok(pbkdf2!.runtime.cpuWallRatio! > 0.7, `cpu/wall ${pbkdf2!.runtime.cpuWallRatio}`);
    assert.equal(exists!.runtime.verdict, 'not-reproduced');
    assert.equal(probed.probe.routes[0]!.path, '/report/1');
    assert.equal(probed.recommendation.workerClass, 'thread-pool');
    assert.ok(probed.recommendation.threads! >= 1);
  });

  it('Fastify (ESM, --module): attributes the blocking call to the parametric route', async () => {
    const app = fixture('probe-fastify', 'app.mjs');
    const probed = await probe(
      staticReport(
        [finding(app, 'sleep', { call: 'child_process.execFileSync', category: 'child-process', kind: 'wait' })],
        [route('GET', '/jobs/:id', app), route('GET', '/ping', app)],
      ),
      { target: { kind: 'module', modulePath: app, exportName: 'app' }, cwd: fixture('probe-fastify'), load: LOAD },
    );
    const runtime = probed.findings[0]!.runtime;
    assert.equal(runtime.verdict, 'confirmed');
    assert.deepEqual(runtime.routes, [{ route: 'GET /jobs/:id', requests: runtime.requestsAffected }]);
    assert.ok(runtime.requestsAffected >= LOAD.requests);
    assert.equal(probed.findings.length, 1, 'no runtime-only finding on an app without other blocks');
  });

  it('Koa (ESM, --module): confirms a JSON.parse loop from the CPU profile; a fast gunzipSync is not reproduced', async () => {
    const app = fixture('probe-koa', 'app.mjs');
    const probed = await probe(
      staticReport(
        [
          finding(app, 'json', { call: 'JSON.parse', category: 'json', kind: 'cpu', rule: 'blockcheck/no-cpu-loop' }),
          finding(app, 'gunzip', { call: 'zlib.gunzipSync', category: 'zlib', kind: 'cpu' }),
        ],
        [route('GET', '/parse', app), route('GET', '/unzip', app)],
      ),
      { target: { kind: 'module', modulePath: app, exportName: 'app' }, cwd: fixture('probe-koa'), load: LOAD },
    );
    const [json, gunzip] = probed.findings;
    assert.equal(json!.runtime.verdict, 'confirmed');
    assert.equal(json!.runtime.measuredBy, 'cpu-profile');
    assert.deepEqual(
      json!.runtime.routes.map((entry) => entry.route),
      ['GET /parse'],
    );
    assert.equal(gunzip!.runtime.verdict, 'not-reproduced');
    assert.equal(probed.findings.filter((candidate) => candidate.source === 'runtime').length, 0, 'the JSON block is the static finding, not a new one');
  });

  it('TypeScript (build output with source maps): matches the finding in src/app.ts', async () => {
    const source = fixture('probe-ts', 'src', 'app.ts');
    const probed = await probe(
      // As the CLI writes it: relative to the directory it ran in.
      staticReport(
        [{ ...finding(source, 'ts-sleep', { call: 'child_process.execFileSync', category: 'child-process', kind: 'wait' }), file: 'src/app.ts' }],
        [route('GET', '/orders/:id', 'src/app.ts')],
      ),
      // --module src/app.ts: run from its build output (tsconfig outDir), matched back through the source map.
      { target: { kind: 'module', modulePath: 'src/app.ts', exportName: 'handler' }, cwd: fixture('probe-ts'), load: LOAD },
    );
    const runtime = probed.findings[0]!.runtime;
    assert.equal(runtime.verdict, 'confirmed');
    assert.deepEqual(
      runtime.routes.map((entry) => entry.route),
      ['GET /orders/:id'],
    );
    assert.equal(probed.findings.length, 1);
  });
});

describe('probe on npm blocking clients', () => {
  after(assertNoChildLeft);

  it('times a catalog package the app requires (fast-glob.sync) and reports it at its call site', async () => {
    const app = fixture('probe-express', 'app.cjs');
    const probed = await probe(staticReport([], [route('GET', '/files', app)]), {
      target: { kind: 'command', command: 'PORT=0 node server.cjs' },
      cwd: fixture('probe-express'),
      // A threshold far under any real call, so every timed call counts as a block.
      thresholdMs: 0.001,
      load: { requests: 5, concurrency: 1, durationSec: 10, warmupRequests: 0 },
    });
    const glob = probed.findings.find((candidate) => candidate.call === 'fast-glob.sync');
    assert.ok(glob, `found: ${probed.findings.map((candidate) => candidate.call).join(', ')}`);
    assert.equal(glob.source, 'runtime');
    assert.equal(glob.line, lineOf(app, 'glob'));
    assert.equal(glob.rule, 'blockcheck/no-blocking-client');
    assert.deepEqual(glob.runtime.routes, [{ route: 'GET /files', requests: 5 }]);
  });
});
