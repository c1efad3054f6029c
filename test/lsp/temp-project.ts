/**
 * Small projects written to a temporary folder per test (tests edit files on disk, so they cannot share a
 * checked-in copy). `node_modules` links to the repository's, so `node:fs`, express etc. resolve with types.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], noEmit: true },
  include: ['src'],
});

export class TempProject {
  readonly root: string;

  constructor(files: Record<string, string>) {
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'blockcheck-lsp-')));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(this.root, 'node_modules'), 'dir');
    for (const [name, text] of Object.entries(files)) this.write(name, text);
  }

  path(name: string): string {
    return path.join(this.root, name);
  }

  uri(name: string): string {
    return pathToFileURL(this.path(name)).href;
  }

  get rootUri(): string {
    return pathToFileURL(this.root).href;
  }

  read(name: string): string {
    return fs.readFileSync(this.path(name), 'utf8');
  }

  write(name: string, text: string): void {
    fs.mkdirSync(path.dirname(this.path(name)), { recursive: true });
    fs.writeFileSync(this.path(name), text);
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
