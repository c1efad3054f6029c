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

  /** Innermost coverage ranges containing `file:line:column` (as `executions` reads it), one per script and mapped position. */
  private innermostAt(
    file: string,
    line: number,
    column: number,
  ): Array<{ script: ScriptCoverage; text: string; startOffset: number; count: number; isFunction: boolean }> {
    const found: Array<{ script: ScriptCoverage; text: string; startOffset: number; count: number; isFunction: boolean }> = [];
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
        let innermost: { size: number; startOffset: number; count: number } | null = null;
        let innermostFunction: { size: number; startOffset: number } | null = null;
        for (const fn of script.functions) {
          for (const [index, range] of fn.ranges.entries()) {
            if (!(range.startOffset <= offset && offset < range.endOffset)) continue;
            const size = range.endOffset - range.startOffset;
            if (!innermost || size <= innermost.size) innermost = { size, startOffset: range.startOffset, count: range.count };
            // A function's first range is the function itself.
            if (index === 0 && (!innermostFunction || size <= innermostFunction.size)) innermostFunction = { size, startOffset: range.startOffset };
          }
        }
        if (innermost)
          found.push({
            script,
            text,
            startOffset: innermostFunction?.startOffset ?? 0,
            count: innermost.count,
            isFunction: innermostFunction !== null,
          });
      }
    }
    return found;
  }

  /**
   * Executions of `file:line:column` (absolute path, 1-based; column 0: the line's first code) during the
   * window; null when no loaded script maps to it. Through a source map, the most-run position of the line.
   */
  executions(file: string, line: number, column = 0): number | null {
    const counts = this.innermostAt(file, line, column).map((range) => range.count);
    return counts.length > 0 ? Math.max(...counts) : null;
  }

  /**
   * The innermost function around `file:line:column` (absolute source path, 1-based), as `url#startOffset`
   * of its generated script; null when no loaded script maps to it.
   */
  functionAt(file: string, line: number, column = 0): string | null {
    const range = this.innermostAt(file, line, column).find((candidate) => candidate.isFunction);
    return range ? `${range.script.url}#${range.startOffset}` : null;
  }

  /**
   * The innermost function around a position of a generated script (0-based, as the CPU profile gives a
   * function's start), in `functionAt`'s form. A profile's frame starts at the parameters, coverage's range
   * at the `function` keyword: matching by containment tells them to be the same function.
   */
  functionAtGenerated(url: string, line0: number, column0: number): string | null {
    const script = this.scripts.find((candidate) => candidate.url === url);
    const path = toPath(url);
    const text = path ? this.lineStarts(path) : null;
    if (!script || text === null) return null;
    const offset = this.offsetOf(text, line0 + 1, column0 + 1);
    if (offset === null) return null;
    let innermost: { size: number; startOffset: number } | null = null;
    for (const fn of script.functions) {
      const range = fn.ranges[0];
      if (!range || !(range.startOffset <= offset && offset < range.endOffset)) continue;
      const size = range.endOffset - range.startOffset;
      if (!innermost || size <= innermost.size) innermost = { size, startOffset: range.startOffset };
    }
    return innermost ? `${url}#${innermost.startOffset}` : null;
  }
}
