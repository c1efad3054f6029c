/**
 * Conversions between LSP document URIs and the file names TypeScript uses (absolute, forward slashes).
 * Only `file:` URIs name files the analysis can see; every other scheme (untitled, git, ...) maps to undefined.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { toTsPath } from '../../engine/paths.js';

export function uriToFileName(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return toTsPath(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function fileNameToUri(fileName: string): string {
  return pathToFileURL(fileName).href;
}

/** Whether `fileName` is `dir` or inside it. */
export function isInside(fileName: string, dir: string): boolean {
  const rel = path.relative(dir, fileName);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `tsconfig.json`, `tsconfig.build.json`, `jsconfig.json` ...: files that define projects. */
export function isProjectConfig(fileName: string): boolean {
  return /^(?:tsconfig|jsconfig).*\.json$/.test(path.basename(fileName));
}
