/**
 * Maps positions in an app's generated JavaScript back to its sources (TypeScript via `sourceMappingURL`),
 * and source lines forward to generated positions (coverage ranges are offsets in the generated code).
 * Decoding is @jridgewell/trace-mapping's (plain and index maps), done here in the probe so stacks, profiles
 * and coverage all map the same way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { FlattenMap, GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, eachMapping, originalPositionFor } from '@jridgewell/trace-mapping';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Position {
  /** Absolute file path. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
}

export interface SourceMapping {
  toOriginal(line: number, column: number): Position | null;
  /** 1-based generated lines/columns whose mapping starts on `line` of `file`. */
  generatedFor(file: string, line: number): Array<{ line: number; column: number }>;
}

/* eslint-disable blockcheck/no-sync-io -- real: watch.ts's profile timer reaches it inside the watched app; left to the probe work (#18) */
function loadMapping(generatedFile: string): SourceMapping | null {
  let code: string;
  try {
    code = readFileSync(generatedFile, 'utf8');
  } catch {
    return null;
  }
  const reference = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
  if (!reference || (reference.startsWith('data:') && !reference.includes('base64,'))) return null;
  let payload: string;
  let mapFile: string;
  if (reference.startsWith('data:')) {
    payload = Buffer.from(reference.slice(reference.indexOf('base64,') + 7), 'base64').toString('utf8');
    mapFile = generatedFile;
  } else {
    mapFile = resolve(dirname(generatedFile), decodeURIComponent(reference));
    if (!existsSync(mapFile)) return null;
    payload = readFileSync(mapFile, 'utf8');
  }
  // FlattenMap reads plain and index (sectioned) maps alike, resolving sources against the map's location.
  const map = new FlattenMap(payload, mapFile);
  const sourcePath = (source: string) => (source.startsWith('file://') ? fileURLToPath(source) : resolve(source));
  let bySourceLine: Map<string, Array<{ line: number; column: number }>> | undefined;
  return {
    toOriginal(line, column) {
      // The segment starting at or before the column; a column before the line's first segment takes that one.
      const needle = { line, column: column - 1 };
      let original = originalPositionFor(map, { ...needle, bias: GREATEST_LOWER_BOUND });
      if (original.source === null) original = originalPositionFor(map, { ...needle, bias: LEAST_UPPER_BOUND });
      if (original.source === null) return null;
      return { file: sourcePath(original.source), line: original.line, column: original.column + 1 };
    },
    generatedFor(file, line) {
      if (!bySourceLine) {
        const index = new Map<string, Array<{ line: number; column: number }>>();
        eachMapping(map, (mapping) => {
          if (mapping.source === null) return;
          const key = `${sourcePath(mapping.source)}:${mapping.originalLine}`;
          const list = index.get(key) ?? [];
          list.push({ line: mapping.generatedLine, column: mapping.generatedColumn + 1 });
          index.set(key, list);
        });
        bySourceLine = index;
      }
      return bySourceLine.get(`${file}:${line}`) ?? [];
    },
  };
}
/* eslint-enable blockcheck/no-sync-io */

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
