/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), which annotate the pull request's
 * diff without uploading SARIF. Values are escaped as the runner's toolkit does (actions/toolkit command.ts).
 */
import type { Report } from '../../engine/report.js';

export function formatGithub(report: Report): string {
  const lines = report.findings.map((finding) => {
    const properties = {
      file: finding.file,
      line: finding.line,
      col: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      title: finding.rule,
    };
    const level = finding.severity === 'error' ? 'error' : 'warning';
    return `::${level} ${formatProperties(properties)}::${escapeData(finding.message)}`;
  });
  for (const call of report.unresolved ?? []) {
    const properties = { file: call.file, line: call.line, col: call.column, endLine: call.endLine, endColumn: call.endColumn, title: 'unresolved call' };
    lines.push(`::notice ${formatProperties(properties)}::${escapeData(call.message)}`);
  }
  for (const error of report.errors) {
    const properties = { file: error.file, ...(error.line !== undefined ? { line: error.line } : {}), title: 'blockcheck' };
    lines.push(`::error ${formatProperties(properties)}::${escapeData(error.message)}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function formatProperties(properties: Record<string, string | number>): string {
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
