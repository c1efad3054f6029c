/**
 * Apps that will not be probed: each failure is a ProbeError with a one-line message saying what to do
 * and the tail of the app's output, within bounded time, and leaves no process behind (Ctrl-C included).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProbeError, probe } from '../../runtime/index.js';
import type { ProbeOptions } from '../../runtime/index.js';
import { assertNoChildLeft, fixture, route, staticReport, ROOT } from './helpers.js';

const failures = fixture('probe-failures');
const report = staticReport([], [route('GET', '/', 'app.mjs')]);
const LOAD = { requests: 10, concurrency: 2, durationSec: 5, warmupRequests: 0 };

async function probeError(options: Partial<ProbeOptions> & Pick<ProbeOptions, 'target'>): Promise<ProbeError> {
  try {
    // Starting node with the probe preloaded takes seconds on a loaded machine: the start limit is not under test here.
    await probe(report, { cwd: failures, load: LOAD, startTimeoutMs: 60_000, ...options });
  } catch (error) {
    assert.ok(error instanceof ProbeError, `expected a ProbeError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/, 'the message is one line');
    return error;
  }
  assert.fail('the probe should have failed');
}

describe('probe failures', () => {
  after(assertNoChildLeft);

  it('an app that never listens: times out with its output', async () => {
    // Long enough for the app to start and print on a loaded machine; it then never listens.
    const error = await probeError({ target: { kind: 'command', command: 'node never-listens.mjs' }, startTimeoutMs: 15_000 });
    assert.equal(error.code, 'never-listened');
    assert.match(error.message, /did not listen within 15000 ms/);
    assert.match(error.details, /warming caches forever/);
    await assertNoChildLeft();
  });

  it('an app that crashes at start: says so, with the error it printed', async () => {
    const error = await probeError({ target: { kind: 'command', command: 'node crash-at-start.mjs' } });
    assert.equal(error.code, 'app-exited');
    assert.match(error.message, /exited at start \(code 1\)/);
    assert.match(error.details, /DATABASE_URL is not set/);
  });

  it('a module that does not export the app: says which export to pass', async () => {
    const error = await probeError({ target: { kind: 'module', modulePath: 'crash-under-load.mjs', exportName: 'app' } });
    assert.equal(error.code, 'app-exited');
    assert.match(error.details, /no export named "app"/);
  });

  it('an app that crashes under load: names the route being loaded', async () => {
    const error = await probeError({ target: { kind: 'command', command: 'node crash-under-load.mjs' } });
    assert.equal(error.code, 'crashed-under-load');
    assert.match(error.message, /GET \//);
    assert.match(error.details, /cache corrupted after 3 requests/);
  });

  it('a --port already in use: refused before starting anything', async () => {
    const holder = net.createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const error = await probeError({ target: { kind: 'command', command: 'node crash-under-load.mjs' }, port });
      assert.equal(error.code, 'port-taken');
      assert.match(error.message, new RegExp(`port ${port} is already in use`));
      // The app's own EADDRINUSE (port from its environment) is recognised too.
      const fromApp = await probeError({ target: { kind: 'command', command: `PORT=${port} node crash-under-load.mjs` } });
      assert.equal(fromApp.code, 'port-taken');
    } finally {
      holder.close();
    }
  });

  it('an app that spawns a helper process: the helper is stopped with it', async () => {
    const probed = await probe(report, { target: { kind: 'command', command: 'PORT=0 node spawns-grandchild.mjs' }, cwd: failures, load: LOAD });
    assert.equal(probed.probe.routes[0]!.requests, LOAD.requests);
    await assertNoChildLeft();
  });

  const shapes = [
    { name: 'an app serving requests', dir: fixture('probe-http'), command: 'node server.mjs', path: '/async' },
    // Its event loop never runs again: only something outside the app can end it.
    { name: 'an app spinning in a handler', dir: fixture('probe-safety'), command: 'node spins.mjs', path: '/spin' },
  ];
  for (const shape of shapes) {
    for (const [signal, exitCode] of [
      ['SIGINT', 130],
      ['SIGKILL', null],
    ] as const) {
      it(`${signal} to the probe's process: ${shape.name} does not outlive it`, async () => {
        const flagDir = mkdtempSync(join(tmpdir(), 'blockcheck-spin-'));
        const flag = join(flagDir, 'spinning');
        // A separate process runs a long probe and prints the app's process group once the load starts.
        const script = `
          import { probe } from ${JSON.stringify(`${ROOT}/dist/runtime/index.js`)};
          import { startedProcessGroups } from ${JSON.stringify(`${ROOT}/dist/runtime/processes.js`)};
          await probe({ schemaVersion: 1, tool: { name: 'blockcheck', version: '0' }, root: '.', findings: [], recommendation: null, errors: [], stats: {},
            handlers: [{ label: 'GET ${shape.path}', kind: 'route', file: 'app.mjs', line: 1, method: 'GET', path: '${shape.path}' }] },
            { target: { kind: 'command', command: ${JSON.stringify(`PORT=0 SPIN_FLAG=${flag} ${shape.command}`)} }, cwd: ${JSON.stringify(shape.dir)},
              load: { requests: 100000, concurrency: 1, durationSec: 60, warmupRequests: 0 },
              progress: () => console.log('groups ' + startedProcessGroups().join(',')) });
        `;
        const runner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let output = '';
        const groups = await new Promise<number[]>((resolve) => {
          runner.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            const match = /groups (\d[\d,]*)\n/.exec(output);
            if (match) resolve(match[1]!.split(',').map(Number));
          });
        });
        // Under load: the spinning app has entered its handler; the other has served a few requests.
        if (shape.path === '/spin') while (!existsSync(flag)) await new Promise((resolve) => setTimeout(resolve, 50));
        else await new Promise((resolve) => setTimeout(resolve, 500));
        runner.kill(signal);
        const [code] = (await once(runner, 'exit')) as [number | null];
        rmSync(flagDir, { recursive: true, force: true });
        assert.equal(code, exitCode);
        assert.ok(groups.length > 0);
        const alive = (group: number): boolean => {
          try {
            process.kill(-group, 0);
            return true;
          } catch {
            return false;
          }
        };
        // SIGINT: killed at once (then reaped). SIGKILL: no cleanup ran; the group's guard kills it.
        for (let attempt = 0; attempt < 100 && groups.some(alive); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(groups.filter(alive), [], `process groups survived ${signal}`);
      });
    }
  }
});
