/**
 * The terminal report: findings grouped under the handler that reaches them first (its route label and
 * location), each with the call, its category, the call chain and the fix; then parse errors, a summary
 * line and the deployment recommendation. Colors only when asked (main decides from the TTY).
 */
import type { Report, ReportChainStep, ReportFinding } from '../../engine/report.js';
import { countBySeverity } from '../../engine/report.js';

const STYLES = { bold: [1, 22], dim: [2, 22], red: [31, 39], yellow: [33, 39], cyan: [36, 39], green: [32, 39] } as const;
type Style = keyof typeof STYLES;

export function formatText(report: Report, { color }: { color: boolean }): string {
  const paint = (style: Style, text: string) => (color ? `\x1b[${STYLES[style][0]}m${text}\x1b[${STYLES[style][1]}m` : text);
  const out: string[] = [];
  const chainText = (chain: ReportChainStep[]) => chain.map((step) => `${step.name} ${paint('dim', `(${step.file}:${step.line})`)}`).join(' → ');

  const groups = new Map<string, { title: string; findings: ReportFinding[] }>();
  for (const finding of report.findings) {
    const handler = finding.handlers[0];
    const key = handler ? `${handler.file}:${handler.line}:${handler.label}` : '';
    const title = handler
      ? `${paint('bold', handler.label)}  ${paint('dim', `${handler.file}:${handler.line} (${handler.kind})`)}`
      : paint('bold', 'Not reached from a handler');
    const group = groups.get(key) ?? { title, findings: [] };
    group.findings.push(finding);
    groups.set(key, group);
  }
  for (const { title, findings } of groups.values()) {
    out.push(title);
    for (const finding of findings) {
      const severity = finding.severity === 'error' ? paint('red', 'error  ') : paint('yellow', 'warning');
      out.push(
        `  ${finding.file}:${finding.line}:${finding.column}  ${severity}  ${paint('bold', finding.call)}  ${finding.category} (${finding.kind})  ${paint('dim', finding.rule)}`,
      );
      const primary = finding.handlers[0];
      if (primary && primary.chain.length > 1) {
        out.push(`    ${paint('dim', 'via')} ${chainText(primary.chain)}`);
      }
      if (finding.handlers.length > 1) {
        out.push(
          `    ${paint('dim', 'also in')} ${finding.handlers
            .slice(1)
            .map((handler) => handler.label)
            .join(', ')}`,
        );
      }
      out.push(`    ${paint('green', 'fix:')} ${finding.alternative}`);
      const measured = runtimeLine(finding.runtime);
      if (measured) out.push(`    ${paint('cyan', 'probe:')} ${measured}`);
    }
    out.push('');
  }

  if (report.unresolved && report.unresolved.length > 0) {
    out.push(paint('bold', 'Calls whose target blockcheck cannot know (--strict)'));
    for (const call of report.unresolved) {
      const decidedBy = call.reason === 'computed-member' ? `picked by ${call.decidedBy}` : 'module chosen at run time';
      out.push(`  ${call.file}:${call.line}:${call.column}  ${paint('cyan', 'info   ')}  ${paint('bold', call.call)}  ${decidedBy}`);
      const primary = call.handlers[0];
      if (primary) {
        const via = primary.chain.length > 1 ? ` via ${chainText(primary.chain)}` : '';
        out.push(`    ${paint('dim', 'in')} ${primary.label} ${paint('dim', `(${primary.file}:${primary.line})`)}${via}`);
      }
    }
    out.push(`  ${paint('dim', 'What these run is neither flagged nor cleared: audit --probe measures them.')}`, '');
  }

  if (report.errors.length > 0) {
    out.push(paint('bold', 'Errors'));
    for (const error of report.errors) {
      out.push(`  ${error.file}${error.line !== undefined ? `:${error.line}` : ''}  ${paint('red', error.message)}`);
    }
    out.push('');
  }

  const { errors, warnings } = countBySeverity(report);
  const handlerCount = new Set(report.findings.flatMap((finding) => finding.handlers.map((handler) => `${handler.file}:${handler.line}:${handler.label}`)))
    .size;
  const fileCount = new Set(report.findings.map((finding) => finding.file)).size;
  const seconds = (report.stats.durationMs / 1000).toFixed(1);
  const summary = `${plural(report.findings.length, 'finding')} in ${plural(handlerCount, 'handler')}, ${plural(fileCount, 'file')}, ${seconds} s`;
  const unresolvedCount = report.unresolved ? `, ${plural(report.unresolved.length, 'unresolved call')}` : '';
  const detail = `(${plural(errors, 'error')}, ${plural(warnings, 'warning')}${unresolvedCount}; ${plural(report.stats.files, 'file')} audited, ${plural(report.handlers.length, 'handler')} detected)`;
  out.push(`${paint(errors > 0 ? 'red' : report.findings.length > 0 ? 'yellow' : 'green', summary)} ${paint('dim', detail)}`);

  const { recommendation } = report;
  out.push('', `${paint('bold', 'Recommended worker class:')} ${paint('cyan', recommendation.workerClass)}`, `  ${recommendation.reason}`);
  const sizes = [
    ['processes', recommendation.processes],
    ['threads', recommendation.threads],
    ['UV_THREADPOOL_SIZE', recommendation.uvThreadpoolSize],
  ].filter(([, value]) => value !== null);
  if (sizes.length > 0) out.push(`  ${sizes.map(([name, value]) => `${name}: ${value}`).join(', ')}`);
  const { config } = recommendation;
  if (config.env)
    out.push(
      '',
      `  ${paint('dim', 'environment:')} ${Object.entries(config.env)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}`,
    );
  if (config.piscina) out.push('', `  ${paint('dim', 'piscina:')} new Piscina(${JSON.stringify(config.piscina)})`);
  if (config.cluster) out.push('', `  ${paint('dim', 'node:cluster:')}`, ...config.cluster.split('\n').map((line) => (line ? `    ${line}` : '')));
  if (config.pm2) out.push('', `  ${paint('dim', 'PM2 ecosystem.config.json:')} ${JSON.stringify(config.pm2)}`);
  return `${out.join('\n')}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** What `--probe` measured for a finding, in one line (the runtime section is optional and read loosely). */
function runtimeLine(runtime: unknown): string | undefined {
  if (!runtime || typeof runtime !== 'object') return undefined;
  const section = runtime as {
    verdict?: string;
    blockedMsPerRequest?: { p50: number; p95: number; max: number } | null;
    requestsAffected?: number;
    cpuWallRatio?: number | null;
    hint?: string;
  };
  if (!section.verdict) return undefined;
  const parts = [section.verdict];
  const blocked = section.blockedMsPerRequest;
  if (blocked)
    parts.push(`blocked ${blocked.p50.toFixed(0)} ms p50, ${blocked.p95.toFixed(0)} ms p95 per request over ${section.requestsAffected ?? 0} requests`);
  if (typeof section.cpuWallRatio === 'number')
    parts.push(`CPU/wall ${section.cpuWallRatio.toFixed(2)} (${section.cpuWallRatio > 0.5 ? 'CPU-bound' : 'waiting'})`);
  if (section.hint) parts.push(section.hint);
  return parts.join('; ');
}
