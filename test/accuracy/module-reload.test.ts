/**
 * A module dropped from `require.cache` and required again in the same function is read from disk and
 * compiled on every call: the "always fresh config" idiom, in a route or in a helper routes call. A cache
 * a file watcher clears reloads only when the file changes, and startup code runs once: both stay silent.
 */
import { describe, it } from 'node:test';
import { assertAudit } from './shapes.js';

describe('require() after delete require.cache', () => {
  it('reports the reload in a route and in a helper a route calls, not a watcher-driven or startup reload', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'fresh-settings', version: '1.0.0', main: 'server.js' }),
      'load.js': `const path = require('path');
exports.fresh = function fresh(name) {
  const file = path.resolve(__dirname, name);
  delete require.cache[file];
  return require(file); // BLOCKS
};
exports.cached = function cached(name) {
  return require(path.resolve(__dirname, name)); // SILENT
};
`,
      'server.js': `const fs = require('fs');
const express = require('express');
const { fresh, cached } = require('./load');
const app = express();
function settingsAtBoot() {
  delete require.cache[require.resolve('./settings.json')];
  return require('./settings.json'); // SILENT
}
const boot = settingsAtBoot();
fs.watch(__dirname, () => {
  delete require.cache[require.resolve('./routes.json')];
});
app.get('/settings', (req, res) => {
  delete require.cache[require.resolve('./settings.json')];
  res.json({ ...boot, ...require('./settings.json') }); // BLOCKS
});
app.get('/flags', (req, res) => res.json(fresh('./flags.json')));
app.get('/routes', (req, res) => res.json(require('./routes.json'))); // SILENT
app.get('/theme', (req, res) => res.json(cached('./theme.json')));
app.listen(3000);
`,
    });
  });
});
