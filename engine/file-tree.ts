/**
 * Walking a folder tree on disk, for the CLI's discovery of files and tsconfigs, the language server's
 * look into a folder that appeared, and the benchmarks' corpus: one walker, each caller saying which
 * folders to enter.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TreeEntry {
  /** `root` joined with the entry's relative path. */
  path: string;
  entry: fs.Dirent;
  /** 0 for the entries directly in `root`. */
  depth: number;
}

/**
 * Every entry below `root`, depth first, each folder's entries in name order (so the order is the same on
 * every machine). A folder is entered when `enter` says so; one that cannot be read (gone, not a folder,
 * no permission) is skipped, after `onUnreadable` hears of it. Stop early by leaving the loop.
 */
export function* walkTree(
  root: string,
  enter: (folder: TreeEntry) => boolean = () => true,
  onUnreadable: (folder: string, error: unknown) => void = () => {},
): Generator<TreeEntry> {
  const visit = function* (dir: string, depth: number): Generator<TreeEntry> {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      onUnreadable(dir, error);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const item = { path: path.join(dir, entry.name), entry, depth };
      yield item;
      if (entry.isDirectory() && enter(item)) yield* visit(item.path, depth + 1);
    }
  };
  yield* visit(root, 0);
}
