/**
 * Hover on a flagged call: the finding's message, why it blocks, every handler that reaches it with its chain,
 * the alternative, which worker class fits, and — when the folder has a probe report — what it measured.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { BlockKind, Finding } from '../../core/types.js';
import { formatFindingMessage } from '../../core/message.js';
import { recommend } from '../../engine/recommend.js';
import { measuredCostFor, type AuditReport } from './audit-report.js';
import { chainSteps } from './diagnostics.js';
import { offsetRange } from './locations.js';
import { fileNameToUri } from './paths.js';
import { ruleDescription, ruleDocUrl, ruleId } from './rule-docs.js';
import type { AnalyzedDocument } from './workspace.js';

const WHY: Record<BlockKind, string> = {
  io: 'it waits for disk or network I/O on the event loop thread; no other request, timer or socket is served until it returns',
  cpu: 'it runs CPU work on the event loop thread; no other request, timer or socket is served until it finishes',
  wait: 'it waits for another thread or process on the event loop thread; no other request, timer or socket is served meanwhile',
};

export function hoverFor(analyzed: AnalyzedDocument, position: Position, audit: AuditReport | undefined): Hover | undefined {
  const { analysis, cwd } = analyzed;
  const hit = analysis.findings.find(({ finding }) => contains(offsetRange(analysis.sourceFile, finding.start, finding.end), position));
  if (!hit) return undefined;
  const { finding } = hit;
  const lines = [
    `**${ruleId(finding.rule)}**: ${ruleDescription(finding.rule)}`,
    '',
    formatFindingMessage(finding, cwd),
    '',
    `**Why it blocks:** \`${finding.call}\` ${WHY[finding.kind]}.`,
    '',
  ];
  lines.push(
    '**Reached from:**',
    ...finding.reaches.map(
      (reach) =>
        `- ${chainSteps(reach)
          .map((step) => stepLink(step, cwd))
          .join(' → ')}`,
    ),
    '',
  );
  lines.push(`**Alternative:** \`${finding.alternative}\``, '');
  lines.push(workerAdvice(finding, audit), '');
  const measured = audit ? measuredLine(audit, finding) : undefined;
  if (measured) lines.push(measured, '');
  const url = ruleDocUrl(finding.rule);
  if (url) lines.push(`[Documentation](${url})`);
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n').trimEnd() },
    range: offsetRange(analysis.sourceFile, finding.start, finding.end),
  };
}

/** The audit's project-wide recommendation when there is one; otherwise what this finding alone calls for. */
function workerAdvice(finding: Finding, audit: AuditReport | undefined): string {
  if (audit?.recommendation) {
    return `**Worker class (last audit):** ${audit.recommendation.workerClass} — ${audit.recommendation.reason}`;
  }
  const advice = recommend({ findings: [finding], availableParallelism: availableParallelism() });
  return `**Worker class:** ${advice.workerClass} — ${advice.reason}`;
}

function measuredLine(audit: AuditReport, finding: Finding): string | undefined {
  const cost = measuredCostFor(audit, finding);
  if (!cost) return undefined;
  const source = `\`${path.basename(path.dirname(audit.reportFile))}/${path.basename(audit.reportFile)}\``;
  const blocked = cost.blockedP95Ms === undefined ? 'no block time recorded' : `blocked ${formatMs(cost.blockedP95Ms)} ms p95 per request`;
  const verdict = cost.verdict === 'confirmed' ? 'confirmed at runtime' : `not confirmed (${cost.verdict})`;
  return `**Measured (${source}):** ${blocked}, ${verdict}.${cost.hint ? ` ${cost.hint}` : ''}`;
}

function stepLink(step: { fileName: string; line: number; column: number; message: string }, cwd: string): string {
  const where = `${path.relative(cwd, step.fileName) || path.basename(step.fileName)}:${step.line}`;
  return `${step.message} ([${where}](${fileNameToUri(step.fileName)}#L${step.line},${step.column}))`;
}

function formatMs(ms: number): string {
  return ms >= 10 ? String(Math.round(ms)) : ms.toFixed(1);
}

function contains(range: { start: Position; end: Position }, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}
