/**
 * `blockcheck serve`: the reference runtime on its own. Hosts an app module under a worker class (or
 * runs a `--start` command as is, which is its own event loop), passes its output through, and stops the
 * whole process group on Ctrl-C. `--watch` is `node --import blockcheck/runtime/watch` for what it runs.
 */
import { ProbeError } from './errors.js';
import { launch, type WorkerClassName } from './launch.js';

export interface ServeOptions {
  target: { kind: 'module'; modulePath: string; exportName: string } | { kind: 'command'; command: string };
  workerClass: WorkerClassName;
  /** Processes (cluster) or threads (thread-pool); ignored for event-loop. */
  workers: number;
  /** Port on 127.0.0.1; default: a free one for a module, required for a command. */
  port?: number;
  cwd?: string;
  startTimeoutMs?: number;
  /** `--watch`: the low-overhead watch in every process of the app (its main thread), blocks reported on stderr. */
  watch?: boolean;
}

/** What `node --import blockcheck/runtime/watch` loads; through NODE_OPTIONS it reaches a --start command and cluster workers too. */
const WATCH_ENTRY_URL = new URL('./watch-entry.js', import.meta.url).href;

export interface ServeHandle {
  url: string;
  /** Resolves with the exit code once the served app stops: its own code, or 0 when stopped by a signal. */
  closed: Promise<number>;
  stop(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<ServeHandle> {
  if (options.target.kind === 'command' && options.workerClass !== 'event-loop') {
    throw new ProbeError(
      'bad-options',
      `--worker-class ${options.workerClass} needs the app as --module <file> --export <name>: a --start command runs as its own single event loop`,
    );
  }
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new ProbeError('bad-options', `--workers must be a positive integer (got ${options.workers})`);
  }
  const app = await launch({
    target: options.target.kind === 'module' ? { ...options.target, workerClass: options.workerClass, workers: options.workers } : options.target,
    cwd: options.cwd ?? process.cwd(),
    ...(options.port !== undefined ? { port: options.port } : {}),
    instrument: false,
    thresholdMs: 0,
    catalog: [],
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
    inheritOutput: true,
    ...(options.watch ? { env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${WATCH_ENTRY_URL}`.trim() } } : {}),
  });
  // Stopped by a signal (ours, on stop() or Ctrl-C) counts as a clean end; the app's own exit code otherwise.
  const closed = app.exitStatus.then(({ code }) => code ?? 0);
  return { url: `http://127.0.0.1:${app.port}`, closed, stop: () => app.stop() };
}
