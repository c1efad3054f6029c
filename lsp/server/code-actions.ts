/**
 * Code actions on a blockcheck finding: the rewrite to the async alternative (the core's fix, preferred since
 * the core only offers it when it is safe), disable comments for the line and for the file, and the rule's
 * documentation.
 */
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from './diagnostics.js';
import { insertAtLine } from './edits.js';
import { offsetRange } from './locations.js';
import { Commands } from './protocol.js';
import { ruleDocUrl, ruleId } from './rule-docs.js';
import type { AnalyzedDocument } from './workspace.js';

/** What `blockcheck.applyFix` needs to find the finding again, in the buffer version it was offered for. */
export interface ApplyFixArguments {
  uri: string;
  version: number;
  patternId: string;
  start: number;
  end: number;
}

export function codeActionsFor(analyzed: AnalyzedDocument, document: TextDocument, range: Range, useDocumentChanges: boolean): CodeAction[] {
  const { analysis } = analyzed;
  const actions: CodeAction[] = [];
  const disabledRules = new Set<string>();
  for (const reported of analysis.findings) {
    const { finding } = reported;
    if (!overlaps(offsetRange(analysis.sourceFile, finding.start, finding.end), range)) continue;
    const diagnostic = toDiagnostic(reported, analysis.program, analyzed.cwd);
    const rule = ruleId(finding.rule);
    // Offsets refer to the analyzed text; edits are only safe when the buffer still holds exactly that text.
    if (analyzed.matchesBuffer) {
      if (finding.fix) {
        const args: ApplyFixArguments = {
          uri: document.uri,
          version: document.version,
          patternId: finding.patternId,
          start: finding.start,
          end: finding.end,
        };
        actions.push({
          title: finding.fix.description,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          command: { title: finding.fix.description, command: Commands.applyFix, arguments: [args] },
        });
      }
      const line = finding.line - 1;
      const indent = /^[ \t]*/.exec(document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }))![0];
      actions.push({
        title: `Disable ${rule} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: insertAtLine(document, line, `${indent}// eslint-disable-next-line ${rule}\n`, useDocumentChanges),
      });
      if (!disabledRules.has(rule)) {
        disabledRules.add(rule);
        actions.push({
          title: `Disable ${rule} for this file`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: insertAtLine(document, 0, `/* eslint-disable ${rule} */\n`, useDocumentChanges),
        });
      }
    }
    const url = ruleDocUrl(finding.rule);
    if (url && !actions.some((action) => action.command?.command === Commands.showDocumentation && action.command.arguments?.[0] === url)) {
      actions.push({
        title: `Show documentation for ${rule}`,
        kind: CodeActionKind.QuickFix,
        command: { title: `Show documentation for ${rule}`, command: Commands.showDocumentation, arguments: [url] },
      });
    }
  }
  return actions;
}

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
