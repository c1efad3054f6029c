/**
 * Command-line parsing. Strict: an unknown flag, a missing value or a bad number is a `UsageError`, which
 * main prints as one line (with the --help that shows the usage) and exits 2 with, as ESLint does.
 */
import { parseArgs } from 'node:util';
import { PROBE_FLAGS, type ProbeFlagValues } from '../runtime/options.js';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface AuditArgs {
  command: 'audit';
  paths: string[];
  format: Format;
  outputFile: string | undefined;
  /** -1 means no limit, as in ESLint. */
  maxWarnings: number;
  /** Report errors only and show no progress. */
  quiet: boolean;
  useEslintConfig: boolean;
  /** Explicit tsconfig files; when empty the projects are discovered from the paths. */
  projects: string[];
  /** Globs of files and folders to leave out, relative to the current directory (ESLint's flag). */
  ignorePatterns: string[];
  /** Target requests per second for the recommendation's sizing (λ). */
  targetRps: number | undefined;
  /** Also list the calls handlers reach whose target cannot be known (information, not problems). */
  strict: boolean;
  /** undefined: colors when stdout is a TTY. */
  color: boolean | undefined;
  debug: boolean;
  /** The runtime probe's flags when `--probe` is given (the runtime validates them). */
  probe: ProbeFlagValues | undefined;
}

export interface InitArgs {
  command: 'init';
  /** Write eslint.config.js (or add to it) instead of printing the block. */
  write: boolean;
  debug: boolean;
}

export type ParsedArgs =
  AuditArgs | InitArgs | { command: 'serve'; argv: string[] } | { command: 'help'; topic: 'main' | 'audit' | 'init' | 'serve' } | { command: 'version' };

export class UsageError extends Error {
  constructor(
    message: string,
    readonly topic: 'main' | 'audit' | 'init' | 'serve' = 'main',
  ) {
    super(message);
  }
}

export const MAIN_USAGE = `Usage: blockcheck <command> [options]

Commands:
  audit [paths...]   Find code that blocks the event loop in handlers (default path: .)
  serve [module]     Host an app under a worker class (event-loop, cluster, thread-pool) to compare them
  init               Print (or --write) an eslint.config.js block that enables the blockcheck rules

Options:
  -h, --help         Show help (blockcheck audit --help for the audit options)
  -v, --version      Print the version`;

export const AUDIT_USAGE = `Usage: blockcheck audit [paths...] [options]

Audits the JavaScript and TypeScript files under the paths (default: the current directory), through the
projects' tsconfig files when they have them, with no configuration otherwise.

Options:
  -f, --format <text|json|sarif|github>  Report format (default: text)
  -o, --output-file <file>               Write the report to a file instead of stdout
      --max-warnings <n>                 Exit 1 when there are more than n warnings (default: -1, no limit)
      --quiet                            Report errors only; no progress bar
  -p, --project <tsconfig>               Use this tsconfig (repeatable) instead of discovering them
      --ignore-pattern <glob>            Leave out matching files and folders (repeatable; also skipped:
                                         .gitignore'd paths, the ESLint config's ignores, tsconfig outDir/exclude)
      --no-eslint-config                 Ignore the blockcheck rule settings in the project's ESLint config
      --target-rps <n>                   Requests per second to size the deployment recommendation for
      --strict                           Also list calls whose target cannot be known (a member picked by a
                                         computed key, require() of a computed name): info, not counted
      --color, --no-color                Force colors on or off in the text report
      --debug                            Print stack traces for internal errors
  -h, --help                             Show this help

Runtime probe (runs the app on 127.0.0.1 under bounded load and confirms each finding):
      --probe                            Fill each finding's runtime section (saved to .blockcheck/last-audit.json)
      --start "<command>"                How to start the app (with --port if it is not the first port it opens)
      --module <file> [--export <name>]  Or host an exported Express/Koa/Fastify app or node:http handler
      --port <n>                         The port to load
      --threshold <ms>                   Blocking that counts as confirmed (default 10)
      --requests <n>, --concurrency <n>, --duration <s>, --requests-file <json>
      --methods <list>                   Methods of the report's routes to send (default GET,HEAD,OPTIONS)
      --start-timeout <s>                How long the app may take to listen (default 15)
      --timeout <s>                      Stop the app and fail if the probe takes longer (default 300)
      --verify                           Rerun under the recommended worker class and compare (needs --module)

Exit codes: 0 no error-level findings, 1 error-level findings, unreadable files or too many warnings,
2 usage or internal error, a probe target that fails, or nothing could be audited.`;

