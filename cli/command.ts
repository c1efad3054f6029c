/**
 * The `blockcheck` command, run on a folder and two output streams: the binary (main.ts) gives it its own,
 * tests give it a project and buffers. Exit codes follow ESLint: 0 clean, 1 error-level findings (or more warnings
 * than --max-warnings, or files and folders that could not be read or parsed: they are listed under `errors`
 * and everything else is still reported), 2 usage, configuration (a tsconfig or an ESLint config that cannot
 * be used: the report is still written, without it) or internal error, or nothing could be audited.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ProbeError } from '../runtime/errors.js';
import { AUDIT_USAGE, INIT_USAGE, MAIN_USAGE, parseCommandLine, SERVE_USAGE, UsageError, type AuditArgs, type Format } from './args.js';
import { formatGithub } from './formats/github.js';
import { formatJson } from './formats/json.js';
import { formatText } from './formats/text.js';
import { runInit } from './init.js';
import { TOOL_VERSION } from '../engine/package-info.js';
import { createProgress } from './progress.js';
import type { AuditOptions } from './audit.js';
import { describeTypeScript, useClassicTypeScript } from '../engine/typescript-runtime.js';
import { countBySeverity, type Report } from '../engine/report.js';

// TypeScript, ESLint, the analysis core and the runtime are loaded only by the commands that need them,
// so `--version`, `--help` and usage errors answer at once.
const loadAudit = () => import('./audit.js');
const loadEslintConfig = () => import('../engine/eslint-config.js');
const loadRuntime = () => import('../runtime/index.js');

const USAGES = { main: MAIN_USAGE, audit: AUDIT_USAGE, init: INIT_USAGE, serve: SERVE_USAGE };

/** Where the command writes: process.stdout and process.stderr, or a test's buffers. */
export interface CommandOutput {
  write(text: string): unknown;
  /** True on a terminal; undefined on a pipe or a file (process streams are typed boolean but leave it unset). */
  readonly isTTY?: boolean | undefined;
}

export interface CommandContext {
  /** The folder the command runs in: paths on the command line are relative to it. */
  cwd: string;
  stdout: CommandOutput;
  stderr: CommandOutput;
  /**
   * Compiler hosts whose parsed files outlive one audit (tests running many audits in one process parse the
   * lib files once). Default: each audit parses its own.
   */
  hostFor?: AuditOptions['hostFor'];
}

/** Where `audit --probe` keeps its report, for the language server's hovers. */
const LAST_AUDIT = path.join('.blockcheck', 'last-audit.json');

/** Runs one command line and returns its exit code; every error becomes a one-line message on stderr. */
export async function runCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  try {
    return await dispatch(argv, context);
  } catch (error) {
    reportError(error, argv, context.stderr);
    return 2;
  }
}

async function dispatch(argv: readonly string[], context: CommandContext): Promise<number> {
  const { cwd, stdout, stderr } = context;
  const args = parseCommandLine(argv);
  switch (args.command) {
    case 'version':
      stdout.write(`${TOOL_VERSION}\n`);
      return 0;
    case 'help':
      stdout.write(`${USAGES[args.topic]}\n`);
      return 0;
    case 'init': {
      const { output, note } = runInit(cwd, args.write);
      stdout.write(output);
      if (note) stderr.write(`blockcheck: ${note}\n`);
      return 0;
    }
    case 'audit':
      return audit(args, context);
    case 'serve': {
      useClassicTypeScript();
      const { serve, parseServeArgs } = await loadRuntime();
      const handle = await serve(parseServeArgs(args.argv));
      stderr.write(`blockcheck: serving on ${handle.url} (Ctrl-C to stop)\n`);
      return handle.closed;
    }
  }
}

