/**
 * CPU work that is no loop in the user's file: minifiers and compilers run per request, reached through a
 * module the code keeps on `this` (assigned in a constructor or lazily) or makes an instance of.
 */
import { describe, it } from 'node:test';
import { assertAudit } from './shapes.js';

const fakePackage = (name: string, main: string): Record<string, string> => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', main: 'index.js' }),
  [`node_modules/${name}/index.js`]: main,
});

describe('minifiers and compilers per request', () => {
  it('reports uglify, clean-css and node-sass calls a response override makes, through modules kept on this', async () => {
    await assertAudit({
      ...fakePackage('uglify-js', 'exports.minify = function (code) { return { code: code.trim() }; };\n'),
      ...fakePackage('clean-css', 'module.exports = function CleanCSS() {}; module.exports.prototype.minify = function (css) { return { styles: css }; };\n'),
      ...fakePackage('node-sass', 'exports.renderSync = function (options) { return { css: Buffer.from(options.data) }; };\n'),
      'package.json': JSON.stringify({ name: 'minify-responses', version: '1.0.0', main: 'index.js' }),
      'minifier.js': `function Minifier(options) {
  this.js = options.js || require('uglify-js');
  this.css = null;
}
Minifier.prototype.minifyJs = function (body) {
  return this.js.minify(body).code; // BLOCKS
};
Minifier.prototype.minifyCss = function (body) {
  if (!this.css) this.css = require('clean-css');
  return new (this.css)({}).minify(body).styles; // BLOCKS
};
Minifier.prototype.compileSass = function (body) {
  if (!this.sass) this.sass = require('node-sass');
  return this.sass.renderSync({ data: body }).css.toString(); // BLOCKS
};
module.exports = Minifier;
`,
      'index.js': `const Minifier = require('./minifier');
module.exports = function minify(options) {
  const minifier = new Minifier(options || {});
  return function (req, res, next) {
    const end = res.end;
    res.end = function (body) {
      const type = res.getHeader('content-type') || '';
      if (type.includes('javascript')) body = minifier.minifyJs(body);
      else if (type.includes('scss')) body = minifier.compileSass(body);
      else if (type.includes('css')) body = minifier.minifyCss(body);
      end.call(res, body);
    };
    next();
  };
};
`,
    });
  });

  it('finds a super-linear regex kept in a table and tested on request data, not a safe one beside it', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'request-filter', version: '1.0.0', main: 'index.js' }),
      'rules.js': `const RULES = {
  email: /^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$/,
  id: /^[0-9a-f]{24}$/,
};
const BLOCKED_AGENTS = [/^curl\\//, /(\\w+\\s?)*bot$/];
exports.validEmail = function validEmail(value) {
  return RULES.email.test(value); // BLOCKS
};
exports.validId = function validId(value) {
  return RULES.id.test(value); // SILENT
};
exports.isBot = function isBot(agent) {
  return BLOCKED_AGENTS.some((pattern) => pattern.test(agent)); // BLOCKS
};
exports.checkAll = function checkAll(fields) {
  for (const rule of Object.values(RULES)) {
    if (!rule.test(fields.value)) return false; // BLOCKS
  }
  return true;
};
`,
      'index.js': `const rules = require('./rules');
module.exports = function filter() {
  return function (req, res, next) {
    if (rules.isBot(req.headers['user-agent']) || !rules.validEmail(req.query.email) || !rules.validId(req.query.id)) return res.end();
    if (!rules.checkAll({ value: req.query.q })) return res.end();
    next();
  };
};
`,
    });
  });
});
