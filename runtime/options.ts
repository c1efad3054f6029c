/**
 * The runtime's command-line flags: `audit --probe [--verify]` flags (for the CLI to merge into its own
 * parseArgs), and the whole `blockcheck serve` command line. Values are validated here, into one-line
 * ProbeErrors saying what to pass instead.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ProbeError } from './errors.js';
import type { WorkerClassName } from './launch.js';
import type { ProbeOptions } from './probe.js';
import type { ServeOptions } from './serve.js';

/** `parseArgs` option definitions of the probe's flags, to spread into the CLI's `audit` options. */
export const PROBE_FLAGS = {
  probe: { type: 'boolean' },
  start: { type: 'string' },
  module: { type: 'string' },
  export: { type: 'string' },
  port: { type: 'string' },
  threshold: { type: 'string' },
  requests: { type: 'string' },
  concurrency: { type: 'string' },
  duration: { type: 'string' },
  'requests-file': { type: 'string' },
  methods: { type: 'string' },
  timeout: { type: 'string' },
  'start-timeout': { type: 'string' },
  verify: { type: 'boolean' },
  'target-rps': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export type ProbeFlagValues = { [K in keyof typeof PROBE_FLAGS]?: (typeof PROBE_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

function positiveNumber(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0 || (integer && !Number.isInteger(parsed))) {
    throw new ProbeError('bad-options', `--${flag} must be a positive ${integer ? 'integer' : 'number'} (got "${value}")`);
  }
  return parsed;
}

function port(value: string | undefined): number | undefined {
  const parsed = positiveNumber('port', value, true);
  if (parsed !== undefined && parsed > 65535) throw new ProbeError('bad-options', `--port must be between 1 and 65535 (got "${value}")`);
  return parsed;
}

/** `--methods GET,POST`: HTTP method names, upper-cased. */
function methods(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim().toUpperCase())
    .filter((name) => name !== '');
  if (names.length === 0 || names.some((name) => !/^[A-Z]+$/.test(name))) {
    throw new ProbeError('bad-options', `--methods must list HTTP methods separated by commas, e.g. --methods GET,POST (got "${value}")`);
  }
  return names;
}

function target(
  values: { start?: string | undefined; module?: string | undefined; export?: string | undefined },
  moduleFallback?: string,
): ProbeOptions['target'] {
  const modulePath = values.module ?? moduleFallback;
  if (values.start && modulePath) throw new ProbeError('bad-options', 'pass either --start "<command>" or --module <file>, not both');
  if (values.start) return { kind: 'command', command: values.start };
  if (modulePath) return { kind: 'module', modulePath, exportName: values.export ?? 'default' };
  throw new ProbeError(
    'bad-options',
    'say how to run the app: --start "node dist/server.js" (with --port if it is not the first port it opens) or --module src/app.ts --export app',
  );
}

/** ProbeOptions from the parsed `audit` flags (`progress` is the CLI's to set). */
export function probeOptionsFromFlags(values: ProbeFlagValues, cwd = process.cwd()): ProbeOptions {
  const options: ProbeOptions = { target: target(values), cwd };
  const portNumber = port(values.port);
  if (portNumber !== undefined) options.port = portNumber;
  const threshold = positiveNumber('threshold', values.threshold, false);
  if (threshold !== undefined) options.thresholdMs = threshold;
  const load: NonNullable<ProbeOptions['load']> = {};
  const requests = positiveNumber('requests', values.requests, true);
  if (requests !== undefined) load.requests = requests;
  const concurrency = positiveNumber('concurrency', values.concurrency, true);
  if (concurrency !== undefined) load.concurrency = concurrency;
  const duration = positiveNumber('duration', values.duration, false);
  if (duration !== undefined) load.durationSec = duration;
  options.load = load;
  if (values['requests-file']) options.requestsFile = values['requests-file'];
  if (values.methods !== undefined) options.methods = methods(values.methods);
  const startTimeout = positiveNumber('start-timeout', values['start-timeout'], false);
  if (startTimeout !== undefined) options.startTimeoutMs = startTimeout * 1000;
  const timeout = positiveNumber('timeout', values.timeout, false);
  if (timeout !== undefined) options.timeoutMs = timeout * 1000;
  if (values.verify) options.verify = true;
  const targetRps = positiveNumber('target-rps', values['target-rps'], false);
  if (targetRps !== undefined) options.targetReqPerSec = targetRps;
  return options;
}

const WORKER_CLASSES: readonly WorkerClassName[] = ['event-loop', 'cluster', 'thread-pool'];

/** The `blockcheck serve [<module>] [--module m] [--export e | --start cmd] [--worker-class c] [--workers|--threads n] [--port p] [--watch]` command line. */
export function parseServeArgs(argv: string[], cwd = process.cwd()): ServeOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        module: { type: 'string' },
        export: { type: 'string' },
        start: { type: 'string' },
        'worker-class': { type: 'string', default: 'event-loop' },
        workers: { type: 'string' },
        threads: { type: 'string' },
        port: { type: 'string' },
        'start-timeout': { type: 'string' },
        watch: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new ProbeError('bad-options', `${(error as Error).message.split('\n')[0]}: see blockcheck serve --help`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new ProbeError('bad-options', `serve takes one app module, got ${positionals.length}: ${positionals.join(' ')}`);
  const workerClass = values['worker-class'] as WorkerClassName;
  if (!WORKER_CLASSES.includes(workerClass)) {
    throw new ProbeError('bad-options', `--worker-class must be one of ${WORKER_CLASSES.join(', ')} (got "${values['worker-class']}")`);
  }
  if (values.workers && values.threads) throw new ProbeError('bad-options', 'pass --workers or --threads, not both');
  const count = positiveNumber(values.threads ? 'threads' : 'workers', values.threads ?? values.workers, true) ?? 1;
  const options: ServeOptions = { target: target(values, positionals[0]), workerClass, workers: count, cwd };
  const portNumber = port(values.port);
  if (portNumber !== undefined) options.port = portNumber;
  const startTimeout = positiveNumber('start-timeout', values['start-timeout'], false);
  if (startTimeout !== undefined) options.startTimeoutMs = startTimeout * 1000;
  if (values.watch) options.watch = true;
  return options;
}
