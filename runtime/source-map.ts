/**
 * Maps positions in an app's generated JavaScript back to its sources (TypeScript via `sourceMappingURL`),
 * and source lines forward to generated positions (coverage ranges are offsets in the generated code).
 * Decoding is done here, in the probe, so stacks, profiles and coverage all map the same way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** 0-based generated line/column → 0-based original source line/column. */
interface Segment {
  generatedLine: number;
  generatedColumn: number;
  source: string;
  originalLine: number;
  originalColumn: number;
}

export interface Position {
  /** Absolute file path. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((char, index) => [char, index]));

function decodeVlq(text: string, start: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  let index = start;
  for (;;) {
    const digit = BASE64_VALUE.get(text[index++]!);
    if (digit === undefined) throw new Error('invalid source map mappings');
    result += (digit & 31) << shift;
    shift += 5;
    if ((digit & 32) === 0) break;
  }
  return [result & 1 ? -(result >>> 1) : result >>> 1, index];
}

export function decodeMappings(mappings: string, sources: string[]): Segment[] {
  const segments: Segment[] = [];
  let generatedLine = 0;
  let sourceIndex = 0;
  let originalLine = 0;
  let originalColumn = 0;
  let index = 0;
  while (index < mappings.length) {
    let generatedColumn = 0;
    while (index < mappings.length && mappings[index] !== ';') {
      const fields: number[] = [];
      while (index < mappings.length && mappings[index] !== ',' && mappings[index] !== ';') {
        const [value, next] = decodeVlq(mappings, index);
        fields.push(value);
        index = next;
      }
      generatedColumn += fields[0] ?? 0;
      if (fields.length >= 4) {
        sourceIndex += fields[1]!;
        originalLine += fields[2]!;
        originalColumn += fields[3]!;
        segments.push({ generatedLine, generatedColumn, source: sources[sourceIndex]!, originalLine, originalColumn });
      }
      if (mappings[index] === ',') index++;
    }
    index++;
    generatedLine++;
  }
  return segments;
}

export interface SourceMapping {
  toOriginal(line: number, column: number): Position | null;
  /** 1-based generated lines/columns whose mapping starts on `line` of `file`. */
  generatedFor(file: string, line: number): Array<{ line: number; column: number }>;
}

function loadMapping(generatedFile: string): SourceMapping | null {
  let code: string;
  try {
    code = readFileSync(generatedFile, 'utf8');
  } catch {
    return null;
  }
  const reference = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
  if (!reference || reference.startsWith('data:') && !reference.includes('base64,')) return null;
  let payload: { sources: string[]; sourceRoot?: string; mappings: string };
  let mapDir: string;
  if (reference.startsWith('data:')) {
    payload = JSON.parse(Buffer.from(reference.slice(reference.indexOf('base64,') + 7), 'base64').toString('utf8'));
    mapDir = dirname(generatedFile);
  } else {
    const mapFile = resolve(dirname(generatedFile), decodeURIComponent(reference));
    if (!existsSync(mapFile)) return null;
    payload = JSON.parse(readFileSync(mapFile, 'utf8'));
    mapDir = dirname(mapFile);
  }
  const sources = payload.sources.map((source) =>
    source.startsWith('file://') ? fileURLToPath(source) : resolve(mapDir, payload.sourceRoot ?? '', source),
  );
  const segments = decodeMappings(payload.mappings, sources);
  const byGeneratedLine = new Map<number, Segment[]>();
  for (const segment of segments) {
    const list = byGeneratedLine.get(segment.generatedLine) ?? [];
    list.push(segment);
    byGeneratedLine.set(segment.generatedLine, list);
  }
  return {
    toOriginal(line, column) {
      const candidates = byGeneratedLine.get(line - 1);
      if (!candidates) return null;
      let best: Segment | undefined;
      for (const segment of candidates) if (segment.generatedColumn <= column - 1) best = segment;
      best ??= candidates[0];
      return best ? { file: best.source, line: best.originalLine + 1, column: best.originalColumn + 1 } : null;
    },
    generatedFor(file, line) {
      return segments
        .filter((segment) => segment.source === file && segment.originalLine === line - 1)
        .map((segment) => ({ line: segment.generatedLine + 1, column: segment.generatedColumn + 1 }));
    },
  };
}

/** Caches one mapping per generated file; files without a source map map to themselves. */
export class SourceMaps {
  private readonly cache = new Map<string, SourceMapping | null>();

  private mappingFor(generatedFile: string): SourceMapping | null {
    if (!this.cache.has(generatedFile)) this.cache.set(generatedFile, loadMapping(generatedFile));
    return this.cache.get(generatedFile)!;
  }

  /** `url` as V8 reports it (file URL or path), 1-based line/column. */
  toOriginal(url: string, line: number, column: number): Position | null {
    const file = toPath(url);
    if (!file) return null;
    const mapping = this.mappingFor(file);
    if (!mapping) return { file, line, column };
    return mapping.toOriginal(line, column);
  }

  /** Generated positions of a source line, in `generatedFile` (itself when it has no source map). */
  generatedFor(generatedFile: string, sourceFile: string, line: number): Array<{ line: number; column: number }> {
    const mapping = this.mappingFor(generatedFile);
    if (!mapping) return generatedFile === sourceFile ? [{ line, column: 0 }] : [];
    return mapping.generatedFor(sourceFile, line);
  }
}

export function toPath(url: string): string | null {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (url.startsWith('/')) return url;
  return null;
}
