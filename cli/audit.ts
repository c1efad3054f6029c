/**
 * One audit: discover the projects, build their programs, run the analysis core on each, and keep what the
 * user would see from the ESLint rules — findings in audited files, minus disabled ones, with the
 * project's rule settings — plus the parse errors, so one broken file never hides the others.
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { analyzeProgram, formatFindingMessage, formatUnresolvedMessage, type AnalysisOptions, type Handler, type HandlerReach } from '../core/index.js';
import type { RuleSettingsSource } from '../engine/eslint-config.js';
import { nodeTypesWarning } from '../engine/node-types.js';
import type { Progress } from './progress.js';
import { createPathFilter } from './ignores.js';
import { buildProgram, createSharedHostFactory, discoverProjects, flattenMessage, listSourceFiles, reasonOf, type ProjectSpec } from './project.js';
import { collectGarbage } from './collect-garbage.js';
import { splitProject } from './split-project.js';
import { toTsPath } from '../engine/paths.js';
import { recommend } from '../engine/recommend.js';
import {
  buildReport,
  type AuditedFinding,
  type AuditedUnresolvedCall,
  type Report,
  type ReportedHandler,
  type ReportedReach,
  type ReportError,
} from '../engine/report.js';
import { reportedFindings, reportedUnresolvedCalls } from '../engine/reported-findings.js';

export interface AuditOptions {
  cwd: string;
  /** Absolute paths to audit (files or folders); they exist. */
  paths: string[];
  projects: string[];
  /** `--ignore-pattern` globs, relative to `cwd`. */
  ignorePatterns: string[];
  settings: RuleSettingsSource;
  /** Report errors only (ESLint's --quiet). */
  errorsOnly: boolean;
  targetRps: number | undefined;
  /** `--strict`: also report the calls handlers reach whose target cannot be known. */
  strict: boolean;
  progress: Progress;
  /**
   * Compiler hosts whose parsed files outlive this audit (tests auditing many small projects in one process
   * parse the lib files and @types/node once). Default: shared by this audit's programs only.
   */
  hostFor?: (options: ts.CompilerOptions) => ts.CompilerHost;
  /** Bytes of source above which a project is audited as several programs (`splitProject`'s default otherwise). */
  programSourceBudget?: number;
}

export interface AuditResult {
  report: Report;
  /** tsconfig files that could not be read (also in report.errors): a configuration error, exit 2. */
  configProblems: ReportError[];
  /** Audited files that could not be read or parsed (also in report.errors). */
  unaudited: number;
  /** Warnings left out of the report by `errorsOnly`: --max-warnings still counts them. */
  hiddenWarnings: number;
  /** Problems that make the audit miss findings without stopping it (one line each, for stderr). */
  warnings: string[];
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const startedAt = performance.now();
  const files: string[] = [];
  // Folders and files that cannot be read are errors, as ESLint's unparsable files: listed, the rest audited.
  const unreadable: ReportError[] = [];
  for (const root of options.paths) {
    // ESLint's ignores apply below a path the user names, unless they ignore that path as a whole (ESLint
    // ignores node_modules, and `blockcheck audit ./node_modules/some-server` asks for one).
    const rootIgnored = await options.settings.isIgnored(statSync(root).isDirectory() ? path.join(root, 'index.js') : root);
    const listing = listSourceFiles(root, createPathFilter(options.cwd, options.ignorePatterns, root));
    unreadable.push(...listing.unreadable);
    for (const file of listing.files) {
      if (rootIgnored || !(await options.settings.isIgnored(file))) files.push(file);
    }
  }
  const discovery = discoverProjects(
    options.paths,
    options.projects.map((project) => path.resolve(options.cwd, project)),
    files,
  );
  const configProblems: ReportError[] = [...discovery.problems];
  const collected: Collected = {
    errors: [...configProblems, ...unreadable],
    findings: new Map(),
    unresolved: new Map(),
    handlers: new Map(),
    reportedErrors: new Set(),
    warnings: [],
  };
  const hostFor = options.hostFor ?? createSharedHostFactory();
  const programs = discovery.projects.flatMap((project) =>
    splitProject(project, options.programSourceBudget).map((part, partIndex, parts) => ({
      project: part,
      part: parts.length > 1 ? ` part ${partIndex + 1}/${parts.length}` : '',
    })),
  );
  for (const [index, { project, part }] of programs.entries()) {
    const label = `${project.configFile ? path.relative(options.cwd, project.configFile) || 'tsconfig.json' : 'files without a tsconfig'}${part}`;
    options.progress.phase(`parsing ${label} (${index + 1}/${programs.length})`, project.rootNames.filter((file) => discovery.auditedFiles.has(file)).length);
    await auditProgram(project, label, discovery.auditedFiles, hostFor, options, collected);
    // The program just audited is garbage now: collected before the next is built, not alongside it.
    if (part && index + 1 < programs.length) collectGarbage();
  }
  const { errors, findings, unresolved, handlers, reportedErrors, warnings } = collected;
  options.progress.done();

