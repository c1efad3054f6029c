/**
 * Runs the analysis core on a project's current program and keeps what the engine reports for the file: the
 * same rules, suppressions and severities as ESLint and the CLI.
 */
import type ts from 'typescript';
import { analyzeProgram, type UnresolvedCall } from '../../core/index.js';
import type { RuleSettings } from '../../engine/eslint-config.js';
import { reportedFindings, reportedUnresolvedCalls, type ReportedFinding } from '../../engine/reported-findings.js';
import type { TsProject } from './ts-project.js';

export interface FileAnalysis {
  program: ts.Program;
  sourceFile: ts.SourceFile;
  findings: readonly ReportedFinding[];
  /** `blockcheck.strict`: the calls handlers reach whose target cannot be known, computed when asked. */
  unresolvedCalls(): readonly UnresolvedCall[];
}

export function analyzeFile(project: TsProject, fileName: string, rules: RuleSettings): FileAnalysis | undefined {
  const program = project.program();
  const sourceFile = program.getSourceFile(fileName);
  if (!sourceFile) return undefined;
  const analyze = (options: Parameters<typeof analyzeProgram>[1]) => analyzeProgram(program, options);
  const findings = reportedFindings(sourceFile, rules, analyze);
  return { program, sourceFile, findings, unresolvedCalls: () => reportedUnresolvedCalls(sourceFile, rules, analyze) };
}
