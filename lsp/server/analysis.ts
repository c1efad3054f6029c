/**
 * Runs the analysis core on a project's current program and keeps the findings the user asked for: rules that
 * are on for the file, minus those silenced by `eslint-disable` comments (read by the CLI's suppression reader,
 * so the editor hides exactly what ESLint and the CLI hide).
 */
import type ts from 'typescript';
import { analyzeProgram, type Finding } from '../../rules/analysis/index.js';
import { readSuppressions, type Suppressions } from '../../cli/suppressions.js';
import type { DiagnosticLevel, EffectiveRules } from './rule-config.js';
import type { TsProject } from './ts-project.js';

export interface ReportedFinding {
  finding: Finding;
  level: DiagnosticLevel;
}

export interface FileAnalysis {
  program: ts.Program;
  sourceFile: ts.SourceFile;
  findings: readonly ReportedFinding[];
}

export function analyseFile(project: TsProject, fileName: string, rules: EffectiveRules): FileAnalysis | undefined {
  const program = project.program();
  const sourceFile = program.getSourceFile(fileName);
  if (!sourceFile) return undefined;
  const suppressions = suppressionsOf(sourceFile);
  const findings: ReportedFinding[] = [];
  for (const group of rules.groups) {
    for (const finding of analyzeProgram(program, group.options).findingsInFile(sourceFile.fileName)) {
      const level = rules.level(finding.rule);
      if (!level || !group.rules.has(finding.rule)) continue;
      if (suppressions?.isSuppressed(`blockcheck/${finding.rule}`, finding.line, finding.column)) continue;
      findings.push({ finding, level });
    }
  }
  findings.sort((a, b) => a.finding.start - b.finding.start || a.finding.end - b.finding.end);
  return { program, sourceFile, findings };
}

const suppressionCache = new WeakMap<ts.SourceFile, Suppressions | undefined>();

/** Reading directives walks every token, so skip files that contain none (nearly all) and cache per parse. */
function suppressionsOf(sourceFile: ts.SourceFile): Suppressions | undefined {
  if (suppressionCache.has(sourceFile)) return suppressionCache.get(sourceFile);
  const suppressions = /eslint-(disable|enable)/.test(sourceFile.text) ? readSuppressions(sourceFile) : undefined;
  suppressionCache.set(sourceFile, suppressions);
  return suppressions;
}
