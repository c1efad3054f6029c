/**
 * The core's fixes are offsets into the text the program parsed; LSP edits are ranges in versioned documents.
 * Edits name the buffer version they were computed for, so a client rejects them if the buffer moved on.
 */
import type ts from 'typescript';
import type { TextDocuments, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextChange } from '../../core/types.js';
import { offsetRange } from './locations.js';
import { fileNameToUri, uriToFileName } from './paths.js';

export function workspaceEditFor(
  changes: readonly TextChange[],
  program: ts.Program,
  documents: TextDocuments<TextDocument>,
  useDocumentChanges: boolean,
): WorkspaceEdit {
  const byFile = new Map<string, TextEdit[]>();
  for (const change of changes) {
    const sourceFile = program.getSourceFile(change.fileName);
    if (!sourceFile) throw new Error(`the fix edits ${change.fileName}, which is not part of the project`);
    const edits = byFile.get(change.fileName) ?? [];
    edits.push({ range: offsetRange(sourceFile, change.start, change.end), newText: change.newText });
    byFile.set(change.fileName, edits);
  }
  const openUris = new Map(documents.all().map((document) => [uriToFileName(document.uri), document] as const));
  if (!useDocumentChanges) {
    return { changes: Object.fromEntries([...byFile].map(([fileName, edits]) => [openUris.get(fileName)?.uri ?? fileNameToUri(fileName), edits])) };
  }
  return {
    documentChanges: [...byFile].map(([fileName, edits]) => {
      const document = openUris.get(fileName);
      return {
        textDocument: { uri: document?.uri ?? fileNameToUri(fileName), version: document?.version ?? null },
        edits,
      };
    }),
  };
}

/** Insert `text` at the start of `line` (0-based) of a document. */
export function insertAtLine(document: TextDocument, line: number, text: string, useDocumentChanges: boolean): WorkspaceEdit {
  const edit: TextEdit = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: text };
  return useDocumentChanges
    ? { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: [edit] }] }
    : { changes: { [document.uri]: [edit] } };
}
