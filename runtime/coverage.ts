/**
 * How many times a source position ran, from V8 block coverage: the count of the innermost block containing
 * it, in whichever generated script maps to the source file. The position is the finding's column, not the
 * line's first character: on `app.get('/x', (req, res) => res.end(readFileSync(f)))` the start of the
 * line is registration code that ran once at start-up, the call is in the handler.
 */
import { readFileSync } from 'node:fs';
import type { ScriptCoverage } from './protocol.js';
import { SourceMaps, toPath } from './source-map.js';

export class LineCoverage {
  private readonly texts = new Map<string, string | null>();

  constructor(
    private readonly scripts: ScriptCoverage[],
    private readonly sourceMaps: SourceMaps,
  ) {}

  private lineStarts(file: string): string | null {
    if (!this.texts.has(file)) {
      try {
        this.texts.set(file, readFileSync(file, 'utf8'));
      } catch {
        this.texts.set(file, null);
      }
    }
    return this.texts.get(file)!;
  }

  private offsetOf(text: string, line: number, column: number): number | null {
    let offset = 0;
    for (let current = 1; current < line; current++) {
      offset = text.indexOf('\n', offset) + 1;
      if (offset === 0) return null;
    }
    if (column > 0) return offset + column - 1;
    // Whole line: its first non-blank character.
    const firstCode = /\S/.exec(text.slice(offset, text.indexOf('\n', offset) >>> 0));
    return firstCode ? offset + firstCode.index : offset;
  }

  /**
   * Executions of `file:line:column` (absolute path, 1-based; column 0: the line's first code) during the
   * window; null when no loaded script maps to it. Through a source map, the most-run position of the line.
   */
  executions(file: string, line: number, column = 0): number | null {
    let best: number | null = null;
    for (const script of this.scripts) {
      const generatedFile = toPath(script.url);
      if (!generatedFile) continue;
      const positions = this.sourceMaps.generatedFor(generatedFile, file, line).map((position) =>
        // Without a source map the file is its own: the finding's column is the generated one.
        position.column === 0 && generatedFile === file ? { ...position, column } : position,
      );
      if (positions.length === 0) continue;
      const text = this.lineStarts(generatedFile);
      if (text === null) continue;
      for (const position of positions) {
        const offset = this.offsetOf(text, position.line, position.column);
        if (offset === null) continue;
        let innermost: { size: number; count: number } | null = null;
        for (const fn of script.functions) {
          for (const range of fn.ranges) {
            if (range.startOffset <= offset && offset < range.endOffset) {
              const size = range.endOffset - range.startOffset;
              if (!innermost || size <= innermost.size) innermost = { size, count: range.count };
            }
          }
        }
        if (innermost) best = Math.max(best ?? 0, innermost.count);
      }
    }
    return best;
  }
}
