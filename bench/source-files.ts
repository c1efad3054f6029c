/** JS/TS source files of an installed tree, and a deterministic sample of them. */
import { isSourceFile } from '../core/index.js';
import { walkTree } from '../engine/file-tree.js';

/** Every JS/TS file (declaration files excepted) below `root`, in a stable order. */
export function sourceFilesBelow(root: string): string[] {
  const enter = ({ entry }: { entry: { name: string } }) => entry.name !== '.bin' && entry.name !== '.cache';
  const files: string[] = [];
  for (const { path, entry } of walkTree(root, enter)) {
    if (entry.isFile() && isSourceFile(path)) files.push(path);
  }
  return files;
}

/** `count` files spread evenly over the list (the same ones for the same tree). */
export function evenSample(files: readonly string[], count: number): string[] {
  if (files.length <= count) return [...files];
  const stride = files.length / count;
  return Array.from({ length: count }, (_, index) => files[Math.floor(index * stride)]!);
}
