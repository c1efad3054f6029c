/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). Written here rather than through the
 * Microsoft ESLint formatter, which pins ESLint 8. URIs are relative to %SRCROOT%, the repository's root
 * (else the current directory), so a report is the same from any folder of the repository and GitHub
 * places its alerts. Each rule carries the descriptions and help GitHub shows on an alert, and the
 * handler-to-call chain is a code flow so the alert shows how the handler reaches the call. A probed
 * report's measured verdict goes into each result's property bag (`properties.runtime`), SARIF's place
 * for a tool's own data.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RuleName } from '../../core/index.js';
import { RULE_NAMES } from '../../core/index.js';
import { TOOL_NAME, TOOL_URL, TOOL_VERSION } from '../../engine/package-info.js';
import { relativePath, type Report, type ReportFinding, type ReportUnresolvedCall } from '../../engine/report.js';
import { ruleDoc } from '../../engine/rule-docs.js';

const SRCROOT = '%SRCROOT%';

export function formatSarif(report: Report, { cwd }: { cwd: string }): string {
  const sourceRoot = repositoryRoot(cwd);
  // The report's paths are relative to the current directory; SARIF's to the source root.
  const uri = (file: string) => encodeUri(relativePath(sourceRoot, path.resolve(cwd, file)));
  const location = (file: string, line: number) => ({
    physicalLocation: { artifactLocation: { uri: uri(file), uriBaseId: SRCROOT }, region: { startLine: line } },
  });
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
            rules: [
              ...rules.map((rule) => ({
                id: rule.id,
                name: pascalCase(rule.name),
                shortDescription: { text: rule.description },
                fullDescription: { text: rule.fullDescription },
                helpUri: rule.url,
                help: { text: `${rule.fullDescription}${rule.url ? `\n\n${rule.url}` : ''}`, markdown: rule.markdown },
                defaultConfiguration: { level: 'error' },
                properties: { tags: ['performance', 'event-loop'], precision: 'high', 'problem.severity': 'error' },
              })),
              ...(report.unresolved ? [UNRESOLVED_CALL_DESCRIPTOR] : []),
            ],
          },
        },
        // SARIF URIs must end in a slash to be a base.
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(sourceRoot).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results: [
          ...report.findings.map((finding) => result(finding, ruleIndex.get(finding.rule) ?? 0, location)),
          ...(report.unresolved ?? []).map((call) => unresolvedResult(call, rules.length, location)),
        ],
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

type Locate = (file: string, line: number) => { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } };

function result(finding: ReportFinding, ruleIndex: number, location: Locate) {
  const { physicalLocation } = location(finding.file, finding.line);
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: finding.severity === 'error' ? 'error' : 'warning',
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: physicalLocation.artifactLocation,
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
    properties: {
      category: finding.category,
      kind: finding.kind,
      call: finding.call,
      alternative: finding.alternative,
      // After --probe: the verdict (confirmed, not-reproduced, unreached) and what was measured.
      ...(finding.runtime ? { runtime: finding.runtime } : {}),
    },
  };
}

/**
 * `--strict`'s calls whose target cannot be known are notes of their own descriptor: not a rule of the
 * plugin (nothing to configure or disable in ESLint), but code scanning shows them beside the alerts.
 */
const UNRESOLVED_CALL_DESCRIPTOR = {
  id: 'blockcheck/unresolved-call',
  name: 'UnresolvedCall',
  shortDescription: { text: 'A call event-loop handlers reach whose target blockcheck cannot know' },
  fullDescription: {
    text: 'The call picks its target at run time (a member chosen by a computed key, a module required by a computed name), so whether it blocks the event loop is neither flagged nor cleared. audit --probe measures it.',
  },
  helpUri: `${TOOL_URL}#strict-mode`,
  defaultConfiguration: { level: 'note' },
  properties: { tags: ['performance', 'event-loop'], precision: 'low', 'problem.severity': 'recommendation' },
};

function unresolvedResult(call: ReportUnresolvedCall, ruleIndex: number, location: Locate) {
  const { physicalLocation } = location(call.file, call.line);
  return {
    ruleId: UNRESOLVED_CALL_DESCRIPTOR.id,
    ruleIndex,
    level: 'note',
    message: { text: call.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: physicalLocation.artifactLocation,
          region: { startLine: call.line, startColumn: call.column, endLine: call.endLine, endColumn: call.endColumn },
        },
      },
    ],
    relatedLocations: call.handlers.map((handler, index) => ({
      id: index,
      ...location(handler.file, handler.line),
      message: { text: `handler ${handler.label}` },
    })),
    properties: { reason: call.reason, call: call.call, decidedBy: call.decidedBy },
  };
}

/** The folder holding `.git` at or above `cwd` (a worktree's `.git` is a file), else `cwd`. */
function repositoryRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

/** Relative paths as URI references: each segment percent-encoded, `..` kept. */
function encodeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function pascalCase(name: RuleName): string {
  return name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
}
