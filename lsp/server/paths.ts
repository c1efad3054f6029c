/**
 * Conversions between LSP document URIs and the file names TypeScript uses (absolute, forward slashes).
 * Only `file:` URIs name files the analysis can see; every other scheme (untitled, git, ...) maps to undefined.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';

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

/** TypeScript names files with forward slashes on every platform. */
export function toTsPath(fileName: string): string {
  return path.resolve(fileName).replace(/\\/g, '/');
}

/** Whether `fileName` is `dir` or inside it. */
export function isInside(fileName: string, dir: string): boolean {
  const rel = path.relative(dir, fileName);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const ANALYSED_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** JS/TS sources, excluding declaration files (they contain no code that runs). */
export function isAnalysedSource(fileName: string): boolean {
  if (isDeclarationFile(fileName)) return false;
  return ANALYSED_EXTENSIONS.includes(path.extname(fileName).toLowerCase());
}

export function isDeclarationFile(fileName: string): boolean {
  return /\.d\.[cm]?ts$/.test(fileName);
}

/** `tsconfig.json`, `tsconfig.build.json`, `jsconfig.json` ...: files that define projects. */
export function isProjectConfig(fileName: string): boolean {
  return /^(?:tsconfig|jsconfig).*\.json$/.test(path.basename(fileName));
}
