/**
 * A project too large for one program is audited as several, built one after another, each released before
 * the next: one program holds the parsed and bound source of all its files until the audit ends (82 MB of
 * source in Next.js's package came to 3.8 GiB). A split never separates what a chain can cross: the parts
 * are the connected groups of the import graph (a `.d.ts` goes with the JavaScript beside it, which
 * `implementationOf` follows), and a folder is never split (its worker files and the classes found by name
 * are looked for among the program's files). Parts are packed into programs of up to a budget of source.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { implementationFileName } from '../core/index.js';
import { toTsPath } from '../engine/paths.js';
import type { ProjectSpec } from './project.js';

/**
 * Bytes of source per program. Parsed, bound and analysed, a byte of source takes about 40 bytes of heap,
 * so a program of this size stays under a gigabyte (a single import group larger than this stays whole).
 */
export const PROGRAM_SOURCE_BUDGET = 16_000_000;

/** The project as one spec per program, in file order; one spec (the same) when its source fits the budget. */
export function splitProject(spec: ProjectSpec, budget: number = PROGRAM_SOURCE_BUDGET): ProjectSpec[] {
  const sizes = new Map(spec.rootNames.map((fileName) => [fileName, sizeOf(fileName)]));
  let total = 0;
  for (const size of sizes.values()) total += size;
  if (total <= budget) return [spec];

  const groups = new UnionFind();
  const firstInFolder = new Map<string, string>();
  for (const fileName of spec.rootNames) {
    groups.add(fileName);
    const folder = path.posix.dirname(fileName);
    const neighbour = firstInFolder.get(folder);
    if (neighbour === undefined) firstInFolder.set(folder, fileName);
    else groups.union(fileName, neighbour);
  }
  for (const [fileName, imported] of importEdges(spec)) {
    if (sizes.has(imported)) groups.union(fileName, imported);
  }

  const members = new Map<string, string[]>();
  for (const fileName of spec.rootNames) {
    const group = groups.find(fileName);
    const list = members.get(group);
    if (list) list.push(fileName);
    else members.set(group, [fileName]);
  }
  // Groups in the order of their first file, so a program holds neighbouring folders.
  const parts: string[][] = [];
  let current: string[] = [];
  let currentSize = 0;
  for (const files of members.values()) {
    const size = files.reduce((sum, fileName) => sum + sizes.get(fileName)!, 0);
    if (current.length > 0 && currentSize + size > budget) {
      parts.push(current);
      current = [];
      currentSize = 0;
    }
    current.push(...files);
    currentSize += size;
  }
  parts.push(current);
  return parts.map((rootNames) => ({ ...spec, rootNames }));
}

function sizeOf(fileName: string): number {
  try {
    return statSync(fileName).size;
  } catch {
    return 0; // The program reports why it cannot be read.
  }
}

/**
 * Each root file's resolved imports (`import`, `export ... from`, `require()`, `import()`, `/// <reference>`),
 * found by TypeScript's pre-processing scanner without parsing. An import of a `.d.ts` also names the
 * JavaScript beside it.
 */
function* importEdges(spec: ProjectSpec): Generator<[string, string]> {
  const host: ts.ModuleResolutionHost = ts.sys;
  const cache = ts.createModuleResolutionCache(ts.sys.getCurrentDirectory(), (fileName) => fileName, spec.options);
  for (const fileName of spec.rootNames) {
    let text: string;
    try {
      text = readFileSync(fileName, 'utf8');
    } catch {
      continue;
    }
    const { importedFiles, referencedFiles } = ts.preProcessFile(text, true, true);
    for (const reference of referencedFiles) yield [fileName, toTsPath(path.resolve(path.dirname(fileName), reference.fileName))];
    const mode = ts.getImpliedNodeFormatForFile(fileName, cache.getPackageJsonInfoCache(), host, spec.options);
    for (const { fileName: specifier } of importedFiles) {
      // A CommonJS file's import() and an ES module's createRequire() resolve in the other mode.
      const resolved =
        ts.resolveModuleName(specifier, fileName, spec.options, host, cache, undefined, mode).resolvedModule ??
        ts.resolveModuleName(
          specifier,
          fileName,
          spec.options,
          host,
          cache,
          undefined,
          mode === ts.ModuleKind.ESNext ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
        ).resolvedModule;
      if (!resolved) continue;
      const target = toTsPath(resolved.resolvedFileName);
      yield [fileName, target];
      const implementation = implementationFileName(target);
      if (implementation !== target) yield [fileName, implementation];
    }
  }
}

class UnionFind {
  private readonly parents = new Map<string, string>();

  add(item: string): void {
    if (!this.parents.has(item)) this.parents.set(item, item);
  }

  find(item: string): string {
    let root = item;
    while (this.parents.get(root) !== root) root = this.parents.get(root)!;
    // Path compression: every item on the way points at the root.
    for (let next = item; next !== root;) {
      const parent = this.parents.get(next)!;
      this.parents.set(next, root);
      next = parent;
    }
    return root;
  }

  union(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parents.set(rootA, rootB);
  }
}