  const all = [...findings.values()];
  const report = buildReport({
    cwd: options.cwd,
    root: auditRoot(options.paths),
    // --quiet hides warnings from the report but not from the recommendation, which needs the whole picture.
    findings: options.errorsOnly ? all.filter((audited) => audited.severity === 'error') : all,
    // Information, like warnings, is left out by --quiet.
    ...(options.strict ? { unresolved: options.errorsOnly ? [] : [...unresolved.values()] } : {}),
    handlers: [...handlers.values()],
    recommendation: recommend({
      findings: all.map(({ finding }) => finding),
      targetRps: options.targetRps,
      availableParallelism: os.availableParallelism(),
    }),
    errors,
    files: discovery.auditedFiles.size,
    durationMs: performance.now() - startedAt,
  });
  return {
    report,
    configProblems,
    unaudited: reportedErrors.size,
    hiddenWarnings: options.errorsOnly ? all.filter((audited) => audited.severity === 'warning').length : 0,
    warnings,
  };
}

/** What the audit keeps of its programs: nothing that holds a node, so each program is released after it. */
interface Collected {
  errors: ReportError[];
  findings: Map<string, AuditedFinding>;
  unresolved: Map<string, AuditedUnresolvedCall>;
  handlers: Map<string, ReportedHandler>;
  /** Files already reported as unreadable or unparsable. */
  reportedErrors: Set<string>;
  warnings: string[];
}

/**
 * Builds one program and collects its reported findings and handlers. A function of its own so that the
 * program is unreachable once it returns: a variable of the audit's own loop would hold it while the next
 * program is built.
 */
