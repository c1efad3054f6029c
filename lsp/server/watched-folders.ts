/**
 * Telling a folder that appeared in the workspace apart from one nothing here cares about. An editor may
 * report a folder moved or copied in as that one path, with no event for the files inside.
 */
import { isDeclarationFile, isSourceFile } from '../../core/index.js';
import { walkTree } from '../../engine/file-tree.js';
import { isProjectConfig } from './paths.js';

/** Entries of a folder looked at before it is taken to hold something watched (a big tree most likely does). */
const FOLDER_SEARCH_LIMIT = 2_000;

/**
 * Whether a path is a folder holding sources or layout files. Other folders (logs, caches, a repository's
 * internals) are created all the time, and reloading the projects for them would be wasted.
 */
export function holdsWatchedFiles(folder: string, limit = FOLDER_SEARCH_LIMIT): boolean {
  // A path that is not a folder (a file no other watcher matches) or is gone again has no entries.
  let seen = 0;
  for (const { entry } of walkTree(folder)) {
    if (++seen > limit) return true;
    if (entry.isDirectory()) continue;
    // Declaration files, package.json and project configs decide types, module formats and projects.
    if (isSourceFile(entry.name) || isDeclarationFile(entry.name) || entry.name === 'package.json' || isProjectConfig(entry.name)) return true;
  }
  return false;
}
