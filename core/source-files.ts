/**
 * Which files are JavaScript/TypeScript sources the analysis reads: the one list of extensions every front
 * end (CLI discovery, the language server's watchers, the ESLint plugin's `files`) and the default program use.
 */
import * as path from 'node:path';

export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The same extensions as a glob (`**\/*.{ts,tsx,...}`), for ESLint `files` and LSP file watchers. */
export const SOURCE_FILES_GLOB = `**/*.{${SOURCE_EXTENSIONS.map((extension) => extension.slice(1)).join(',')}}`;

export function isDeclarationFile(fileName: string): boolean {
  return /\.d\.[cm]?ts$/.test(fileName);
}

/** JS/TS sources, declaration files excepted (they hold no code that runs). */
export function isSourceFile(fileName: string): boolean {
  return !isDeclarationFile(fileName) && SOURCE_EXTENSIONS.includes(path.extname(fileName));
}
