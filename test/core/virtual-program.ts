/** A TypeScript program over in-memory files (libs and node_modules still come from disk). */
import * as path from 'node:path';
import ts from 'typescript';
import { defaultCompilerOptions } from '../../core/index.js';
import { REPO_ROOT } from '../fixture-expectations.js';

export const VIRTUAL_ROOT = path.join(REPO_ROOT, 'test', 'projects', 'virtual');

const parsed = new Map<string, ts.SourceFile>();
const parsedFromDisk = new Map<string, ts.SourceFile>();

/** `oldProgram` lets unchanged files keep their SourceFile objects, as an editor's next program does. */
export function virtualProgram(files: Record<string, string>, oldProgram?: ts.Program): ts.Program {
  const options = defaultCompilerOptions(REPO_ROOT);
  const host = ts.createCompilerHost(options, true);
  const byPath = new Map(Object.entries(files).map(([name, text]) => [path.join(VIRTUAL_ROOT, name), text]));
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => byPath.has(name) || fileExists(name);
  host.readFile = (name) => byPath.get(name) ?? readFile(name);
  host.getSourceFile = (name, version, onError, shouldCreate) => {
    const text = byPath.get(name);
    if (text === undefined) {
      // Files on disk (libs, node_modules) do not change while the tests run: one object each, as an
      // editor's document registry keeps them.
      let fromDisk = parsedFromDisk.get(name);
      if (!fromDisk) {
        fromDisk = getSourceFile(name, version, onError, shouldCreate);
        if (fromDisk) parsedFromDisk.set(name, fromDisk);
      }
      return fromDisk;
    }
    // Like an editor's document registry: the same text gives back the same SourceFile object.
    const cached = parsed.get(name);
    if (cached?.text === text) return cached;
    const sourceFile = ts.createSourceFile(name, text, version, true);
    parsed.set(name, sourceFile);
    return sourceFile;
  };
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => name === VIRTUAL_ROOT || name.startsWith(`${VIRTUAL_ROOT}${path.sep}`) || (directoryExists?.(name) ?? false);
  host.getCurrentDirectory = () => VIRTUAL_ROOT;
  return ts.createProgram({ rootNames: [...byPath.keys()], options, host, ...(oldProgram ? { oldProgram } : {}) });
}

export function virtualPath(name: string): string {
  return path.join(VIRTUAL_ROOT, name);
}
