/** A TypeScript program over in-memory files (libs and node_modules still come from disk). */
import * as path from 'node:path';
import * as ts from 'typescript';
import { defaultCompilerOptions } from '../../rules/analysis/index.js';
import { REPO_ROOT } from '../fixture-expectations.js';

export const VIRTUAL_ROOT = path.join(REPO_ROOT, 'test', 'projects', 'virtual');

export function virtualProgram(files: Record<string, string>): ts.Program {
  const options = defaultCompilerOptions(REPO_ROOT);
  const host = ts.createCompilerHost(options, true);
  const byPath = new Map(Object.entries(files).map(([name, text]) => [path.join(VIRTUAL_ROOT, name), text]));
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => byPath.has(name) || fileExists.call(host, name);
  host.readFile = (name) => byPath.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, onError, shouldCreate) => {
    const text = byPath.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, version, true) : getSourceFile.call(host, name, version, onError, shouldCreate);
  };
  host.getCurrentDirectory = () => VIRTUAL_ROOT;
  return ts.createProgram({ rootNames: [...byPath.keys()], options, host });
}

export function virtualPath(name: string): string {
  return path.join(VIRTUAL_ROOT, name);
}
