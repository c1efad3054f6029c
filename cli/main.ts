#!/usr/bin/env node
/**
 * The `blockcheck` command. Exit codes follow ESLint: 0 clean, 1 error-level findings (or more warnings
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
import { describeTypeScript, useClassicTypeScript } from '../engine/typescript-runtime.js';
import { countBySeverity, type Report } from '../engine/report.js';

// TypeScript, ESLint, the analysis core and the runtime are loaded only by the commands that need them,
// so `--version`, `--help` and usage errors answer at once.
const loadAudit = () => import('./audit.js');
const loadEslintConfig = () => import('../engine/eslint-config.js');
const loadRuntime = () => import('../runtime/index.js');

const USAGES = { main: MAIN_USAGE, audit: AUDIT_USAGE, init: INIT_USAGE, serve: SERVE_USAGE };

/** Where `audit --probe` keeps its report, for the language server's hovers. */
const LAST_AUDIT = path.join('.blockcheck', 'last-audit.json');

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCommandLine(argv);
  switch (args.command) {
    case 'version':
      process.stdout.write(`${TOOL_VERSION}\n`);
      return 0;
    case 'help':
      process.stdout.write(`${USAGES[args.topic]}\n`);
      return 0;
    case 'init': {
      const { output, note } = runInit(process.cwd(), args.write);
      process.stdout.write(output);
      if (note) process.stderr.write(`blockcheck: ${note}\n`);
      return 0;
    }
    case 'audit':
      return audit(args);
    case 'serve': {
      useClassicTypeScript();
      const { serve, parseServeArgs } = await loadRuntime();
      const handle = await serve(parseServeArgs(args.argv));
      process.stderr.write(`blockcheck: serving on ${handle.url} (Ctrl-C to stop)\n`);
      return handle.closed;
    }
  }
}

async function audit(args: AuditArgs): Promise<number> {
  const cwd = process.cwd();
  // Before the analysis imports 'typescript': a project on TypeScript 7 is audited with blockcheck's own 6.
  const typescript = useClassicTypeScript();
  if (args.debug) process.stderr.write(`blockcheck: ${describeTypeScript(typescript)}\n`);
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
    progress: createProgress(process.stderr, !args.quiet),
  });
  for (const warning of [settings.warning, ...auditWarnings]) if (warning) process.stderr.write(`blockcheck: warning: ${warning}\n`);
  let report: Report = audited;
  if (args.probe) {
    const { probe, probeOptionsFromFlags } = await loadRuntime();
    // isTTY is typed boolean but is undefined on a pipe or a file.
    const showProgress = !args.quiet && (process.stderr.isTTY as boolean | undefined) === true;
    report = await probe(audited, {
      ...probeOptionsFromFlags(args.probe, cwd),
      ...(showProgress ? { progress: (line: string) => process.stderr.write(`blockcheck: ${line}\n`) } : {}),
    });
    mkdirSync(path.join(cwd, path.dirname(LAST_AUDIT)), { recursive: true });
    writeFileSync(path.join(cwd, LAST_AUDIT), formatJson(report));
  }

  const color = args.color ?? (args.outputFile === undefined && (process.stdout.isTTY as boolean | undefined) === true && !process.env.NO_COLOR);
  // --quiet on a clean run prints nothing in text, as ESLint; the machine formats always write their document.
  const clean = report.findings.length === 0 && report.errors.length === 0;
  const output = args.quiet && clean && args.format === 'text' ? '' : await render(report, args.format, { cwd, color });
  if (args.outputFile !== undefined) {
    const target = path.resolve(cwd, args.outputFile);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, output);
  } else {
    process.stdout.write(output);
  }

  for (const problem of configProblems) {
    const where = `${path.relative(cwd, problem.file) || problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}`;
    process.stderr.write(`blockcheck: cannot use ${where}: ${problem.message} (its files were audited without it)\n`);
  }
  const { configError } = settings;
  if (configError) {
    const advice = 'fix it, or pass --no-eslint-config; the files were audited with the recommended rule settings';
    process.stderr.write(`blockcheck: ${describeConfigError(configError, cwd)} (${advice})\n`);
    if (args.debug && configError.stack) process.stderr.write(`${configError.stack}\n`);
  }
  if (report.stats.files === 0 || unaudited >= report.stats.files) {
    process.stderr.write('blockcheck: nothing could be audited (see the errors above); check the paths and that the files are JavaScript or TypeScript.\n');
    return 2;
  }
  // A configuration error is exit 2, as in ESLint, after the report of everything it did not stop.
  if (configProblems.length > 0 || configError) return 2;
  const { errors, warnings: shown } = countBySeverity(report);
  // --quiet hides warnings from the report, not from --max-warnings (ESLint counts them too).
  const warnings = shown + hiddenWarnings;
  if (errors > 0 || report.errors.length > 0) return 1;
  if (args.maxWarnings >= 0 && warnings > args.maxWarnings) {
    process.stderr.write(`blockcheck: too many warnings (${warnings}); the maximum allowed is ${args.maxWarnings}.\n`);
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

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      // One line, as ESLint: the usage is one --help away and would bury the error.
      const help = error.topic === 'main' ? 'blockcheck --help' : `blockcheck ${error.topic} --help`;
      process.stderr.write(`blockcheck: ${error.message} (${help} shows the usage)\n`);
    } else if (error instanceof ProbeError && !argv.includes('--debug')) {
      // The probe's errors say what went wrong and what to do; the app's last output follows.
      process.stderr.write(`blockcheck: ${error.message}\n${error.details ? `${error.details.trimEnd()}\n` : ''}`);
    } else if (argv.includes('--debug')) {
      process.stderr.write(`blockcheck: internal error\n${error instanceof Error ? error.stack : String(error)}\n`);
    } else {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      process.stderr.write(`blockcheck: internal error: ${message} (run with --debug for the stack trace)\n`);
    }
    process.exitCode = 2;
  },
);
