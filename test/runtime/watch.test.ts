/**
 * The low-overhead watch (`node --import blockcheck/runtime/watch`): a block is seen by the watchdog with its
 * length, and the next ones are named at the app's line by a short profile started only then. Waits on the
 * app's own output lines, never on a clock.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
const startApp = (execArgv: string[]): { child: ChildProcess; port: Promise<number> } => {
  const child = spawn(process.execPath, [...execArgv, app], { cwd: fixture('probe-watch'), stdio: ['ignore', 'pipe', 'pipe'] });
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
  const busyLine = new RegExp(`app\\.mjs:${lineOf(app, 'watch-loop')} `);

  before(async () => {
    const started = startApp(['--import', WATCH]);
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
      await get('/busy?ms=60');
      const line = await nextLongBlock();
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
    await get('/busy?ms=60');
    for (;;) {
      const line = await nextBlock();
      assert.ok(blockMs(line) < 300, `the stop was taken for a block: ${line}`);
      if (busyLine.test(line) || blockMs(line) >= 45) break;
    }
  });

  it('runs one thread of its own in the app, not one per thread (the watchdog does not watch itself)', async () => {
    const bare = startApp([]);
    try {
      const barePort = await bare.port;
      await get('/ping', barePort);
      await get('/ping');
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
    const watch = watchEventLoop();
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

  it('names the first block at its line while it lasts, even a loop V8 compiled before any profile ran', async () => {
    const spin = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until); // the first block's line
    };
    // Warm the loop (V8 optimizes it on the stack) before the watch exists: no profiler has seen its code.
    for (let i = 0; i < 20; i++) spin(2);
    const blocks: WatchedBlock[] = [];
    let blockSeen: (() => void) | null = null;
    const watch = watchEventLoop({ thresholdMs: 10, closeWatchMs: 200, onBlock: (block) => (blocks.push(block), blockSeen?.()) });
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
