/**
 * Which `blockcheck-lsp` to run: the `blockcheck.server.path` setting, else the blockcheck installed in the
 * workspace folder (so the analysis matches the project's own blockcheck and TypeScript versions, as the CLI and
 * the ESLint rules do).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export function findServer(configuredPath: string, folders: readonly string[]): string | undefined {
  if (configuredPath !== '') return fs.existsSync(configuredPath) ? configuredPath : undefined;
  for (const folder of folders) {
    try {
      const manifest = createRequire(path.join(folder, 'package.json')).resolve('blockcheck/package.json');
      const server = path.join(path.dirname(manifest), 'dist', 'lsp', 'server.js');
      if (fs.existsSync(server)) return server;
    } catch {
      // Not installed in this folder; try the next.
    }
  }
  return undefined;
}
