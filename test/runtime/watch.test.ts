/**
 * The low-overhead watch (`node --import blockcheck/runtime/watch`): a block of the start-up is reported with
 * its length; the first block after it is too, and starts the watchdog thread, which names the next ones at the
 * app's line while they last (or every block, with `nameFirstBlock`). Waits on the app's own output lines and
 * the watch's reports; a clock only paces a retry (blocks recur), it never decides a result.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { watchEventLoop, type WatchedBlock } from '../../runtime/watch.js';
import { fixture, lineOf, ROOT } from './helpers.js';

const app = fixture('probe-watch', 'app.mjs');
const WATCH = fileURLToPath(new URL('../../runtime/watch-entry.js', import.meta.url));
/** The name Linux gives the thread of a running V8 CPU profile. */
const PROFILER_THREAD = 'v8:ProfEvntProc';

/** The threads of a process (Linux), by name. */
const threadsOf = (pid: number | 'self'): string[] =>
  readdirSync(`/proc/${pid}/task`).flatMap((task) => {
    try {
      return [readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim()];
    } catch {
      return []; // a thread that ended between the listing and the read
    }
  });

/** Starts the fixture app (with `execArgv` before it); resolves its port once it listens. */
const startApp = (execArgv: string[], env: Record<string, string> = {}): { child: ChildProcess; port: Promise<number> } => {
  const child = spawn(process.execPath, [...execArgv, app], {
    cwd: fixture('probe-watch'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(Number(line)));
    child.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
  });
  return { child, port };
};
const blockMs = (line: string): number => Number(/blocked ([\d.]+) ms/.exec(line)![1]);

