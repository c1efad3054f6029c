/**
 * Turns the core's 1-based line/column positions and file offsets into LSP ranges, using the text the program
 * parsed (which is exactly the text the positions refer to, even while the buffer has moved on).
 */
import ts from 'typescript';
import type { Range } from 'vscode-languageserver';

export function offsetRange(sourceFile: ts.SourceFile, start: number, end: number): Range {
  return { start: sourceFile.getLineAndCharacterOfPosition(start), end: sourceFile.getLineAndCharacterOfPosition(end) };
}

/** The identifier (or dotted name) starting at a 1-based position; empty when nothing name-like is there. */
export function nameRangeAt(sourceFile: ts.SourceFile | undefined, line: number, column: number): Range {
  const start = { line: line - 1, character: column - 1 };
  if (!sourceFile || line < 1 || line > sourceFile.getLineStarts().length) return { start, end: start };
  let offset: number;
  try {
    offset = ts.getPositionOfLineAndCharacter(sourceFile, line - 1, Math.max(0, column - 1));
  } catch {
    return { start, end: start };
  }
  let end = offset;
  while (end < sourceFile.text.length && /[\w$.]/.test(sourceFile.text[end]!)) end++;
  return offsetRange(sourceFile, offset, end);
}
