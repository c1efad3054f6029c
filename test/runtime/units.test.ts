/** The runtime's pure parts: source maps, routes, catalog targets, the recommendation math, flags. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CATALOG } from '../../core/catalog.js';
import { SourceMaps } from '../../runtime/source-map.js';
import { loadAppServer } from '../../runtime/host-app.js';
import { RouteMatcher, fillPath, routesOf } from '../../runtime/routes.js';
import { wrapTargets } from '../../runtime/child/catalog-targets.js';
import { ProbeError, parseServeArgs, probeOptionsFromFlags, recommendFromMeasurements } from '../../runtime/index.js';
import { TARGET_UTILISATION } from '../../engine/recommend.js';
import type { Report } from '../../engine/report.js';
import type { StaticReport } from '../../runtime/index.js';

// Compile-time: the report the CLI builds is what probe() takes (this file stops compiling otherwise).
const cliReportIsProbeInput: Report extends StaticReport ? true : false = true;
import { fixture, lineOf, route } from './helpers.js';

describe('report types', () => {
  it("accepts the CLI's report type as the probe's input", () => {
    assert.equal(cliReportIsProbeInput, true);
  });
});

describe('source maps', () => {
  const source = fixture('probe-ts', 'src', 'app.ts');
  const generated = fixture('probe-ts', 'dist', 'app.js');

  it('maps a TS line to generated positions and back', () => {
    const maps = new SourceMaps();
    const line = lineOf(source, 'ts-sleep');
    const positions = maps.generatedFor(generated, source, line);
    assert.ok(positions.length > 0);
    for (const position of positions) assert.equal(maps.toOriginal(`file://${generated}`, position.line, position.column)?.line, line);
  });

  it('reads an index (sectioned) source map, as bundlers write them', (context) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'blockcheck-index-map-'));
    context.after(() => rmSync(dir, { recursive: true, force: true }));
    const generated = path.join(dir, 'bundle.js');
    writeFileSync(generated, 'first();\nsecond();\n//# sourceMappingURL=bundle.js.map\n');
    // Line 1 comes from src/a.ts line 1, line 2 from src/b.ts line 5 (`AAIA`: original line +4).
    const section = (source: string, mappings: string) => ({ version: 3, sources: [source], names: [], mappings });
    writeFileSync(
      `${generated}.map`,
      JSON.stringify({
        version: 3,
        sections: [
          { offset: { line: 0, column: 0 }, map: section('src/a.ts', 'AAAA') },
          { offset: { line: 1, column: 0 }, map: section('src/b.ts', 'AAIA') },
        ],
      }),
    );
    const maps = new SourceMaps();
    const b = path.join(dir, 'src', 'b.ts');
    assert.deepEqual(maps.toOriginal(`file://${generated}`, 1, 1), { file: path.join(dir, 'src', 'a.ts'), line: 1, column: 1 });
    assert.deepEqual(maps.toOriginal(generated, 2, 4), { file: b, line: 5, column: 1 });
    assert.deepEqual(maps.generatedFor(generated, b, 5), [{ line: 2, column: 1 }]);
  });

  it('leaves files without a source map as they are', () => {
    const file = fixture('probe-http', 'server.mjs');
    assert.deepEqual(new SourceMaps().toOriginal(file, 12, 3), { file, line: 12, column: 3 });
  });
});

describe('TypeScript modules run from their build output', () => {
  it('finds the build output through the tsconfig as tsc reads it (comments, extends)', async (context) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'blockcheck-build-output-'));
    context.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, 'src'));
    mkdirSync(path.join(dir, 'build'));
    writeFileSync(path.join(dir, 'tsconfig.base.json'), '{ "compilerOptions": { "outDir": "build", "rootDir": "src" } }');
    // A commented-out outDir and an inherited one: only a JSON-with-comments reader following extends gets build/.
    writeFileSync(path.join(dir, 'tsconfig.json'), '{\n  // "outDir": "old-dist",\n  "extends": "./tsconfig.base.json",\n}\n');
    writeFileSync(path.join(dir, 'src', 'app.ts'), 'export function handler() {}\n');
    writeFileSync(path.join(dir, 'build', 'app.js'), 'export function handler(req, res) { res.end(); }\n');
    const server = await loadAppServer(path.join(dir, 'src', 'app.ts'), 'handler');
    assert.equal(server.listening, false);
  });
});

describe('routes', () => {
  it('fills path parameters with sample values', () => {
    assert.equal(fillPath('/report/:id'), '/report/1');
    assert.equal(fillPath('/users/:userId/posts/:slug'), '/users/1/posts/sample');
    assert.equal(fillPath('/files/*'), '/files/sample');
  });

  it('keeps only handlers with a method and path, once each; matches requests back to their route', () => {
    const handlers = [
      route('GET', '/report/:id', 'a.ts'),
      route('GET', '/report/:id', 'b.ts'),
      { label: 'ws message', kind: 'ws-listener' as const, file: 'c.ts', line: 1, method: null, path: null },
      route('ALL', '/any', 'd.ts'),
    ];
    const routes = routesOf(handlers);
    assert.deepEqual(
      routes.map((entry) => `${entry.method} ${entry.path}`),
      ['GET /report/1', 'GET /any'],
    );
    const matcher = new RouteMatcher(routes, handlers);
    assert.equal(matcher.labelFor('GET', '/report/42?x=1'), 'GET /report/:id');
    assert.equal(matcher.labelFor('POST', '/any'), 'ALL /any');
    assert.equal(matcher.labelFor('GET', '/report/42/extra'), 'GET /report/42/extra');
  });
});

describe('catalog targets', () => {
  const require = createRequire(import.meta.url);
  const entriesOf = (name: string) => CATALOG.filter((entry) => entry.declaration.from === 'package' && entry.declaration.package === name);

  it('expands *Sync over node:fs, specific entries first, and reaches class members', () => {
    const targets = wrapTargets(require('node:fs'), entriesOf('node:fs'));
    const byName = new Map(targets.map((target) => [target.name, target.entry.id]));
    assert.equal(byName.get('existsSync'), 'node:fs.existsSync');
    assert.equal(byName.get('readFileSync'), 'node:fs.*Sync');
    assert.equal(byName.has('readFile'), false);
    assert.ok(byName.has('Dir.readSync'));
    assert.equal(targets.length, new Set(targets.map((target) => target.name)).size);
  });

  it('treats a module that is itself the function as a `*` target', () => {
    const moduleExports = Object.assign(() => 'ok', { helper: () => 'ok' });
    const targets = wrapTargets(moduleExports, [{ ...CATALOG[0]!, declaration: { from: 'package', package: 'x', name: '*' } }]);
    assert.deepEqual(targets.map((target) => target.name).sort(), ['default', 'helper']);
  });
});

describe('recommendFromMeasurements', () => {
  const base = { thresholdMs: 10, concurrency: 10, cores: 2 };
  const waits = [{ kind: 'wait', category: 'blocking-client' }] as const;
  const computes = [{ kind: 'cpu', category: 'crypto' }] as const;

  it('event-loop when no route blocks over the threshold', () => {
    const { recommendation, routes } = recommendFromMeasurements({
      ...base,
      findings: computes,
      routes: [{ route: 'GET /a', blockedMsPerRequest: 2, cpuWallRatio: 1 }],
    });
    assert.equal(recommendation.workerClass, 'event-loop');
    assert.equal(routes[0]!.singleLoopCeiling, null);
  });

  it('waiting: fix first, else a cluster of ⌈λ·S/ρ⌉ processes; single-loop ceiling 1/S', () => {
    const { recommendation, routes } = recommendFromMeasurements({
      ...base,
      findings: waits,
      targetReqPerSec: 20,
      routes: [{ route: 'GET /slow', blockedMsPerRequest: 500, cpuWallRatio: 0.02 }],
    });
    assert.equal(recommendation.workerClass, 'fix-first');
    assert.equal(recommendation.processes, Math.ceil((20 * 0.5) / TARGET_UTILISATION));
    assert.equal(routes[0]!.singleLoopCeiling, 2);
    assert.equal(routes[0]!.predictedReqPerSec, 20);
  });

  it('without a target rate, sizes for `concurrency` requests in flight', () => {
    const { recommendation } = recommendFromMeasurements({
      ...base,
      findings: waits,
      routes: [{ route: 'GET /slow', blockedMsPerRequest: 500, cpuWallRatio: 0 }],
    });
    assert.equal(recommendation.processes, Math.ceil(10 / TARGET_UTILISATION));
  });

  it('CPU-bound (measured): a thread pool capped at the cores', () => {
    const { recommendation, routes } = recommendFromMeasurements({
      ...base,
      findings: computes,
      targetReqPerSec: 100,
      routes: [{ route: 'GET /hash', blockedMsPerRequest: 50, cpuWallRatio: 0.95 }],
    });
    assert.equal(recommendation.workerClass, 'thread-pool');
    assert.equal(recommendation.threads, 2);
    assert.equal(routes[0]!.predictedReqPerSec, 40);
  });

  it('a waiting route decides over a CPU-bound one', () => {
    const { recommendation } = recommendFromMeasurements({
      ...base,
      findings: [...computes, ...waits],
      routes: [
        { route: 'GET /hash', blockedMsPerRequest: 80, cpuWallRatio: 1 },
        { route: 'GET /wait', blockedMsPerRequest: 30, cpuWallRatio: 0.1 },
      ],
    });
    assert.equal(recommendation.workerClass, 'fix-first');
  });
});

describe('flags', () => {
  it('builds probe options from audit flags', () => {
    const options = probeOptionsFromFlags(
      { probe: true, start: 'node dist/server.js', port: '3000', requests: '50', concurrency: '5', threshold: '20', verify: true },
      '/app',
    );
    assert.deepEqual(options.target, { kind: 'command', command: 'node dist/server.js' });
    assert.equal(options.port, 3000);
    assert.deepEqual(options.load, { requests: 50, concurrency: 5 });
    assert.equal(options.thresholdMs, 20);
    assert.equal(options.verify, true);
  });

  it('refuses bad values with a one-line error', () => {
    for (const flags of [{ start: 'x', port: '70000' }, { start: 'x', requests: '-1' }, {}, { start: 'x', module: 'y' }]) {
      assert.throws(
        () => probeOptionsFromFlags(flags),
        (error: unknown) => error instanceof ProbeError && error.code === 'bad-options' && !error.message.includes('\n'),
      );
    }
  });

  it('parses blockcheck serve, with the module as a positional', () => {
    const options = parseServeArgs(['fixtures/slow-service', '--worker-class', 'cluster', '--workers', '10'], '/repo');
    assert.deepEqual(options.target, { kind: 'module', modulePath: 'fixtures/slow-service', exportName: 'default' });
    assert.equal(options.workerClass, 'cluster');
    assert.equal(options.workers, 10);
    assert.throws(() => parseServeArgs(['app.js', '--worker-class', 'gevent']), /--worker-class must be one of/);
    assert.throws(
      () => parseServeArgs(['app.js', '--wrokers', '2']),
      (error: unknown) => error instanceof ProbeError && /wrokers/.test(error.message),
    );
  });
});
