/**
 * A library's API runs when its users call it, per request for a session store, an auth or storage plugin
 * or a request filter; its lifecycle methods and build tooling run once. Also: objects nothing types that
 * carry Node's own sync method names, and library modules that kept a `#!` line.
 */
import { describe, it } from 'node:test';
import { assertAudit } from './shapes.js';

describe('library API', () => {
  it('reports callback-style methods of plugins and stores, not their constructors or lifecycle methods', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'file-session-store', version: '1.0.0', main: 'lib/store.js' }),
      'lib/store.js': `const fs = require('fs');
class FileStore {
  constructor(options) {
    this.dir = options.dir;
    fs.mkdirSync(this.dir, { recursive: true }); // SILENT
  }
  get(sid, callback) {
    callback(null, JSON.parse(fs.readFileSync(this.dir + '/' + sid, 'utf8'))); // BLOCKS
  }
  set(sid, session, callback) {
    fs.writeFileSync(this.dir + '/' + sid, JSON.stringify(session)); // BLOCKS
    callback(null);
  }
  async close() {
    fs.writeFileSync(this.dir + '/.closed', ''); // SILENT
  }
}
module.exports = FileStore;
`,
    });
  });

  it('reports a request filter a proxy config returns, fs-like objects and packages nothing types, and a #! module the server imports', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'dev-proxy', version: '1.0.0', main: 'index.js', bin: { 'dev-proxy': 'cli.js' } }),
      'cli.js': `#!/usr/bin/env node
require('./index').serve(process.argv[2]);
`,
      'index.js': `const http = require('http');
const files = require('./files');
exports.proxyConfig = function proxyConfig(publicDir) {
  return {
    context: function (pathname, req) {
      return req.method !== 'GET' || !files.exists(publicDir + pathname);
    },
  };
};
exports.serve = function serve(dir) {
  http.createServer((req, res) => res.end(files.read(dir + req.url) + files.stat(dir).size)).listen(8080);
};
`,
      'files.js': `#!/usr/bin/env node
const fs = require('fs');
exports.exists = function exists(file) {
  return fs.existsSync(file); // BLOCKS
};
exports.stat = function stat(file) {
  return require('graceful-fs').statSync(file); // BLOCKS
};
exports.read = function read(file, context) {
  const fileSystem = (context && context.outputFileSystem) || makeMemoryFs();
  return fileSystem.readFileSync(file); // BLOCKS
};
function makeMemoryFs() { return {}; }
`,
    });
  });

  it('treats async functions a compiler lowered to generators as async functions', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'compiled-renderer', version: '1.0.0', main: 'build.js' }),
      'build.js': `'use strict';
var fs = require('fs');
function __async(g) { return new Promise(function (resolve) { resolve(g.next().value); }); }
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) { return generator.call(thisArg).next().value; };
function Renderer(options) {
  this.template = fs.readFileSync(options.template, 'utf8'); // SILENT
}
Renderer.prototype.renderToString = function renderToString(url) { return __async(function* () {
  var page = yield fs.readFileSync(url, 'utf8'); // BLOCKS
  return this.template.replace('<!--page-->', page);
}.call(this)); };
Renderer.prototype.renderPartial = function renderPartial(name) {
  return __awaiter(this, void 0, void 0, function* () {
    return fs.readFileSync(name, 'utf8'); // BLOCKS
  });
};
Renderer.prototype.renderSync = function renderSync(name) {
  return fs.readFileSync(name, 'utf8'); // SILENT
};
module.exports = Renderer;
`,
    });
  });

  it("takes Node's sync names on a package nothing types for node:fs, even where no file imports fs", async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'blog-admin', version: '1.0.0', main: 'index.js' }),
      'index.js': `var fs = require('not-installed-fs');
module.exports = function (app, blog) {
  app.use('/admin/settings', function (req, res) {
    if (!fs.existsSync(blog.dir + '/settings.yml')) return res.end('{}'); // BLOCKS
    fs.writeFileSync(blog.dir + '/settings.yml', String(req.body)); // BLOCKS
    res.end('ok');
  });
};
`,
    });
  });
});
