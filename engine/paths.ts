/** File names as TypeScript spells them, so that names from the disk, URIs and programs compare equal. */
import * as path from 'node:path';

/** Absolute, with forward slashes on every platform (TypeScript's own form). */
export function toTsPath(fileName: string): string {
  return path.resolve(fileName).replace(/\\/g, '/');
}