// Every wait here is on the app's output; the timeout only turns a block the watch never reports into a failure
// rather than a run that never ends.
describe('watch: blocks in a running app, at low cost', { timeout: 120_000 }, () => {
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
  /**
   * The next block of the busy route's 60 ms: shorter ones are the app's own (first-request compilation, GC).
   * Its length is read to within the heartbeat's period and the watchdog's look, so 45 ms and up is the route's.
   */
  const nextLongBlock = async (): Promise<string> => {
    for (;;) {
      const line = await nextBlock();
      if (blockMs(line) >= 45) return line;
    }
  };
  const get = async (path: string, at = port): Promise<void> => {
    await (await fetch(`http://127.0.0.1:${at}${path}`)).text();
  };
  /**
   * Requests `path` until `reported` settles, again each second: on a loaded machine a block may be taken for
   * a stall of the machine and left out, and blocks recur, so a next one is reported.
   */
  const requestUntil = async <T>(path: string, reported: Promise<T>, at = port): Promise<T> => {
    const state = { settled: false };
    const result = reported.finally(() => (state.settled = true));
    for (let attempt = 0; attempt < 20 && !state.settled; attempt++) {
      await get(path, at);
      await Promise.race([result, new Promise((resolve) => setTimeout(resolve, 1000))]);
    }
    return result;
  };
  const busyLine = new RegExp(`app\\.mjs:${lineOf(app, 'watch-loop')} `);

  before(async () => {
    // Its blocks are the route's from its first connection on: no warm-up to wait for.
    const started = startApp(['--import', WATCH], { BLOCKCHECK_WATCH_WARMUP_MS: '0' });
    child = started.child;
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (!line.startsWith('blockcheck: event loop blocked')) return;
      blockLines.push(line);
      for (const waiter of waiters.splice(0)) waiter();
    });
    port = await started.port;
  });
  after(() => {
    child.kill();
  });

  it('a busy route blocks for its length, named at its line', async () => {
    // Warm the route: its first request also compiles it.
    await get('/async');
    await get('/busy?ms=1');
    let named: string | undefined;
    // Long blocks of the app's start (module loading, first requests) may come first: find the route's.
    for (let attempt = 0; attempt < 10 && !named; attempt++) {
      const line = await requestUntil('/busy?ms=60', nextLongBlock());
      if (busyLine.test(line)) named = line;
    }
    assert.ok(named, 'the busy route is named at its line');
    assert.ok(blockMs(named) <= 92, named);
  });

  it('a stall of the machine, the app not run at all, is not a block', async () => {
    // The app waits in its poll; stopped, it is not run, as on a machine busy with other processes.
    await get('/ping');
    process.kill(child.pid!, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 400));
    process.kill(child.pid!, 'SIGCONT');
    // A block of the app right after: it is reported, the stop before it is not.
    const blockAfterStop = async (): Promise<void> => {
      for (;;) {
        const line = await nextBlock();
        assert.ok(blockMs(line) < 300, `the stop was taken for a block: ${line}`);
        if (busyLine.test(line) || blockMs(line) >= 45) return;
      }
    };
    await requestUntil('/busy?ms=60', blockAfterStop());
  });

  it('a stall of the machine before the first block, no watchdog thread running yet, is not a block either', async () => {
    const fresh = startApp(['--import', WATCH]);
    const lines: string[] = [];
    let lineSeen: (() => void) | null = null;
    createInterface({ input: fresh.child.stderr! }).on('line', (line) => {
      if (line.startsWith('blockcheck: event loop blocked')) lines.push(line);
      lineSeen?.();
    });
    try {
      const freshPort = await fresh.port;
      await get('/ping', freshPort);
      process.kill(fresh.child.pid!, 'SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 400));
      process.kill(fresh.child.pid!, 'SIGCONT');
      const longBlock = async (): Promise<void> => {
        while (!lines.some((line) => blockMs(line) >= 45)) await new Promise<void>((resolve) => (lineSeen = resolve));
      };
      await requestUntil('/busy?ms=60', longBlock(), freshPort);
      assert.ok(
        lines.every((line) => blockMs(line) < 300),
        `the stop was taken for a block: ${lines.join('\n')}`,
      );
    } finally {
      fresh.child.kill();
    }
  });

  it('runs one thread of its own in the app once it blocked, not one per thread (the watchdog does not watch itself)', async () => {
    const bare = startApp([]);
    try {
      const barePort = await bare.port;
      await get('/ping', barePort);
      // A block, reported: the watchdog thread runs from the first one on.
      await requestUntil('/busy?ms=60', nextLongBlock());
      const ownThreads = (pid: number): number => threadsOf(pid).filter((name) => name !== PROFILER_THREAD).length;
      assert.equal(ownThreads(child.pid!), ownThreads(bare.child.pid!) + 1);
    } finally {
      bare.child.kill();
    }
  });

  it('leaves no profiler running while nothing blocks, and no thread once stopped', async () => {
    // The libuv thread pool starts on the first asynchronous file read: before the count, not during it.
    await readFile(app);
    const before = threadsOf('self');
    const watch = watchEventLoop({ nameFirstBlock: true });
    try {
      await watch.ready;
      await get('/ping');
      const watching = threadsOf('self');
      assert.ok(!watching.includes(PROFILER_THREAD), `a profiler runs: ${watching.join(', ')}`);
      assert.equal(watching.length, before.length + 1);
    } finally {
      await watch.stop();
    }
    assert.deepEqual(threadsOf('self').sort(), before.sort());
  });

  it('starts no thread for blocks of the start-up, nor until the first block after it, which starts the watchdog', async () => {
    await readFile(app);
    // A server of this process: its first accepted connection ends the start-up (at once: no warm-up here).
    const server = http.createServer((_, res) => res.end()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const before = threadsOf('self');
    const blocks: WatchedBlock[] = [];
    const watch = watchEventLoop({ thresholdMs: 10, closeWatchMs: 2000, warmupMs: 0, onBlock: (block) => blocks.push(block) });
    const spin = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until); // a later block's line
    };
    /**
     * Blocks the loop until a block is reported, and returns it with the length of its spin. On a loaded machine
     * a block may be taken for a stall of the machine: blocks recur, the next is reported.
     */
    const spinUntilReported = async (): Promise<{ block: WatchedBlock; spinMs: number }> => {
      const seen = blocks.length;
      const spins: Array<{ startMs: number; endMs: number }> = [];
      for (let attempt = 0; attempt < 10 && blocks.length === seen; attempt++) {
        const startMs = performance.now();
        spin(120);
        spins.push({ startMs, endMs: performance.now() });
        // Past the next stamp, when a block is reported; a later report matches its own spin below.
        await new Promise((resolve) => setTimeout(resolve, 600));
      }
      const block = blocks[seen];
      assert.ok(block, 'a block is reported');
      // Reported once it ended: its spin is the last one that ended before.
      const ofSpin = spins.findLast(({ endMs }) => block.endMs >= endMs)!;
      return { block, spinMs: ofSpin.endMs - ofSpin.startMs };
    };
    try {
      await watch.ready;
      // Quiet turns of the loop, past the histogram's first turn (a block before it has no turn to be late
      // from): nothing to start a thread for.
      for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setTimeout(resolve, 15));
      assert.deepEqual(threadsOf('self').sort(), before.sort());

      const { block: loading } = await spinUntilReported();
      assert.deepEqual({ startup: loading.startup, site: loading.site }, { startup: true, site: null });
      assert.deepEqual(threadsOf('self').sort(), before.sort(), 'a block of the start-up starts no thread');

      await get('/', (server.address() as AddressInfo).port);
      const { block: first, spinMs } = await spinUntilReported();
      assert.deepEqual(
        { startup: first.startup, beforeWatchdog: first.beforeWatchdog, site: first.site },
        { startup: false, beforeWatchdog: true, site: null },
      );
      assert.ok(first.ms >= spinMs / 2 && first.ms <= 2 * spinMs, JSON.stringify({ first, spinMs }));

      // The watchdog now runs and looks closely: a next block is named while it lasts.
      const file = resolve(ROOT, 'test', 'runtime', 'watch.test.ts');
      const line =
        readFileSync(file, 'utf8')
          .split('\n')
          .findIndex((text) => text.includes("// a later block's line")) + 1;
      const named = (): WatchedBlock | undefined => blocks.find((block) => block.site?.line === line);
      for (let attempt = 0; attempt < 10 && !named(); attempt++) await spinUntilReported();
      assert.deepEqual(named() && { file: named()!.site!.file, beforeWatchdog: named()!.beforeWatchdog }, { file, beforeWatchdog: false });
      assert.equal(threadsOf('self').length, before.length + 1);
    } finally {
      await watch.stop();
      server.closeAllConnections();
      server.close();
    }
  });

  it('names the first block at its line while it lasts, even a loop V8 compiled before any profile ran', async () => {
    const spin = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until); // the first block's line
    };
    // Warm the loop (V8 optimizes it on the stack) before the watch exists: no profiler has seen its code.
    for (let i = 0; i < 20; i++) spin(2);
    const blocks: WatchedBlock[] = [];
    let blockSeen: (() => void) | null = null;
    const watch = watchEventLoop({ thresholdMs: 10, closeWatchMs: 200, nameFirstBlock: true, onBlock: (block) => (blocks.push(block), blockSeen?.()) });
    try {
      await watch.ready;
      const startMs = performance.now();
      spin(150);
      const endMs = performance.now();
      const overlaps = (block: WatchedBlock): boolean => block.endMs >= endMs && block.endMs - block.ms <= endMs;
      while (!blocks.some(overlaps)) await new Promise<void>((resolve) => (blockSeen = resolve));
      const block = blocks.find(overlaps)!;
      assert.ok(block.endMs - block.ms < endMs && block.ms >= (endMs - startMs) / 2, JSON.stringify(block));
      // Named in the TypeScript source, through the build output's source map.
      const file = resolve(ROOT, 'test', 'runtime', 'watch.test.ts');
      const line =
        readFileSync(file, 'utf8')
          .split('\n')
          .findIndex((text) => text.includes("// the first block's line")) + 1;
      assert.deepEqual(block.site && { file: block.site.file, line: block.site.line }, { file, line });
    } finally {
      await watch.stop();
    }
  });
});
