/**
 * A call selects its callee's branch with its arguments: a renderer that inlines files only in its static
 * mode, a function that does its work synchronously only when `options.sync` is set. Blocking code on a
 * branch the handler's own literals rule out is not reported; the same code reached with values the
 * analysis does not know still is.
 */
import { describe, it } from 'node:test';
import { assertAudit } from './shapes.js';

describe('argument-selected branches', () => {
  it('follows only the branch a literal argument selects, through destructured options and early exits', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'report-viewer', version: '1.0.0', main: 'viewer.js' }),
      'template.js': `const fs = require('fs');
function inlineAsset(name) {
  return fs.readFileSync(__dirname + '/public/' + name, 'utf8'); // SILENT
}
function scriptTag(name, mode) {
  if (mode === 'static') {
    return '<script>' + inlineAsset(name) + '</script>';
  }
  return '<script src="' + name + '"></script>';
}
function styleTag(name, mode) {
  if (mode !== 'static') return '<link href="' + name + '">';
  return '<style>' + fs.readFileSync(name, 'utf8') + '</style>'; // SILENT
}
function render({ title, mode }) {
  return '<title>' + title + '</title>' + scriptTag('viewer.js', mode) + styleTag('viewer.css', mode);
}
function iconTag(name, mode) {
  if (mode === 'static') return '<img src="data:image/png;base64,' + fs.readFileSync(name, 'base64') + '">'; // BLOCKS
  return '<img src="' + name + '">';
}
function renderFor(options) {
  return iconTag('logo.png', options.mode);
}
exports.render = render;
exports.renderFor = renderFor;
exports.inlineAsset = inlineAsset;
`,
      'viewer.js': `const http = require('http');
const { render, renderFor } = require('./template');
exports.serve = function serve(port, settings) {
  http.createServer((req, res) => {
    if (req.url === '/') return res.end(render({ title: 'Report', mode: 'server' }));
    res.end(renderFor(settings));
  }).listen(port);
};
`,
    });
  });

  it('skips a sync branch a closed options object leaves off, not one it may turn on', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'file-finder', version: '1.0.0', main: 'index.js' }),
      'find.js': `const fs = require('fs');
module.exports = function find(dir, options, reply) {
  if (options.sync) {
    return fs.readdirSync(dir); // SILENT
  }
  fs.readdir(dir, reply);
};
`,
      'walk.js': `const fs = require('fs');
module.exports = function walk(dir, options, reply) {
  if (!options.sync) return fs.readdir(dir, reply);
  return fs.readdirSync(dir); // BLOCKS
};
`,
      'index.js': `const find = require('./find');
const walk = require('./walk');
module.exports = function listing(root) {
  return function (req, res, next) {
    find(root + req.path, { withFileTypes: false }, (error, names) => (error ? next(error) : res.json(names)));
  };
};
module.exports.deep = function deep(root, options) {
  return function (req, res) {
    res.json(walk(root, { sync: options.sync }));
  };
};
`,
    });
  });
});
