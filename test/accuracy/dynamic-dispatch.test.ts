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
});
