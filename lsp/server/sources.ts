/**
 * The text every TypeScript project sees for a file: the analyzed text of an open buffer when there is one,
 * otherwise the file on disk (read once per change). Each file carries a version that changes only when its
 * text may have changed, which is what lets the LanguageService keep every other parsed file.
 */
import * as path from 'node:path';
import ts from 'typescript';
import { isSourceFile } from '../../core/index.js';
import { TextSnapshot } from './text-snapshot.js';

/**
 * A source of the user's longer than this (a generated bundle, a data file) takes seconds to parse, bind and
 * analyze. The language server analyzes such a file alone, in a worker thread (large-file-analyzer.ts), and its
 * projects see it as an empty module, so no request waits for it. Declaration files (lib.dom.d.ts is over
 * 2 MB) and installed packages are never cut out: the types of every other file depend on them.
 */
export const LARGE_FILE_CHARS = 1_000_000;

const EMPTY = new TextSnapshot('');

export class SourceStore {
  /** Bumped on every change to any file; projects use it as their project version. */
  private generation = 0;
  /** Bumped when files may have appeared or vanished, or a package.json changed: what module resolution depends on. */
  private layout = 0;
  private readonly versions = new Map<string, number>();
  private readonly buffers = new Map<string, TextSnapshot>();
  private readonly disk = new Map<string, TextSnapshot | null>();
  /** Every folder holding a file in `versions` or `disk`, up to the root. */
  private readonly knownFolders = new Set<string>();

  /** `largeFileChars`: sources longer than this are seen as empty (the worker that analyzes them sees all). */
  constructor(private readonly largeFileChars = Number.POSITIVE_INFINITY) {}

  get projectGeneration(): number {
    return this.generation;
  }

  /** Resolutions (and package.json lookups) cached under one layout generation stay true until it changes. */
  get layoutGeneration(): number {
    return this.layout;
  }

  /** A file was created or deleted on disk, or a package.json changed. */
  layoutChanged(): void {
    this.layout++;
  }

  version(fileName: string): string {
    return String(this.versions.get(fileName) ?? 0);
  }

  snapshot(fileName: string): ts.IScriptSnapshot | undefined {
    return this.isLarge(fileName) ? EMPTY : this.fullSnapshot(fileName);
  }

  /** Whether the file is one of the user's sources and over the large-file limit (its projects see it as empty). */
  isLarge(fileName: string): boolean {
    if (this.largeFileChars === Number.POSITIVE_INFINITY || !isSourceFile(fileName) || fileName.includes('/node_modules/')) return false;
    return (this.fullSnapshot(fileName)?.text.length ?? 0) > this.largeFileChars;
  }

  private fullSnapshot(fileName: string): TextSnapshot | undefined {
    const buffer = this.buffers.get(fileName);
    if (buffer) return buffer;
    let cached = this.disk.get(fileName);
    if (cached === undefined) {
      this.noteKnown(fileName);
      const text = ts.sys.readFile(fileName);
      cached = text === undefined ? null : new TextSnapshot(text);
      this.disk.set(fileName, cached);
    }
    return cached ?? undefined;
  }

  text(fileName: string): string | undefined {
    return this.buffers.get(fileName)?.text ?? ts.sys.readFile(fileName);
  }

  fileExists(fileName: string): boolean {
    return this.buffers.has(fileName) || ts.sys.fileExists(fileName);
  }

  isBuffered(fileName: string): boolean {
    return this.buffers.has(fileName);
  }

  /** The analyzed text of an open buffer changed (every edit on type, or each save in on-save mode). */
  setBuffer(fileName: string, text: string): void {
    const previous = this.buffers.get(fileName);
    if (previous?.text === text) return;
    // A buffer opened for a file not on disk makes imports of it resolve; typing in it changes nothing.
    if (!previous && !ts.sys.fileExists(fileName)) this.layout++;
    this.buffers.set(fileName, new TextSnapshot(text));
    this.bump(fileName);
  }

  /** The buffer closed: the file on disk is the truth again. */
  closeBuffer(fileName: string): void {
    if (!this.buffers.delete(fileName)) return;
    if (!ts.sys.fileExists(fileName)) this.layout++;
    this.disk.delete(fileName);
    this.bump(fileName);
  }

  /** The file changed, appeared or vanished on disk. An open buffer still wins until it closes. */
  diskChanged(fileName: string): void {
    this.disk.delete(fileName);
    if (!this.buffers.has(fileName)) this.bump(fileName);
  }

  /**
   * Paths created or deleted on disk, any of which may be a folder: an editor may report a folder moved in
   * or deleted as that one path, with no event for the files inside. Forgets the disk text of every file
   * read from under them; true when there was one. Most such paths (logs, temporary files) hold no file
   * read, which the folders of the files read tell at once.
   */
  forgetUnder(paths: ReadonlySet<string>): boolean {
    const folders = new Set([...paths].filter((name) => this.knownFolders.has(name)));
    if (folders.size === 0) return false;
    const forget = [...new Set([...this.disk.keys(), ...this.versions.keys()])].filter((fileName) => isUnder(fileName, folders));
    for (const fileName of forget) this.diskChanged(fileName);
    return forget.length > 0;
  }

  /** Records the folders of a file seen for the first time. */
  private noteKnown(fileName: string): void {
    if (this.disk.has(fileName) || this.versions.has(fileName)) return;
    for (let dir = path.posix.dirname(fileName); !this.knownFolders.has(dir); dir = path.posix.dirname(dir)) {
      this.knownFolders.add(dir);
      if (path.posix.dirname(dir) === dir) break;
    }
  }

  private bump(fileName: string): void {
    this.noteKnown(fileName);
    this.versions.set(fileName, (this.versions.get(fileName) ?? 0) + 1);
    this.generation++;
  }
}

/** Whether a file lies under one of the folders (TypeScript-style paths: absolute, forward slashes). */
function isUnder(fileName: string, folders: ReadonlySet<string>): boolean {
  for (let dir = path.posix.dirname(fileName); ; dir = path.posix.dirname(dir)) {
    if (folders.has(dir)) return true;
    if (path.posix.dirname(dir) === dir) return false;
  }
}