async function audit(args: AuditArgs, { cwd, stdout, stderr, hostFor }: CommandContext): Promise<number> {
  // Before the analysis imports 'typescript': a project on TypeScript 7 is audited with blockcheck's own 6.
  const typescript = useClassicTypeScript();
  if (args.debug) stderr.write(`blockcheck: ${describeTypeScript(typescript)}\n`);
  const paths = args.paths.map((entry) => path.resolve(cwd, entry));
  for (const [index, entry] of paths.entries()) {
    if (!existsSync(entry)) throw new UsageError(`no such file or directory: ${args.paths[index]}`, 'audit');
  }
  for (const project of args.projects) {
    if (!existsSync(path.resolve(cwd, project))) throw new UsageError(`no such tsconfig: ${project}`, 'audit');
  }
  const { describeConfigError, loadRuleSettings, RECOMMENDED_SOURCE } = await loadEslintConfig();
  const { runAudit } = await loadAudit();
  const settings = args.useEslintConfig ? await loadRuleSettings(cwd) : RECOMMENDED_SOURCE;
  const {
    report: audited,
    configProblems,
    unaudited,
    hiddenWarnings,
    warnings: auditWarnings,
  } = await runAudit({
    cwd,
    paths,
    projects: args.projects,
    ignorePatterns: args.ignorePatterns,
    settings,
    errorsOnly: args.quiet,
    targetRps: args.targetRps,
    strict: args.strict,
    progress: createProgress(stderr, !args.quiet),
    ...(hostFor ? { hostFor } : {}),
  });
  for (const warning of [settings.warning, ...auditWarnings]) if (warning) stderr.write(`blockcheck: warning: ${warning}\n`);
  let report: Report = audited;
  if (args.probe) {
    const { probe, probeOptionsFromFlags } = await loadRuntime();
    const showProgress = !args.quiet && stderr.isTTY === true;
    report = await probe(audited, {
      ...probeOptionsFromFlags(args.probe, cwd),
      ...(showProgress ? { progress: (line: string) => stderr.write(`blockcheck: ${line}\n`) } : {}),
    });
    mkdirSync(path.join(cwd, path.dirname(LAST_AUDIT)), { recursive: true });
    writeFileSync(path.join(cwd, LAST_AUDIT), formatJson(report));
  }

  const color = args.color ?? (args.outputFile === undefined && stdout.isTTY === true && !process.env.NO_COLOR);
  // --quiet on a clean run prints nothing in text, as ESLint; the machine formats always write their document.
  const clean = report.findings.length === 0 && report.errors.length === 0;
  const output = args.quiet && clean && args.format === 'text' ? '' : await render(report, args.format, { cwd, color });
  if (args.outputFile !== undefined) {
    const target = path.resolve(cwd, args.outputFile);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, output);
  } else {
    stdout.write(output);
  }

  for (const problem of configProblems) {
    const where = `${path.relative(cwd, problem.file) || problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}`;
    stderr.write(`blockcheck: cannot use ${where}: ${problem.message} (its files were audited without it)\n`);
  }
  const { configError } = settings;
  if (configError) {
    const advice = 'fix it, or pass --no-eslint-config; the files were audited with the recommended rule settings';
    stderr.write(`blockcheck: ${describeConfigError(configError, cwd)} (${advice})\n`);
    if (args.debug && configError.stack) stderr.write(`${configError.stack}\n`);
  }
  if (report.stats.files === 0 || unaudited >= report.stats.files) {
    stderr.write('blockcheck: nothing could be audited (see the errors above); check the paths and that the files are JavaScript or TypeScript.\n');
    return 2;
  }
  // A configuration error is exit 2, as in ESLint, after the report of everything it did not stop.
  if (configProblems.length > 0 || configError) return 2;
  const { errors, warnings: shown } = countBySeverity(report);
  // --quiet hides warnings from the report, not from --max-warnings (ESLint counts them too).
  const warnings = shown + hiddenWarnings;
  if (errors > 0 || report.errors.length > 0) return 1;
  if (args.maxWarnings >= 0 && warnings > args.maxWarnings) {
    stderr.write(`blockcheck: too many warnings (${warnings}); the maximum allowed is ${args.maxWarnings}.\n`);
    return 1;
  }
  return 0;
}

async function render(report: Report, format: Format, { cwd, color }: { cwd: string; color: boolean }): Promise<string> {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return (await import('./formats/sarif.js')).formatSarif(report, { cwd });
    case 'github':
      return formatGithub(report);
    case 'text':
      return formatText(report, { color });
  }
}

function reportError(error: unknown, argv: readonly string[], stderr: CommandOutput): void {
  if (error instanceof UsageError) {
    // One line, as ESLint: the usage is one --help away and would bury the error.
    const help = error.topic === 'main' ? 'blockcheck --help' : `blockcheck ${error.topic} --help`;
    stderr.write(`blockcheck: ${error.message} (${help} shows the usage)\n`);
  } else if (error instanceof ProbeError && !argv.includes('--debug')) {
    // The probe's errors say what went wrong and what to do; the app's last output follows.
    stderr.write(`blockcheck: ${error.message}\n${error.details ? `${error.details.trimEnd()}\n` : ''}`);
  } else if (argv.includes('--debug')) {
    stderr.write(`blockcheck: internal error\n${error instanceof Error ? error.stack : String(error)}\n`);
  } else {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    stderr.write(`blockcheck: internal error: ${message} (run with --debug for the stack trace)\n`);
  }
}
