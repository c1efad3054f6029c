/** Small projects the CLI tests audit, written to temporary folders. */
import path from 'node:path';
import { makeProject, REPO_ROOT } from './helpers.js';

/** Plain CommonJS with no package.json, tsconfig, ESLint config or @types/node. */
export const PLAIN_SERVER = `const http = require('http');
const fs = require('fs');

function render(id) {
  return fs.readFileSync('./reports/' + id + '.html', 'utf8');
}

function loadConfig() {
  // eslint-disable-next-line blockcheck/no-sync-io -- reviewed: small file, cached by the caller
  return fs.readFileSync('./config.json', 'utf8');
}

http.createServer((req, res) => {
  loadConfig();
  res.end(render(req.url));
}).listen(3000);
`;

export const ESM_SERVER = `import http from 'node:http';
import { execSync } from 'node:child_process';

http.createServer((req, res) => {
  res.end(execSync('git rev-parse HEAD'));
}).listen(3000);
`;

/** A dependency whose method blocks: the audit must follow the call into node_modules. */
export const STORE_PACKAGE = {
  'node_modules/kv-file-store/package.json': JSON.stringify({ name: 'kv-file-store', version: '1.0.0', main: 'index.js' }),
  'node_modules/kv-file-store/index.js': `const fs = require('fs');

class Store {
  write(key, value) {
    fs.writeFileSync('/tmp/' + key, value);
  }
}

module.exports = { Store };
`,
};

export const STORE_APP = `const http = require('http');
const { Store } = require('kv-file-store');

const store = new Store();

http.createServer((req, res) => {
  store.write('last', req.url);
  res.end('ok');
}).listen(3000);
`;

export const CLEAN_SERVER = `const http = require('http');
const fs = require('fs');

http.createServer(async (req, res) => {
  res.end(await fs.promises.readFile('./index.html'));
}).listen(3000);
`;

export function plainProject(extra: Record<string, string> = {}): string {
  return makeProject({ 'server.js': PLAIN_SERVER, ...extra });
}

/**
 * A project inside the repository (under dist/, which the build owns), for projects that need the
 * repository's node_modules: TypeScript projects with their own tsconfig, and ESLint configs that load the
 * built plugin.
 */
export function projectInRepo(files: Record<string, string>): string {
  // Its own package.json keeps the repository's from being taken for the project's (its `bin` entries
  // would make same-named files look like CLI scripts).
  return makeProject({ 'package.json': '{ "private": true }', ...files }, path.join(REPO_ROOT, 'dist', 'cli-test-projects'));
}
