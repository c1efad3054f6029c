import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { TextSnapshot, changedRange } from '../../lsp/server/text-snapshot.js';

/** Applying the range to the old text must give the new text, or TypeScript's incremental parse goes wrong. */
function apply(oldText: string, newText: string): string {
  const range = changedRange(oldText, newText);
  const inserted = newText.slice(range.span.start, range.span.start + range.newLength);
  return oldText.slice(0, range.span.start) + inserted + oldText.slice(ts.textSpanEnd(range.span));
}

describe('changedRange', () => {
  const cases: Array<[string, string, string]> = [
    ['insertion', 'const a = 1;', 'const ab = 1;'],
    ['deletion', 'const abc = 1;', 'const a = 1;'],
    ['replacement', 'fs.readFileSync(x)', 'await fs.promises.readFile(x)'],
    ['repeated characters', 'aaaa', 'aaaaaa'],
    ['from empty', '', 'x'],
    ['to empty', 'x', ''],
    ['identical', 'same', 'same'],
  ];
  for (const [name, oldText, newText] of cases) {
    it(`spans exactly the change: ${name}`, () => {
      assert.equal(apply(oldText, newText), newText);
    });
  }

  it('lets TypeScript reparse incrementally to the same tree as a full parse', () => {
    const oldText = 'function handler() {\n  return fs.readFileSync("a");\n}\n';
    const newText = 'function handler() {\n  return fs.readFileSync("ab") + 1;\n}\n';
    const oldSnapshot = new TextSnapshot(oldText);
    const newSnapshot = new TextSnapshot(newText);
    const original = ts.createLanguageServiceSourceFile('a.ts', oldSnapshot, ts.ScriptTarget.Latest, '1', true);
    const updated = ts.updateLanguageServiceSourceFile(original, newSnapshot, '2', newSnapshot.getChangeRange(oldSnapshot));
    const full = ts.createSourceFile('a.ts', newText, ts.ScriptTarget.Latest, true);
    const shape = (node: ts.Node): string => `${ts.SyntaxKind[node.kind]}(${node.getChildren().map(shape).join(',')})`;
    assert.equal(shape(updated), shape(full));
  });
});
