/**
 * Telling a folder that appeared in the workspace apart from one nothing here cares about. An editor may
 * report a folder moved or copied in as that one path, with no event for the files inside.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAnalysedSource, isDeclarationFile, isProjectConfig } from './paths.js';

/** Entries of a folder looked at before it is taken to hold something watched (a big tree most likely does). */
const FOLDER_SEARCH_LIMIT = 2_000;

/**
 * Whether a path is a folder holding sources or layout files. Other folders (logs, caches, a repository's
 * internals) are created all the time, and reloading the projects for them would be wasted.
 */
export function holdsWatchedFiles(folder: string, limit = FOLDER_SEARCH_LIMIT): boolean {
  const pending = [folder];
  let seen = 0;
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      // Not a folder (a file no other watcher matches), or gone again.
      continue;
    }
    for (const entry of entries) {
      if (++seen > limit) return true;
      if (entry.isDirectory()) pending.push(path.join(dir, entry.name));
      // Declaration files, package.json and project configs decide types, module formats and projects.
      else if (isAnalysedSource(entry.name) || isDeclarationFile(entry.name) || entry.name === 'package.json' || isProjectConfig(entry.name)) return true;
    }
  }
  return false;
}
