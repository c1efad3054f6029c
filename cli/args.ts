/**
 * Command-line parsing. Strict: an unknown flag, a missing value or a bad number is a `UsageError`, which
 * main prints as one line plus the usage and exits 2 with (as ESLint does).
 */
import { parseArgs } from 'node:util';

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
  /** Target requests per second for the recommendation's sizing (λ). */
  targetRps: number | undefined;
  /** undefined: colors when stdout is a TTY. */
  color: boolean | undefined;
  debug: boolean;
}

export interface InitArgs {
  command: 'init';
  /** Write eslint.config.js (or add to it) instead of printing the block. */
  write: boolean;
  debug: boolean;
}

export type ParsedArgs =
  | AuditArgs
  | InitArgs
  | { command: 'help'; topic: 'main' | 'audit' | 'init' }
  | { command: 'version' };

export class UsageError extends Error {
  constructor(
    message: string,
    readonly topic: 'main' | 'audit' | 'init' = 'main',
  ) {
    super(message);
  }
}

export const MAIN_USAGE = `Usage: blockcheck <command> [options]

Commands:
  audit [paths...]   Find code that blocks the event loop in handlers (default path: .)
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
      --no-eslint-config                 Ignore the blockcheck rule settings in the project's ESLint config
      --target-rps <n>                   Requests per second to size the deployment recommendation for
      --color, --no-color                Force colors on or off in the text report
      --debug                            Print stack traces for internal errors
  -h, --help                             Show this help

Exit codes: 0 no error-level findings, 1 error-level findings or too many warnings, 2 usage, config or
internal error.`;

export const INIT_USAGE = `Usage: blockcheck init [--write]

Prints the eslint.config.js block that enables blockcheck's recommended rules.
  --write   Write it to ./eslint.config.js when the project has no ESLint config yet`;

const AUDIT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  'output-file': { type: 'string', short: 'o' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  project: { type: 'string', short: 'p', multiple: true },
  'no-eslint-config': { type: 'boolean' },
  'target-rps': { type: 'string' },
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
  return {
    command: 'audit',
    paths: positionals.length > 0 ? positionals : ['.'],
    format: format as Format,
    outputFile: values['output-file'],
    maxWarnings: parseNumber(values['max-warnings'], '--max-warnings', { integer: true, min: -1 }) ?? -1,
    quiet: values.quiet ?? false,
    useEslintConfig: !values['no-eslint-config'],
    projects: values.project ?? [],
    targetRps: parseNumber(values['target-rps'], '--target-rps', { integer: false, min: Number.MIN_VALUE }),
    color: values.color ? true : values['no-color'] ? false : undefined,
    debug: values.debug ?? false,
  };
}

function parseInit(argv: readonly string[]): ParsedArgs {
  const { values } = strictParse(argv, INIT_OPTIONS, 'init', false);
  if (values.help) return { command: 'help', topic: 'init' };
  return { command: 'init', write: values.write ?? false, debug: values.debug ?? false };
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

function strictParse<T extends OptionSpec>(
  argv: readonly string[],
  options: T,
  topic: 'main' | 'audit' | 'init',
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    // parseArgs' messages ("Unknown option '--foo'", "Option '--format <value>' argument missing") are
    // already one line; they only need lower-casing to read as ours.
    const message = error instanceof Error ? error.message.split('\n')[0]!.replace(/\. To specify.*$/, '') : String(error);
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1), topic);
  }
}

function parseNumber(
  raw: string | undefined,
  flag: string,
  { integer, min }: { integer: boolean; min: number },
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min) {
    const expected = integer ? `an integer >= ${min}` : 'a positive number';
    throw new UsageError(`invalid ${flag} '${raw}' (expected ${expected})`, 'audit');
  }
  return value;
}
