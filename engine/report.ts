/**
 * The versioned audit report (schemaVersion 1, described by cli/schema/report.schema.json). Every format
 * renders this object; the runtime probe and the language server read its JSON form.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type {
  BlockKind,
  Category,
  Finding,
  Handler,
  HandlerKind,
  HandlerReach,
  Severity,
  SourceRange,
  UnresolvedCall,
  UnresolvedReason,
} from '../core/index.js';
import { TOOL_NAME, TOOL_VERSION } from './package-info.js';
import type { Recommendation } from './recommend.js';

export const SCHEMA_VERSION = 1;

export interface ReportChainStep {
  file: string;
  line: number;
  name: string;
}

export interface ReportFindingHandler {
  label: string;
  kind: HandlerKind;
  file: string;
  line: number;
  chain: ReportChainStep[];
}

/** Where a report entry is: the file relative to the current directory, 1-based lines and columns. */
export interface ReportRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportFinding extends ReportRange {
  id: string;
  rule: string;
  category: Category;
  kind: BlockKind;
  severity: Severity;
  call: string;
  message: string;
  alternative: string;
  handlers: ReportFindingHandler[];
  /** Filled by the runtime probe. */
  runtime: unknown;
}

/** `--strict`: a call handlers reach whose target cannot be known (information, never counted as a problem). */
export interface ReportUnresolvedCall extends ReportRange {
  reason: UnresolvedReason;
  call: string;
  /** What picks the target, as written (the key, the module name). */
  decidedBy: string;
  message: string;
  handlers: ReportFindingHandler[];
}

export interface ReportHandler {
  label: string;
  kind: HandlerKind;
  file: string;
  line: number;
  method: string | null;
  path: string | null;
}

export interface ReportError {
  file: string;
  line?: number;
  message: string;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  root: string;
  findings: ReportFinding[];
  /** Present with `--strict`. */
  unresolved?: ReportUnresolvedCall[];
  handlers: ReportHandler[];
  recommendation: Recommendation;
  errors: ReportError[];
  stats: { files: number; durationMs: number };
}

/**
 * A handler as the report reads it: without its node, so what an audit keeps of a program (the CLI audits
 * a large project as several programs, one after another) does not keep the program's source alive.
 */
export type ReportedHandler = Omit<Handler, 'node'>;

export interface ReportedReach {
  handler: ReportedHandler;
  chain: HandlerReach['chain'];
}

/** A core finding with what the audit decided about it: its effective severity and its message. */
export interface AuditedFinding {
  finding: Omit<Finding, 'reaches'> & { reaches: readonly ReportedReach[] };
  severity: Severity;
  message: string;
}

export interface AuditedUnresolvedCall {
  call: Omit<UnresolvedCall, 'reaches'> & { reaches: readonly ReportedReach[] };
  message: string;
}

export interface ReportInput {
  cwd: string;
  root: string;
  findings: readonly AuditedFinding[];
  /** `--strict`'s calls whose target cannot be known, with their messages; undefined without `--strict`. */
  unresolved?: readonly AuditedUnresolvedCall[];
  handlers: readonly ReportedHandler[];
  recommendation: Recommendation;
  errors: readonly ReportError[];
  files: number;
  durationMs: number;
}

export function buildReport(input: ReportInput): Report {
  const relative = (fileName: string) => relativePath(input.cwd, fileName);
  const sorted = [...input.findings].sort(
    (a, b) =>
      compare(relative(a.finding.fileName), relative(b.finding.fileName)) || a.finding.start - b.finding.start || compare(a.finding.rule, b.finding.rule),
  );
  const occurrences = new Map<string, number>();
  const findings = sorted.map(({ finding, severity, message }): ReportFinding => {
    const file = relative(finding.fileName);
    const rule = `blockcheck/${finding.rule}`;
    // The id survives edits that move the call: it hashes what the call is and where it runs, not its line.
    // Repeats of the same call in the same file and handler are told apart by their order.
    const identity = [rule, file, finding.call, finding.reaches[0]?.handler.label ?? ''].join('\u0000');
    const seen = occurrences.get(identity) ?? 0;
    occurrences.set(identity, seen + 1);
    return {
      id: createHash('sha256').update(`${identity}\u0000${seen}`).digest('hex').slice(0, 16),
      rule,
      category: finding.category,
      kind: finding.kind,
      severity,
      ...reportRangeOf(finding, relative),
      call: finding.call,
      message,
      alternative: finding.alternative,
      handlers: finding.reaches.map((reach) => reportHandlerOf(reach, relative)),
      runtime: null,
    };
  });
  const unresolved = input.unresolved
    ?.map(({ call, message }): ReportUnresolvedCall => ({
      reason: call.reason,
      ...reportRangeOf(call, relative),
      call: call.call,
      decidedBy: call.decidedBy,
      message,
      handlers: call.reaches.map((reach) => reportHandlerOf(reach, relative)),
    }))
    .sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column);
  const handlers = [...input.handlers]
    .map((handler): ReportHandler => ({
      label: handler.label,
      kind: handler.kind,
      file: relative(handler.fileName),
      line: handler.line,
      method: handler.method ?? null,
      path: handler.path ?? null,
    }))
    .sort((a, b) => compare(a.file, b.file) || a.line - b.line || compare(a.label, b.label));
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root: input.root,
    findings,
    ...(unresolved ? { unresolved } : {}),
    handlers,
    recommendation: input.recommendation,
    errors: [...input.errors].map((error) => ({ ...error, file: relative(error.file) })),
    stats: { files: input.files, durationMs: Math.round(input.durationMs) },
  };
}

function reportRangeOf(range: SourceRange, relative: (fileName: string) => string): ReportRange {
  return { file: relative(range.fileName), line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn };
}

function reportHandlerOf({ handler, chain }: ReportedReach, relative: (fileName: string) => string): ReportFindingHandler {
  return {
    label: handler.label,
    kind: handler.kind,
    file: relative(handler.fileName),
    line: handler.line,
    chain: chain.map((step) => ({ file: relative(step.fileName), line: step.line, name: step.name })),
  };
}

/** Paths in reports are relative to the current directory, with forward slashes on every platform. */
export function relativePath(cwd: string, fileName: string): string {
  return path.relative(cwd, fileName).split(path.sep).join('/');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countBySeverity(report: Report): { errors: number; warnings: number } {
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  return { errors, warnings: report.findings.length - errors };
}
