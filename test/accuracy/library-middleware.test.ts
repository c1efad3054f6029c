/**
 * Middleware a library exports runs on its users' event loops, though nothing in the library registers it:
 * Connect-style factories (returning the middleware directly or through a variable), Koa and Hono
 * `(ctx, next)` middleware, and methods installed on the response or the context. The factories themselves
 * run once, at set-up.
 */
import { describe, it } from 'node:test';
import { assertAudit } from './shapes.js';

describe('library middleware', () => {
  it('reports what Connect and Koa middleware factories return, not the factories', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'static-files', version: '1.0.0', main: 'index.js' }),
      'index.js': `const fs = require('fs');
const path = require('path');
exports.connect = function serveStatic(root) {
  if (!fs.existsSync(root)) throw new Error('no ' + root); // SILENT
  const middleware = function (req, res, next) {
    const file = path.join(root, req.url);
    if (!fs.existsSync(file)) return next(); // BLOCKS
    res.end(fs.readFileSync(file)); // BLOCKS
  };
  return middleware;
};
exports.koa = function koaStatic(root) {
  const stat = fs.statSync(root); // SILENT
  return async function serve(ctx, next) {
    ctx.body = fs.readFileSync(path.join(root, ctx.path)); // BLOCKS
    await next();
  };
};
`,
    });
  });

  it('reports methods installed on the response and the context', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'view-engine', version: '1.0.0', main: 'index.js' }),
      'index.js': `const fs = require('fs');
module.exports = function views(dir) {
  return function (ctx, next) {
    ctx.render = function (name) {
      ctx.body = fs.readFileSync(dir + '/' + name + '.html', 'utf8'); // BLOCKS
    };
    return next();
  };
};
`,
    });
  });
});
