/**
 * `blockcheck serve`: the reference runtime hosting an app under each worker class. A blocking route
 * blocks one worker, not the others: under cluster/thread-pool, concurrent blocking requests overlap.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ProbeError, serve } from '../../runtime/index.js';
import { assertNoChildLeft, fixture, lineOf, ROOT } from './helpers.js';

const DELAY_MS = 200;

/** The body of a GET on a connection of its own, as separate clients send them. */
function getOnNewConnection(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.once('end', () => resolve(body));
      })
      .once('error', reject);
  });
}

/**
 * Wall time of `count` concurrent GETs, in units of the service delay. Each on a new connection: a pooled
 * keep-alive connection stays with the cluster worker it first reached, so reused ones may share a worker.
 */
async function concurrentDelays(url: string, count: number): Promise<number> {
  const started = performance.now();
  const bodies = await Promise.all(Array.from({ length: count }, () => getOnNewConnection(url)));
  assert.ok(bodies.every((body) => body.includes('answeredAfterMs')));
  return (performance.now() - started) / DELAY_MS;
}

describe('serve', () => {
  after(assertNoChildLeft);
  process.env.SLOW_SERVICE_DELAY_MS = String(DELAY_MS);

  for (const workerClass of ['cluster', 'thread-pool'] as const) {
    it(`${workerClass} --workers 4 serves four blocking requests side by side; event-loop queues them`, async () => {
      const pooled = await serve({ target: { kind: 'module', modulePath: fixture('slow-service'), exportName: 'default' }, workerClass, workers: 4 });
      const single = await serve({
        target: { kind: 'module', modulePath: fixture('slow-service'), exportName: 'default' },
        workerClass: 'event-loop',
        workers: 1,
      });
      try {
        // Warm every worker (first requests start the client threads), then measure.
        await concurrentDelays(`${pooled.url}/blocking`, 8);
        await concurrentDelays(`${single.url}/blocking`, 1);
        const pooledDelays = await concurrentDelays(`${pooled.url}/blocking`, 4);
        const singleDelays = await concurrentDelays(`${single.url}/blocking`, 4);
        assert.ok(singleDelays > 1.8 * pooledDelays, `event-loop ${singleDelays.toFixed(1)} delays, ${workerClass} ${pooledDelays.toFixed(1)}`);
      } finally {
        await Promise.all([pooled.stop(), single.stop()]);
      }
      assert.equal(await pooled.closed, 0, 'stopped by us: a clean end');
    });
  }

  it('cluster --workers 4 serves from its first connection on every worker: the port is announced once all listen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blockcheck-serve-'));
    const modulePath = join(dir, 'pid.mjs');
    // A worker that takes a while to load, as an app that connects to its database first does.
    writeFileSync(
      modulePath,
      'await new Promise((resolve) => setTimeout(resolve, 50 * Math.random()));\nexport default (req, res) => res.end(String(process.pid));\n',
    );
    const pooled = await serve({ target: { kind: 'module', modulePath, exportName: 'default' }, workerClass: 'cluster', workers: 4 });
    try {
      // The primary deals new connections round-robin among the workers that listen.
      const pids = new Set<string>();
      for (let i = 0; i < 4; i++) pids.add(await getOnNewConnection(pooled.url));
      assert.equal(pids.size, 4, `4 connections reached ${pids.size} worker(s)`);
    } finally {
      await pooled.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('thread-pool runs each request as a piscina task on an idle thread: requests after a blocking one are not held behind it', async () => {
    const pooled = await serve({
      target: { kind: 'module', modulePath: fixture('slow-service'), exportName: 'default' },
      workerClass: 'thread-pool',
      workers: 2,
    });
    try {
      const order: string[] = [];
      // Each request on a connection of its own, as separate clients send them.
      const get = async (path: string): Promise<void> => {
        await getOnNewConnection(`${pooled.url}${path}`);
        order.push(path);
      };
      const blocked = get('/blocking');
      // One thread stays blocked for the service delay; the other serves these, one after the other.
      for (const path of ['/fast-1', '/fast-2', '/fast-3']) await get(path);
      await blocked;
      assert.deepEqual(order, ['/fast-1', '/fast-2', '/fast-3', '/blocking']);
    } finally {
      await pooled.stop();
    }
  });

  it('--watch reports the blocks of what it serves, named at their line, on stderr', async () => {
    // Its blocks are the route's from its first connection on: no warm-up to wait for.
    const cli = spawn(process.execPath, [`${ROOT}/dist/cli/main.js`, 'serve', fixture('slow-service'), '--watch'], {
      env: { ...process.env, BLOCKCHECK_WATCH_WARMUP_MS: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const lines = createInterface({ input: cli.stderr });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        lines.on('line', (line) => {
          const served = /serving on (\S+)/.exec(line);
          if (served) resolve(served[1]!);
        });
        cli.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const state: { named?: string } = {};
      lines.on('line', (line) => {
        if (line.includes('event loop blocked') && line.includes(' at ')) state.named ??= line;
      });
      // The first block starts the watchdog, which names the next ones: the route's blocks recur.
      for (let request = 0; request < 10 && !state.named; request++) await (await fetch(`${url}/blocking`)).text();
      const line = state.named;
      assert.ok(line, 'a block named at its line');
      assert.match(
        line,
        new RegExp(
          `blocking-client\\.mjs:${lineOf(fixture('slow-service', 'blocking-client.mjs'), 'atomics-wait')} |app\\.mjs:${lineOf(fixture('slow-service', 'app.mjs'), 'blocking-call')} `,
        ),
      );
    } finally {
      cli.kill('SIGINT');
      await new Promise((resolve) => cli.once('exit', resolve));
    }
  });

  it('refuses a worker class for a --start command, which is its own event loop', async () => {
    await assert.rejects(
      serve({ target: { kind: 'command', command: 'node server.mjs' }, workerClass: 'cluster', workers: 2 }),
      (error: unknown) => error instanceof ProbeError && error.code === 'bad-options',
    );
  });
});
