/**
 * The adapter every blockcheck rule is: take the program from typescript-eslint's parser services (or
 * blockcheck's default program for untyped files), run the shared analysis core, and report this rule's
 * findings for the linted file. No analysis happens here.
 */
import * as path from 'node:path';
import type { TSESTree } from '@typescript-eslint/utils';
import { analyzeProgram, messageParts, MESSAGE_TEMPLATE, ruleDefinition, type AnalysisOptions, type Finding, type RuleName } from '../../core/index.js';
import { analysisOptionsSchema } from './options-schema.js';
import { createRule } from './create-rule.js';
import { programForFile } from './program-for-file.js';

export type MessageIds = 'blockingCall' | 'useAsyncAlternative';
export type Options = [AnalysisOptions];

function toLoc(finding: Finding): TSESTree.SourceLocation {
  return {
    start: { line: finding.line, column: finding.column - 1 },
    end: { line: finding.endLine, column: finding.endColumn - 1 },
  };
}

/** The rule named in the rule table: its description and suggestions come from there. */
export function createBlockcheckRule(name: RuleName) {
  const { description, suggestsFixes } = ruleDefinition(name);
  return createRule<Options, MessageIds>({
    name,
    meta: {
      type: 'problem',
      docs: { description, recommended: true, requiresTypeChecking: true },
      hasSuggestions: suggestsFixes,
      messages: {
        blockingCall: MESSAGE_TEMPLATE,
        useAsyncAlternative: '{{description}}',
      },
      schema: [analysisOptionsSchema],
      defaultOptions: [{}],
    },
    create(context, [options]) {
      const sourceCode = context.sourceCode;
      return {
        Program() {
          // ESLint passes absolute file names; rule testers may pass them relative to the cwd.
          const fileName = path.resolve(context.cwd, context.filename);
          const target = programForFile(sourceCode.parserServices, fileName, sourceCode.text);
          if (!target) return;
          const findings = analyzeProgram(target.program, options).findingsInFile(target.sourceFile.fileName);
          for (const finding of findings) {
            if (finding.rule !== name) continue;
            const fix = finding.fix;
            const edits = fix?.changes.filter((change) => change.fileName === target.sourceFile.fileName) ?? [];
            context.report({
              loc: toLoc(finding),
              messageId: 'blockingCall',
              data: { ...messageParts(finding, context.cwd) },
              suggest:
                suggestsFixes && fix && edits.length === fix.changes.length
                  ? [
                      {
                        messageId: 'useAsyncAlternative',
                        data: { description: fix.description },
                        fix: (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.newText)),
                      },
                    ]
                  : null,
            });
          }
        },
      };
    },
  });
}
