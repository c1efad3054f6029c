// Bundles the extension and its own copy of blockcheck-lsp (the server the extension runs when it may not
// run the workspace's code) into out/, with esbuild. The server is bundled from the repository's sources, so
// run `npm ci` at the repository root first (CI does).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
const serverEntry = path.join(here, '..', 'server.ts');
const production = process.argv.includes('--production');

fs.rmSync(out, { recursive: true, force: true });

await esbuild.build({
  entryPoints: [path.join(here, 'src', 'extension.ts')],
  outfile: path.join(out, 'extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
});

await esbuild.build({
  entryPoints: [serverEntry],
  outfile: path.join(out, 'server', 'server.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The bundled server never loads an ESLint config: it serves workspaces the user did not let run code.
  external: ['eslint'],
  // TypeScript and other CommonJS modules inside an ES module bundle still call require() and read
  // __filename (TypeScript finds its lib.*.d.ts files next to it, copied below).
  banner: {
    js: [
      "import { createRequire as __bundleCreateRequire } from 'node:module';",
      "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
      "import { dirname as __bundleDirname } from 'node:path';",
      'const require = __bundleCreateRequire(import.meta.url);',
      'const __filename = __bundleFileURLToPath(import.meta.url);',
      'const __dirname = __bundleDirname(__filename);',
    ].join('\n'),
  },
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
});

// The default library files of the TypeScript the server was bundled with.
const typescriptLib = path.dirname(createRequire(serverEntry).resolve('typescript'));
for (const name of fs.readdirSync(typescriptLib)) {
  if (/^lib\..*\.d\.ts$/.test(name)) fs.copyFileSync(path.join(typescriptLib, name), path.join(out, 'server', name));
}
