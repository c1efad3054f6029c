/**
 * A script snapshot that can tell TypeScript which span changed since an older snapshot of the same file, so an
 * edit re-parses incrementally instead of re-parsing the whole file.
 */
import ts from 'typescript';

export class TextSnapshot implements ts.IScriptSnapshot {
  constructor(readonly text: string) {}

  getText(start: number, end: number): string {
    return this.text.substring(start, end);
  }

  getLength(): number {
    return this.text.length;
  }

  getChangeRange(oldSnapshot: ts.IScriptSnapshot): ts.TextChangeRange | undefined {
    // Without the old text (a foreign snapshot) TypeScript falls back to a full parse.
    if (!(oldSnapshot instanceof TextSnapshot)) return undefined;
    return changedRange(oldSnapshot.text, this.text);
  }
}

/** The smallest span of `oldText` whose replacement yields `newText` (common prefix and suffix removed). */
export function changedRange(oldText: string, newText: string): ts.TextChangeRange {
  const shorter = Math.min(oldText.length, newText.length);
  let prefix = 0;
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) {
    suffix++;
  }
  const oldSpan = ts.createTextSpanFromBounds(prefix, oldText.length - suffix);
  return ts.createTextChangeRange(oldSpan, newText.length - suffix - prefix);
}
