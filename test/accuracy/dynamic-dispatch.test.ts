/**
 * Calls whose target the code picks at run time from values the analysis can still enumerate: a computed
 * member whose key is a literal type or a parameter its callers give literals, and objects passed into a
 * constructor under the name of the class that makes them.
 */
import { describe, it } from 'node:test';
import { assertAudit } from './shapes.js';

describe('dynamic dispatch', () => {
  it('resolves a computed member from the literals a parameter is given and from a literal-typed key', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'compressing-proxy', version: '1.0.0', main: 'index.js' }),
      'index.js': `const zlib = require('zlib');
const crypto = require('crypto');
function codec(method) {
  return function (body) {
    return zlib[method](body); // BLOCKS
  };
}
const inflate = codec('inflateSync');
const deflate = codec('deflateSync');
function digest(kind, body) {
  return crypto[kind](body); // SILENT
}
module.exports = function proxyMiddleware(options) {
  return function (req, res, next) {
    const algorithm = options.strong ? 'pbkdf2Sync' : 'scryptSync';
    const key = crypto[algorithm](req.headers.secret, 'salt', 32); // BLOCKS
    res.end(deflate(inflate(req.body)) + digest(options.hash, req.body) + key);
  };
};
`,
    });
  });

  it('takes an untyped receiver named after a class of the package for an instance of it', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'stub-server', version: '1.0.0', main: 'lib/main.js' }),
      'lib/main.js': `const http = require('http');
const Routes = require('./routes');
const Portal = require('./portal');
exports.run = function run(port) {
  const routes = new Routes();
  http.createServer(new Portal(routes).handle).listen(port);
};
`,
      'lib/portal.js': `class Portal {
  constructor(routes) {
    this.Routes = routes;
    this.handle = this.handle.bind(this);
  }
  handle(req, res) {
    req.on('end', () => {
      const reply = this.Routes.lookup(req.url);
      res.end(reply.body);
    });
  }
}
module.exports = Portal;
`,
      'lib/routes.js': `const fs = require('fs');
const Route = require('./route');
class Routes {
  constructor() {
    this.table = {};
    this.table.home = new Route(fs.readFileSync('routes.json', 'utf8')); // SILENT
  }
  lookup(url) {
    for (const id in this.table) {
      const route = this.table[id];
      if (route.matches(url)) return { body: fs.readFileSync(route.file) }; // BLOCKS
    }
    return { body: '' };
  }
}
module.exports = Routes;
`,
      'lib/route.js': `const fs = require('fs');
class Route {
  constructor(spec) {
    this.spec = JSON.parse(spec);
    this.file = this.spec.file;
  }
  matches(url) {
    return url === this.spec.url || fs.existsSync(this.spec.dir + url); // BLOCKS
  }
  reload() {
    this.spec = JSON.parse(fs.readFileSync(this.file, 'utf8')); // SILENT
  }
}
module.exports = Route;
`,
    });
  });

  it('follows pipeline steps passed by the name of the module that exports them', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'step-proxy', version: '1.0.0', main: 'index.js' }),
      'index.js': `const readBody = require('./steps/read-body');
const rewriteBody = require('./steps/rewrite-body');
module.exports = function proxy(target) {
  return function handle(req, res, next) {
    readBody({ req, res, target }).then(rewriteBody).then((state) => res.end(state.body)).catch(next);
  };
};
`,
      'steps/read-body.js': `module.exports = function readBody(state) {
  return new Promise((resolve) => state.req.on('end', () => resolve(state)));
};
`,
      'steps/rewrite-body.js': `const fs = require('fs');
module.exports = function rewrite(state) {
  state.body = fs.readFileSync(state.target + '/banner.html', 'utf8') + state.body; // BLOCKS
  return state;
};
`,
    });
  });

  it('resolves a constructor or function read back from a string-keyed registry by the values stored under its key', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'tiny-web', version: '1.0.0', main: 'lib/app.js' }),
      'lib/app.js': `const Template = require('./template');
const settings = new Map();
const app = module.exports = {};
app.set = function set(name, value) { settings.set(name, value); return this; };
app.get = function get(name) { return settings.get(name); };
app.init = function init() {
  this.set('template engine', Template);
  this.set('port', 3000);
};
app.render = function render(name, locals, callback) {
  const Engine = this.get('template engine');
  const view = new Engine(name);
  callback(null, view.fill(locals));
};
`,
      'lib/template.js': `const fs = require('fs');
function Template(name) {
  this.path = fs.existsSync(name + '.html') ? name + '.html' : name; // BLOCKS
}
Template.prototype.fill = function fill(locals) {
  return String(locals);
};
module.exports = Template;
`,
    });
  });

  it('reads what an untyped client class makes: a statement from a database kept on this, an archive from its module', async () => {
    await assertAudit({
      'node_modules/better-sqlite3/package.json': JSON.stringify({ name: 'better-sqlite3', version: '11.0.0', main: 'lib/index.js' }),
      // As the real package: the methods hand over to the native addon, whose objects nothing types.
      'node_modules/better-sqlite3/lib/index.js': `const addon = require('bindings')('better_sqlite3.node');
function Database(file) { this.native = new addon.Database(file); }
Database.prototype.prepare = function prepare(sql) { return this.native.prepare(sql, this); };
Database.prototype.exec = function exec(sql) { this.native.exec(sql); return this; };
module.exports = Database;
`,
      'node_modules/adm-zip/package.json': JSON.stringify({ name: 'adm-zip', version: '0.5.16', main: 'adm-zip.js' }),
      'node_modules/adm-zip/adm-zip.js': 'module.exports = function AdmZip(file) { return { extractAllTo() {}, getEntries() { return []; } }; };\n',
      'package.json': JSON.stringify({
        name: 'notes-api',
        version: '1.0.0',
        main: 'server.js',
        dependencies: { 'better-sqlite3': '^11.0.0', 'adm-zip': '^0.5.16' },
      }),
      'store.js': `const Database = require('better-sqlite3');
class NoteStore {
  constructor(file) {
    this.db = new Database(file);
    this.db.exec('create table if not exists notes (id integer primary key, body text)'); // SILENT
  }
  find(id) {
    return this.db.prepare('select body from notes where id = ?').get(id); // BLOCKS
  }
  compact() {
    this.db.exec('vacuum'); // BLOCKS
  }
}
module.exports = NoteStore;
`,
      'server.js': `const http = require('http');
const AdmZip = require('adm-zip');
const NoteStore = require('./store');
const store = new NoteStore('notes.db');
http.createServer((req, res) => {
  if (req.url === '/compact') store.compact();
  if (req.url === '/import') new AdmZip('/tmp/upload.zip').extractAllTo('/tmp/notes'); // BLOCKS
  const entries = new AdmZip('/tmp/upload.zip').getEntries(); // SILENT
  res.end(JSON.stringify(store.find(Number(req.url.slice(1))) || entries.length));
}).listen(8080);
`,
    });
  });

  it('follows each function a conditional or a fallback picks for the callee', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'file-echo', version: '1.0.0', main: 'server.js' }),
      'read.js': `const fs = require('fs');
exports.cachedRead = function cachedRead(file, cache) {
  return cache.get(file);
};
exports.freshRead = function freshRead(file) {
  return fs.readFileSync(file, 'utf8'); // BLOCKS
};
`,
      'server.js': `const fs = require('fs');
const http = require('http');
const { cachedRead, freshRead } = require('./read');
const cache = new Map();
http.createServer((req, res) => {
  const inspect = req.headers['x-full'] ? fs.readFileSync : fs.statSync;
  const body = inspect('/srv' + req.url); // BLOCKS
  const read = cache.size > 0 ? cachedRead : freshRead;
  const text = read('/srv/index.html', cache);
  const log = (req.headers['x-log'] === 'sync' ? fs.appendFileSync : fs.appendFile)('/tmp/log', req.url, () => {}); // BLOCKS
  res.end(String(body) + text + log);
}).listen(8080);
`,
    });
  });
});
