/**
 * Every process the runtime starts is the leader of its own process group and is registered here, so
 * the whole group (a shell, the app, its workers) is killed on success, failure, timeout, Ctrl-C and exit;
 * a guard process kills it too when this process dies without a chance to (SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * The guard: `cat` reads our end of a pipe until it closes, which the kernel does when this process exits
 * however it exits (even SIGKILL, when no clean-up of ours runs, or a signal to our whole process group),
 * and the shell then kills the app's group. It runs in a session of its own, so what kills us does not
 * reach it. The app cannot do this itself: a handler that never returns keeps its event loop from noticing.
 */
const GUARD_SCRIPT = 'cat >/dev/null; kill -KILL "-$1" 2>/dev/null';

const live = new Set<ChildProcess>();
/** Every process group leader ever started, for callers (and tests) that check nothing outlived us. */
const started: number[] = [];
let hooksInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Synchronous clean-ups (temp files) to run if we exit before their owner gets to them. */
const exitCleanups = new Set<() => void>();

function killAllNow(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
  for (const cleanup of exitCleanups) cleanup();
  exitCleanups.clear();
}

/** Runs `cleanup` on exit or Ctrl-C unless the returned function is called first (which runs it now). */
export function cleanupAtExit(cleanup: () => void): () => void {
  installHooks();
  exitCleanups.add(cleanup);
  return () => {
    if (exitCleanups.delete(cleanup)) cleanup();
  };
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllNow();
      // Exit with the conventional code for the signal, as if we had not handled it.
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** A detached group-guard for the group of `child`: it kills the group when its stdin (ours) closes. */
function startGuard(child: ChildProcess): ChildProcess | null {
  if (child.pid === undefined) return null;
  const guard = spawn('/bin/sh', ['-c', GUARD_SCRIPT, 'blockcheck-guard', String(child.pid)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  guard.on('error', () => {});
  // Neither the guard nor its pipe may keep this process alive.
  guard.unref();
  (guard.stdin as Socket | null)?.unref();
  if (guard.pid !== undefined) started.push(guard.pid);
  return guard;
}

/** Tracks a child spawned with `detached: true` (its own process group). */
export function track(child: ChildProcess): void {
  installHooks();
  live.add(child);
  if (child.pid !== undefined) started.push(child.pid);
  const guard = startGuard(child);
  child.once('exit', () => {
    // The leader exiting does not end the group: its workers may still run. Kill what is left.
    killGroup(child, 'SIGKILL');
    live.delete(child);
    guard?.stdin?.end();
  });
}

/** SIGTERM the group, then SIGKILL after `graceMs`; resolves once the leader has exited. */
export async function stop(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL');
    live.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  killGroup(child, 'SIGKILL');
  live.delete(child);
}

/** Pids (= process group ids) of every child started so far. */
export function startedProcessGroups(): readonly number[] {
  return started;
}
