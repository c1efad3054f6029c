/** JS/TS source files of an installed tree, and a deterministic sample of them. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SOURCE = /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/** Every JS/TS file (declaration files excepted) below `root`, in a stable order. */
export function sourceFilesBelow(root: string): string[] {
  const files: string[] = [];
  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.bin' && entry.name !== '.cache') visit(full);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) {
        files.push(full);
      }
    }
  };
  visit(root);
  return files;
}

/** `count` files spread evenly over the list (the same ones for the same tree). */
export function evenSample(files: readonly string[], count: number): string[] {
  if (files.length <= count) return [...files];
  const stride = files.length / count;
  return Array.from({ length: count }, (_, index) => files[Math.floor(index * stride)]!);
}
