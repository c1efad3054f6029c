/**
 * Runs the analysis core on a project's current program and keeps what the engine reports for the file: the
 * same rules, suppressions and severities as ESLint and the CLI.
 */
import type ts from 'typescript';
import { analyzeProgram } from '../../core/index.js';
import type { RuleSettings } from '../../engine/eslint-config.js';
import { reportedFindings, type ReportedFinding } from '../../engine/reported-findings.js';
import type { TsProject } from './ts-project.js';

export interface FileAnalysis {
  program: ts.Program;
  sourceFile: ts.SourceFile;
  findings: readonly ReportedFinding[];
}

export function analyzeFile(project: TsProject, fileName: string, rules: RuleSettings): FileAnalysis | undefined {
  const program = project.program();
  const sourceFile = program.getSourceFile(fileName);
  if (!sourceFile) return undefined;
  const findings = reportedFindings(sourceFile, rules, (options) => analyzeProgram(program, options));
  return { program, sourceFile, findings };
}
