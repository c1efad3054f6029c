/**
 * Per-file analysis results that outlive one program. An editor (or typescript-eslint's project service
 * in an editor) makes a new program on every keystroke, but unchanged files keep their SourceFile
 * objects: a file's handler scan and function summaries are reused as long as every file they were
 * computed against (the file itself, what it imports, what its calls resolved to) is still the same
 * object, and its imports resolve as they did. Memory follows the SourceFile objects (a WeakMap), so it
 * stays flat across edits.
 */
import type * as ts from 'typescript';
import type { FileHandlerScan } from './handlers.js';
import { resolvedImportNames } from './imports.js';
import type { FunctionSummary } from './summaries.js';

export interface FileCacheEntry {
  /** The files the results were computed against, by name, as the program had them. */
  readonly dependencies: Map<string, ts.SourceFile>;
  /** The file's resolved imports as computed (an import that named no file may name one later). */
  readonly imports: readonly string[];
  handlerScan: FileHandlerScan | undefined;
  readonly summaries: Map<ts.Node, FunctionSummary>;
}

const store = new WeakMap<ts.SourceFile, Map<string, FileCacheEntry>>();

function isCurrent(entry: FileCacheEntry, sourceFile: ts.SourceFile, program: ts.Program): boolean {
  if (resolvedImportNames(sourceFile, program) !== entry.imports) return false;
  for (const [fileName, sourceFile] of entry.dependencies) {
    if (program.getSourceFile(fileName) !== sourceFile) return false;
  }
  return true;
}

/** The cache entry of a file for the given options, fresh if anything it depended on changed. */
export function fileCacheEntry(program: ts.Program, sourceFile: ts.SourceFile, optionsKey: string): FileCacheEntry {
  let byOptions = store.get(sourceFile);
  if (!byOptions) {
    byOptions = new Map();
    store.set(sourceFile, byOptions);
  }
  const existing = byOptions.get(optionsKey);
  if (existing && isCurrent(existing, sourceFile, program)) return existing;
  const imports = resolvedImportNames(sourceFile, program);
  const entry: FileCacheEntry = { dependencies: new Map([[sourceFile.fileName, sourceFile]]), imports, handlerScan: undefined, summaries: new Map() };
  for (const fileName of imports) {
    const imported = program.getSourceFile(fileName);
    if (imported) entry.dependencies.set(fileName, imported);
  }
  byOptions.set(optionsKey, entry);
  return entry;
}

export function addDependencies(entry: FileCacheEntry, files: readonly ts.SourceFile[]): void {
  for (const file of files) entry.dependencies.set(file.fileName, file);
}
