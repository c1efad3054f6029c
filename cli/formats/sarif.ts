/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). Written here rather than through the
 * Microsoft ESLint formatter, which pins ESLint 8. URIs are relative to %SRCROOT% (the current directory,
 * which is the repository root in CI), each rule carries the descriptions and help GitHub shows on an
 * alert, and the handler-to-call chain is a code flow so the alert shows how the handler reaches the call.
 */
import { pathToFileURL } from 'node:url';
import type { RuleName } from '../../core/index.js';
import { RULE_NAMES } from '../../core/index.js';
import { TOOL_NAME, TOOL_URL, TOOL_VERSION } from '../../engine/package-info.js';
import type { Report, ReportFinding } from '../../engine/report.js';
import { ruleDoc } from '../../engine/rule-docs.js';

const SRCROOT = '%SRCROOT%';

export function formatSarif(report: Report, { cwd }: { cwd: string }): string {
  const rules = RULE_NAMES.map(ruleDoc);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: TOOL_URL,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: pascalCase(rule.name),
              shortDescription: { text: rule.description },
              fullDescription: { text: rule.fullDescription },
              helpUri: rule.url,
              help: { text: `${rule.fullDescription}${rule.url ? `\n\n${rule.url}` : ''}`, markdown: rule.markdown },
              defaultConfiguration: { level: 'error' },
              properties: { tags: ['performance', 'event-loop'], precision: 'high', 'problem.severity': 'error' },
            })),
          },
        },
        // SARIF URIs must end in a slash to be a base; cwd is where the report's relative paths start.
        originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((finding) => result(finding, ruleIndex.get(finding.rule) ?? 0)),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((error) => ({
              level: 'error',
              message: { text: error.message },
              locations: [location(error.file, error.line ?? 1)],
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function result(finding: ReportFinding, ruleIndex: number) {
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: finding.severity === 'error' ? 'error' : 'warning',
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeUri(finding.file), uriBaseId: SRCROOT },
          region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
        },
      },
    ],
    // GitHub matches alerts across runs by this; the report id already survives line moves.
    partialFingerprints: { primaryLocationLineHash: `${finding.id}:1` },
    relatedLocations: finding.handlers.map((handler, index) => ({
      id: index,
      ...location(handler.file, handler.line),
      message: { text: `handler ${handler.label}` },
    })),
    codeFlows: finding.handlers.slice(0, 1).map((handler) => ({
      message: { text: `${handler.label} reaches ${finding.call}` },
      threadFlows: [
        {
          locations: [
            { location: { ...location(handler.file, handler.line), message: { text: handler.label } }, nestingLevel: 0 },
            ...handler.chain.map((step, index) => ({
              location: { ...location(step.file, step.line), message: { text: step.name } },
              nestingLevel: index + 1,
            })),
          ],
        },
      ],
    })),
    properties: { category: finding.category, kind: finding.kind, call: finding.call, alternative: finding.alternative },
  };
}

function location(file: string, line: number) {
  return { physicalLocation: { artifactLocation: { uri: encodeUri(file), uriBaseId: SRCROOT }, region: { startLine: line } } };
}

/** Relative paths as URI references: each segment percent-encoded, `..` kept. */
function encodeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function pascalCase(name: RuleName): string {
  return name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
}
