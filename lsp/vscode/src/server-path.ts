/**
 * Which `blockcheck-lsp` to run once the user let the workspace's code run: the machine-scoped
 * `blockcheck.server.path` setting, else the blockcheck installed in a workspace folder (so the analysis
 * matches the project's own blockcheck and TypeScript versions, as the CLI and the ESLint rules do).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export function findWorkspaceServer(folders: readonly string[]): string | undefined {
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

/** Whether a folder holds code blockcheck would run with consent (an installed blockcheck or an ESLint config). */
export function holdsWorkspaceCode(folder: string): boolean {
  if (findWorkspaceServer([folder])) return true;
  try {
    return fs.readdirSync(folder).some((name) => /^eslint\.config\.[cm]?[jt]s$/.test(name));
  } catch {
    return false;
  }
}
