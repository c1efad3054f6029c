/**
 * What every front end reports for one file, decided in one place: the rules that are on for it, each with
 * its options, the findings of those rules minus the ones `eslint-disable` comments silence, at the rule's
 * configured severity. ESLint reports a rule's problems at the rule's severity, and the CLI and the
 * language server must say exactly what ESLint says, so a catalog entry's own severity does not change it.
 */
import type ts from 'typescript';
import { analyzeProgram, RULE_NAMES, type Finding, type UnresolvedCall } from '../core/index.js';
import type { RuleSettings } from './eslint-config.js';
import { readSuppressions, type Suppressions } from './suppressions.js';

export interface ReportedFinding {
  finding: Finding;
  severity: 'error' | 'warning';
}

/**
 * `analyze` runs the analysis core with a rule's options (the CLI follows dependencies; the editor does not);
 * the core memoizes per program and option set, so rules with equal options share one analysis.
 */
export function reportedFindings(
  sourceFile: ts.SourceFile,
  settings: RuleSettings,
  analyze: (options: NonNullable<RuleSettings[keyof RuleSettings]>['options']) => ReturnType<typeof analyzeProgram>,
): ReportedFinding[] {
  const reported: ReportedFinding[] = [];
  const seen = new Set<string>();
  for (const rule of RULE_NAMES) {
    const setting = settings[rule];
    if (!setting) continue;
    for (const finding of analyze(setting.options).findingsInFile(sourceFile.fileName)) {
      if (finding.rule !== rule) continue;
      if (suppressionsOf(sourceFile)?.isSuppressed(`blockcheck/${rule}`, finding.line, finding.column)) continue;
      const key = `${finding.start}:${finding.end}:${finding.rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reported.push({ finding, severity: setting.severity });
    }
  }
  return reported.sort((a, b) => a.finding.start - b.finding.start || a.finding.end - b.finding.end);
}

/**
 * The calls in a file whose target cannot be known (`--strict`), wherever a blockcheck rule is on for it: the
 * union over the rules' option sets. A directive that silences a blockcheck rule on a line silences them too,
 * so a dispatch the user has checked can be marked as such where it is written.
 */
export function reportedUnresolvedCalls(
  sourceFile: ts.SourceFile,
  settings: RuleSettings,
  analyze: (options: NonNullable<RuleSettings[keyof RuleSettings]>['options']) => ReturnType<typeof analyzeProgram>,
): UnresolvedCall[] {
  const byStart = new Map<number, UnresolvedCall>();
  for (const rule of RULE_NAMES) {
    const setting = settings[rule];
    if (!setting) continue;
    for (const call of analyze(setting.options).unresolvedCallsInFile(sourceFile.fileName)) {
      if (byStart.has(call.start)) continue;
      const suppressions = suppressionsOf(sourceFile);
      if (suppressions && RULE_NAMES.some((name) => suppressions.isSuppressed(`blockcheck/${name}`, call.line, call.column))) continue;
      byStart.set(call.start, call);
    }
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

const suppressionCache = new WeakMap<ts.SourceFile, Suppressions | undefined>();

/** Reading directives walks every token, so skip files that contain none (nearly all) and cache per parse. */
function suppressionsOf(sourceFile: ts.SourceFile): Suppressions | undefined {
  if (suppressionCache.has(sourceFile)) return suppressionCache.get(sourceFile);
  const suppressions = /eslint-(disable|enable)/.test(sourceFile.text) ? readSuppressions(sourceFile) : undefined;
  suppressionCache.set(sourceFile, suppressions);
  return suppressions;
}
