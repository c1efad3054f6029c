/**
 * Findings as LSP diagnostics: the shared message text, the rule id as `code` with its documentation, and the
 * handler-to-call chain as related information (one clickable entry per step).
 */
import type ts from 'typescript';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Finding, HandlerReach, UnresolvedCall } from '../../core/types.js';
import { formatFindingMessage, formatUnresolvedMessage } from '../../core/message.js';
import type { FileAnalysis } from './analysis.js';
import type { ReportedFinding } from '../../engine/reported-findings.js';
import { nameRangeAt, offsetRange } from './locations.js';
import { fileNameToUri } from './paths.js';
import { ruleDocUrl, ruleId } from './rule-docs.js';

/** Related information lists the chains of this many handlers at most; the hover lists them all. */
const MAX_CHAINS = 3;

const DIAGNOSTIC_SOURCE = 'blockcheck';

/** A file's diagnostics: its findings, then (`blockcheck.strict`) the calls whose target cannot be known. */
export function fileDiagnostics(analysis: FileAnalysis, cwd: string | undefined, strict: boolean): Diagnostic[] {
  const diagnostics = analysis.findings.map((reported) => toDiagnostic(reported, analysis.program, cwd));
  if (strict) diagnostics.push(...analysis.unresolvedCalls().map((call) => unresolvedDiagnostic(call, analysis, cwd)));
  return diagnostics;
}

/**
 * Information, as the audit's `--strict` lists them: what the call runs is neither flagged nor cleared. Its
 * related information names the handlers that reach it.
 */
function unresolvedDiagnostic(call: UnresolvedCall, analysis: FileAnalysis, cwd: string | undefined): Diagnostic {
  return {
    range: offsetRange(analysis.sourceFile, call.start, call.end),
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: 'unresolved-call',
    message: formatUnresolvedMessage(call, cwd),
    relatedInformation: call.reaches.slice(0, MAX_CHAINS).map(({ handler }) => ({
      location: { uri: fileNameToUri(handler.fileName), range: nameRangeAt(analysis.program.getSourceFile(handler.fileName), handler.line, handler.column) },
      message: `handler ${handler.label} (${handler.kind})`,
    })),
  };
}

export function toDiagnostic(reported: ReportedFinding, program: ts.Program, cwd: string | undefined): Diagnostic {
  const { finding, severity } = reported;
  const sourceFile = program.getSourceFile(finding.fileName);
  const range = sourceFile
    ? offsetRange(sourceFile, finding.start, finding.end)
    : { start: { line: finding.line - 1, character: finding.column - 1 }, end: { line: finding.endLine - 1, character: finding.endColumn - 1 } };
  const href = ruleDocUrl(finding.rule);
  return {
    range,
    severity: severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: ruleId(finding.rule),
    ...(href ? { codeDescription: { href } } : {}),
    message: formatFindingMessage(finding, cwd),
    relatedInformation: relatedInformation(finding, program),
  };
}

function relatedInformation(finding: Finding, program: ts.Program): DiagnosticRelatedInformation[] {
  const reaches = finding.reaches.slice(0, MAX_CHAINS);
  return reaches.flatMap((reach) =>
    chainSteps(reach).map((step) => ({
      location: {
        uri: fileNameToUri(step.fileName),
        range: nameRangeAt(program.getSourceFile(step.fileName), step.line, step.column),
      },
      message: reaches.length > 1 ? `${reach.handler.label}: ${step.message}` : step.message,
    })),
  );
}

interface ChainStepView {
  fileName: string;
  line: number;
  column: number;
  message: string;
}

/** The handler, then each call of its chain down to the blocking call. */
export function chainSteps(reach: HandlerReach): ChainStepView[] {
  const { handler, chain } = reach;
  const steps: ChainStepView[] = [];
  const first = chain[0];
  const chainStartsAtHandler = first && first.fileName === handler.fileName && first.line === handler.line && first.column === handler.column;
  if (!chainStartsAtHandler) {
    steps.push({ fileName: handler.fileName, line: handler.line, column: handler.column, message: `handler ${handler.label} (${handler.kind})` });
  }
  chain.forEach((step, index) => {
    const isLast = index === chain.length - 1;
    const message =
      index === 0 && chainStartsAtHandler ? `handler ${handler.label} (${handler.kind})` : isLast ? `blocking call ${step.name}` : `calls ${step.name}`;
    steps.push({ fileName: step.fileName, line: step.line, column: step.column, message });
  });
  return steps;
}
