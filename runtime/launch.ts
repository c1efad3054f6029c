/**
 * Starts the app in a child process (its own process group), with or without our instrumentation, and
 * waits until it listens on 127.0.0.1. Every failure (exit, crash, timeout, port taken) becomes a
 * ProbeError carrying the tail of the app's output, and leaves no process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogEntry } from '../core/types.js';
import { ProbeError } from './errors.js';
import { startControlServer, type ControlServer } from './control-server.js';
import { CONFIG_ENV, PORT_FD_ENV, type ChildConfig } from './protocol.js';
import { cleanupAtExit, stop, track } from './processes.js';

export type WorkerClassName = 'event-loop' | 'cluster' | 'thread-pool';

export type LaunchTarget =
  { kind: 'command'; command: string } | { kind: 'module'; modulePath: string; exportName: string; workerClass?: WorkerClassName; workers?: number };

export interface LaunchOptions {
  target: LaunchTarget;
  cwd: string;
  /** The port the app listens on; for a command without instrumentation it is required. */
  port?: number;
  /** Preload our instrumentation (probe) or run the app bare (baseline, --verify, serve). */
  instrument: boolean;
  thresholdMs: number;
  catalog: readonly CatalogEntry[];
  /** How long the app may take to listen. */
  startTimeoutMs: number;
  env?: Record<string, string>;
  /** Pass the app's stdout/stderr through (serve); otherwise only kept for error messages. */
  inheritOutput?: boolean;
}

export interface LaunchedApp {
  child: ChildProcess;
  port: number;
  /** The connection to the preload; null when not instrumented. */
  control: ControlServer | null;
  /** The last lines the app printed. */
  outputTail(): string;
  /** Rejects as soon as the app exits, for racing against load. */
  exited: Promise<never>;
  /** Resolves when the app exits, with its exit code or signal. */
  exitStatus: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const OUTPUT_TAIL_CHARS = 4000;
const PRELOAD_URL = new URL('./preload.js', import.meta.url).href;
const HOST_PATH = new URL('./host.js', import.meta.url);

export async function ensurePortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new ProbeError('port-taken', `port ${port} is already in use on 127.0.0.1: stop what is listening there or pass another --port`)
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

async function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function pollUntilListening(port: number, isAlive: () => boolean): Promise<void> {
  while (isAlive()) {
    if (await portAccepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The port our host writes on its fd 3 once it listens (it closes the pipe then). */
async function announcedPort(child: ChildProcess): Promise<number> {
  const pipe = child.stdio[3] as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of pipe) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const port = Number.parseInt(text, 10);
  // A host that closed the pipe without a port exited: the exit is reported by the race with `exited`.
  return Number.isInteger(port) && port > 0 ? port : new Promise<never>(() => {});
}

function describe(target: LaunchTarget): string {
  return target.kind === 'command' ? `"${target.command}"` : `${target.modulePath} (export ${target.exportName})`;
}

export async function launch(options: LaunchOptions): Promise<LaunchedApp> {
  const { target } = options;
  if (options.port !== undefined) await ensurePortFree(options.port);
  // Our host binds port 0 unless told a port, and announces the one it got; a command announces its own
  // through the preload (or is told --port). A port chosen here could be taken before the app binds it.
  const port = options.port ?? (target.kind === 'module' ? 0 : undefined);
  if (port === undefined && !options.instrument) {
    throw new ProbeError('bad-options', `cannot tell which port ${describe(target)} listens on: pass --port`);
  }

  let control: ControlServer | null = null;
  let removeConfig = (): void => {};
  const env: Record<string, string | undefined> = { ...process.env, HOST: '127.0.0.1', ...options.env };
  if (port !== undefined) env.PORT = String(port);
  if (target.kind === 'module') env[PORT_FD_ENV] = '3';
  if (options.instrument) {
    control = await startControlServer();
    const configDir = mkdtempSync(join(tmpdir(), 'blockcheck-probe-'));
    removeConfig = cleanupAtExit(() => rmSync(configDir, { recursive: true, force: true }));
    const config: ChildConfig = {
      controlPort: control.port,
      token: control.token,
      thresholdMs: options.thresholdMs,
      catalog: [...options.catalog],
      preloadPath: PRELOAD_URL,
      ...(port ? { port } : {}),
    };
    const configPath = join(configDir, 'config.json');
    writeFileSync(configPath, JSON.stringify(config));
    env[CONFIG_ENV] = configPath;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${PRELOAD_URL}`.trim();
  }

  const stdio = options.inheritOutput ? (['ignore', 'inherit', 'inherit'] as const) : (['ignore', 'pipe', 'pipe'] as const);
  const child =
    target.kind === 'command'
      ? spawn(target.command, { cwd: options.cwd, env, shell: true, detached: true, stdio: [...stdio] })
      : spawn(
          process.execPath,
          [
            HOST_PATH.pathname,
            '--module',
            target.modulePath,
            '--export',
            target.exportName,
            '--port',
            String(port),
            '--worker-class',
            target.workerClass ?? 'event-loop',
            '--workers',
            String(target.workers ?? 1),
          ],
          { cwd: options.cwd, env, detached: true, stdio: [...stdio, 'pipe'] },
        );
  track(child);

  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const outputTail = (): string => tail.trimEnd();

  const cleanup = (): void => {
    control?.close();
    removeConfig();
  };
  let exitDescription = '';
  const exitStatus = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitDescription = signal ? `signal ${signal}` : `code ${code}`;
      resolve({ code, signal });
    });
  });
  const exited = exitStatus.then((): never => {
    throw new ProbeError(
      'app-exited',
      `${describe(target)} exited (${exitDescription}) before the probe finished: fix the error below and rerun`,
      outputTail(),
    );
  });
  exited.catch(() => {});
  const stopApp = async (): Promise<void> => {
    await stop(child);
    cleanup();
  };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ProbeError(
            'never-listened',
            `${describe(target)} did not listen${port ? ` on 127.0.0.1:${port}` : ''} within ${options.startTimeoutMs} ms: check that it starts a server (and on which port), or raise --start-timeout`,
            outputTail(),
          ),
        ),
      options.startTimeoutMs,
    );
  });
  try {
    const ready = control
      ? control.hello.then((hello) => hello.port)
      : target.kind === 'module'
        ? announcedPort(child)
        : pollUntilListening(port!, () => child.exitCode === null && child.signalCode === null).then(() => port!);
    const listeningPort = await Promise.race([ready, exited, timeout]);
    return { child, port: listeningPort, control, outputTail, exited, exitStatus, stop: stopApp };
  } catch (error) {
    await stopApp();
    if (error instanceof ProbeError && error.code === 'app-exited') {
      if (/EADDRINUSE/.test(error.details)) {
        throw new ProbeError(
          'port-taken',
          `${describe(target)} could not listen: its port is already in use on 127.0.0.1; stop what is listening there or change the app's port`,
          error.details,
        );
      }
      throw new ProbeError('app-exited', `${describe(target)} exited at start (${exitDescription}): fix the error below and rerun`, error.details);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