async function auditProgram(
  project: ProjectSpec,
  label: string,
  auditedFiles: ReadonlySet<string>,
  hostFor: (options: ts.CompilerOptions) => ts.CompilerHost,
  options: AuditOptions,
  collected: Collected,
): Promise<void> {
  const audited = project.rootNames.filter((file) => auditedFiles.has(file));
  const parsed = new Set<string>();
  const { program, parseFailures } = buildProgram(project, (compilerOptions) => {
    const host = hostFor(compilerOptions);
    // The program's folder is the audit's, not the process's (file roles read it; tests audit in-process).
    host.getCurrentDirectory = () => options.cwd;
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, ...rest) => {
      if (auditedFiles.has(fileName) && !parsed.has(fileName)) {
        parsed.add(fileName);
        options.progress.tick();
      }
      return getSourceFile(fileName, ...rest);
    };
    return host;
  });

  const nodeTypes = nodeTypesWarning(program, audited, options.cwd);
  if (nodeTypes) collected.warnings.push(`${label}: ${nodeTypes}`);

  options.progress.phase(`analyzing ${label}`, audited.length);
  const analyses = new Map<string, ReturnType<typeof analyzeProgram>>();
  const analysisFor = (analysisOptions: AnalysisOptions) => {
    // One analysis per distinct option set; files and rules sharing options share it.
    const key = JSON.stringify(analysisOptions);
    let analysis = analyses.get(key);
    if (!analysis) {
      analysis = analyzeProgram(program, { ...analysisOptions, followDependencies: true });
      analyses.set(key, analysis);
    }
    return analysis;
  };
  for (const fileName of audited) {
    const sourceFile = program.getSourceFile(fileName);
    options.progress.tick();
    if (!sourceFile) {
      // TypeScript's host answers "no such file" for a file it cannot read; the user must hear why.
      if (!collected.reportedErrors.has(fileName)) collected.errors.push({ file: fileName, message: `Cannot read file: ${readFailure(fileName)}` });
      collected.reportedErrors.add(fileName);
      continue;
    }
    const parseFailure = parseFailures.get(fileName);
    if (parseFailure !== undefined) {
      if (!collected.reportedErrors.has(fileName)) collected.errors.push({ file: fileName, message: parseFailure });
      collected.reportedErrors.add(fileName);
      continue;
    }
    const syntaxErrors = program.getSyntacticDiagnostics(sourceFile);
    if (syntaxErrors.length > 0) {
      // ESLint reports a file it cannot parse as one fatal error and nothing else; so do we.
      if (!collected.reportedErrors.has(fileName)) {
        collected.reportedErrors.add(fileName);
        collected.errors.push(parsingError(sourceFile, syntaxErrors[0]!));
      }
      continue;
    }
    const settings = await options.settings.settingsFor(fileName);
    for (const { finding, severity } of reportedFindings(sourceFile, settings, analysisFor)) {
      const key = `${finding.fileName}:${finding.start}:${finding.rule}`;
      if (!collected.findings.has(key))
        collected.findings.set(key, { finding: detachReaches(finding), severity, message: formatFindingMessage(finding, options.cwd) });
    }
    if (options.strict) {
      for (const call of reportedUnresolvedCalls(sourceFile, settings, analysisFor)) {
        const key = `${call.fileName}:${call.start}`;
        if (!collected.unresolved.has(key)) collected.unresolved.set(key, { call: detachReaches(call), message: formatUnresolvedMessage(call, options.cwd) });
      }
    }
  }
  // Handlers are listed even where every rule is off: the runtime probe drives load at them.
  if (analyses.size === 0) analysisFor({});
  for (const analysis of analyses.values()) {
    for (const handler of analysis.handlers) {
      if (!auditedFiles.has(toTsPath(handler.fileName))) continue;
      collected.handlers.set(`${handler.fileName}:${handler.line}:${handler.column}:${handler.label}`, detachHandler(handler));
    }
  }
}

/** The handler without its node, which would keep its program's source files alive. */
function detachHandler({ node: _node, ...handler }: Handler): ReportedHandler {
  return handler;
}

function detachReaches<T extends { reaches: readonly HandlerReach[] }>(item: T): Omit<T, 'reaches'> & { reaches: ReportedReach[] } {
  return { ...item, reaches: item.reaches.map(({ handler, chain }) => ({ handler: detachHandler(handler), chain })) };
}

/** Why reading a file fails, asked again of the file system (TypeScript's host drops the reason). */
function readFailure(fileName: string): string {
  try {
    readFileSync(fileName);
    return 'it changed while being read';
  } catch (error) {
    return reasonOf(error);
  }
}

function parsingError(sourceFile: ts.SourceFile, diagnostic: ts.Diagnostic): ReportError {
  const line = diagnostic.start !== undefined ? sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : undefined;
  return { file: sourceFile.fileName, ...(line !== undefined ? { line } : {}), message: `Parsing error: ${flattenMessage(diagnostic)}` };
}

/** The folder the audit covers: the one path, or the deepest folder containing all of them. */
function auditRoot(paths: readonly string[]): string {
  const parts = paths.map((entry) => path.resolve(entry).split(path.sep));
  const common: string[] = [];
  for (let i = 0; parts.every((segments) => i < segments.length && segments[i] === parts[0]![i]); i++) common.push(parts[0]![i]!);
  return common.join(path.sep) || path.sep;
}