export const SERVE_USAGE = `Usage: blockcheck serve [module] [--module <file>] [--export <name> | --start "<command>"]
                       [--worker-class event-loop|cluster|thread-pool] [--workers <n> | --threads <n>]
                       [--port <n>] [--start-timeout <s>] [--watch]

Hosts an app module (or a --start command, event-loop only) on 127.0.0.1 under a worker class, the Node
analogue of gunicorn's worker_class: one event loop, node:cluster processes, or a piscina thread pool.
Ctrl-C stops it and every process it started.
  --watch   Report event-loop blocks and their lines on stderr, at low cost (node --import blockcheck/runtime/watch
            in each process; BLOCKCHECK_WATCH_THRESHOLD_MS sets the threshold, default 10; the first block is
            named too with BLOCKCHECK_WATCH_NAME_FIRST=1)`;

export const INIT_USAGE = `Usage: blockcheck init [--write]

Prints the eslint.config.js block that enables blockcheck's recommended rules.
  --write   Write it to ./eslint.config.js when the project has no ESLint config yet`;

const AUDIT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  'output-file': { type: 'string', short: 'o' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  project: { type: 'string', short: 'p', multiple: true },
  'ignore-pattern': { type: 'string', multiple: true },
  'no-eslint-config': { type: 'boolean' },
  strict: { type: 'boolean' },
  ...PROBE_FLAGS,
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const INIT_OPTIONS = {
  write: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MAIN_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === 'audit') return parseAudit(rest);
  if (command === 'init') return parseInit(rest);
  if (command === 'serve') return rest.includes('--help') || rest.includes('-h') ? { command: 'help', topic: 'serve' } : { command: 'serve', argv: rest };
  if (command === undefined || command.startsWith('-')) {
    const { values, positionals } = strictParse(argv, MAIN_OPTIONS, 'main', false);
    if (values.version) return { command: 'version' };
    if (values.help) return { command: 'help', topic: 'main' };
    if (positionals.length === 0) throw new UsageError('missing command', 'main');
  }
  throw new UsageError(`unknown command '${command}'`, 'main');
}

function parseAudit(argv: readonly string[]): ParsedArgs {
  const { values, positionals } = strictParse(argv, AUDIT_OPTIONS, 'audit', true);
  if (values.help) return { command: 'help', topic: 'audit' };
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`invalid --format '${format}' (expected one of: ${FORMATS.join(', ')})`, 'audit');
  }
  if (values.color && values['no-color']) throw new UsageError('--color and --no-color conflict', 'audit');
  const probeFlags = Object.fromEntries(
    Object.keys(PROBE_FLAGS)
      .filter((flag) => flag !== 'target-rps' && values[flag as keyof typeof values] !== undefined)
      .map((flag) => [flag, values[flag as keyof typeof values]]),
  ) as ProbeFlagValues;
  if (!values.probe && Object.keys(probeFlags).length > 0) {
    throw new UsageError(`--${Object.keys(probeFlags)[0]} is a probe option: add --probe`, 'audit');
  }
  return {
    command: 'audit',
    paths: positionals.length > 0 ? positionals : ['.'],
    format: format as Format,
    outputFile: values['output-file'],
    maxWarnings: parseNumber(values['max-warnings'], '--max-warnings', { integer: true, min: -1 }) ?? -1,
    quiet: values.quiet ?? false,
    useEslintConfig: !values['no-eslint-config'],
    projects: values.project ?? [],
    ignorePatterns: values['ignore-pattern'] ?? [],
    targetRps: parseNumber(values['target-rps'], '--target-rps', { integer: false, min: Number.MIN_VALUE }),
    strict: values.strict ?? false,
    color: values.color ? true : values['no-color'] ? false : undefined,
    debug: values.debug ?? false,
    probe: values.probe ? { ...probeFlags, ...(values['target-rps'] !== undefined ? { 'target-rps': values['target-rps'] } : {}) } : undefined,
  };
}

function parseInit(argv: readonly string[]): ParsedArgs {
  const { values } = strictParse(argv, INIT_OPTIONS, 'init', false);
  if (values.help) return { command: 'help', topic: 'init' };
  return { command: 'init', write: values.write ?? false, debug: values.debug ?? false };
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

function strictParse<T extends OptionSpec>(argv: readonly string[], options: T, topic: 'main' | 'audit' | 'init', allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    // parseArgs' messages ("Unknown option '--foo'", "Option '--format <value>' argument missing") are
    // already one line; they only need lower-casing to read as ours.
    const message = error instanceof Error ? error.message.split('\n')[0]!.replace(/\. To specify.*$/, '') : String(error);
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1), topic);
  }
}

function parseNumber(raw: string | undefined, flag: string, { integer, min }: { integer: boolean; min: number }): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min) {
    const expected = integer ? `an integer >= ${min}` : 'a positive number';
    throw new UsageError(`invalid ${flag} '${raw}' (expected ${expected})`, 'audit');
  }
  return value;
}
