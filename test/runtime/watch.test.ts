/**
 * The low-overhead watch (`node --import blockcheck/runtime/watch`): a block is seen by the watchdog with its
 * length, and the next ones are named at the app's line by a short profile started only then. Waits on the
 * app's own output lines, never on a clock.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fixture, lineOf } from './helpers.js';

const app = fixture('probe-watch', 'app.mjs');
const WATCH = fileURLToPath(new URL('../../runtime/watch-entry.js', import.meta.url));

describe('watch: blocks in a running app, at low cost', () => {
  let child: ChildProcess;
  let port: number;
  const blockLines: string[] = [];
  const waiters: Array<() => void> = [];

  /** Resolves with the next block line the app writes. */
  const nextBlock = (): Promise<string> =>
    new Promise((resolve) => {
      const check = (): void => {
        const line = blockLines.shift();
        if (line) resolve(line);
        else waiters.push(check);
      };
      check();
    });
  /** The next block of the busy route: shorter ones are the app's own (first-request compilation, GC). */
  const nextLongBlock = async (): Promise<string> => {
    for (;;) {
      const line = await nextBlock();
      if (Number(/blocked ([\d.]+) ms/.exec(line)![1]) >= 54) return line;
    }
  };
  const get = async (path: string): Promise<void> => {
    await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
  };

  before(async () => {
    child = spawn(process.execPath, ['--import', WATCH, app], { cwd: fixture('probe-watch'), stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (!line.startsWith('blockcheck: event loop blocked')) return;
      blockLines.push(line);
      for (const waiter of waiters.splice(0)) waiter();
    });
    port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line)));
      child.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
    });
  });
  after(() => {
    child.kill();
  });

  it('a busy route blocks for its length, and later blocks are named at its line', async () => {
    // Warm the route: its first request also compiles it.
    await get('/async');
    await get('/busy?ms=1');
    await get('/busy?ms=60');
    const first = await nextLongBlock();
    const ms = Number(/blocked ([\d.]+) ms/.exec(first)![1]);
    assert.ok(ms <= 92, first);
    let named: string | undefined;
    // Blocks recur: the profile the first one started names the next ones.
    for (let attempt = 0; attempt < 10 && !named; attempt++) {
      await get('/busy?ms=60');
      const line = await nextLongBlock();
      if (!line.includes('named on the next block')) named = line;
    }
    assert.ok(named, 'a later block is named');
    assert.match(named, new RegExp(`app\\.mjs:${lineOf(app, 'watch-loop')} `));
  });
});
