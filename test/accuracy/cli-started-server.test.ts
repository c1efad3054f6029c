/**
 * A package whose command-line program starts its server (dev servers, mock servers): the routes are handlers
 * whichever entry point started them; the CLI's own code, what runs before the server serves, and the events
 * of file watchers and the terminal are not.
 */
import { describe, it } from 'node:test';
import { assertAudit } from './shapes.js';

describe('a server started from a CLI', () => {
  it('reports the routes and middleware the CLI starts, not the CLI code', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'mock-api', version: '1.0.0', bin: { 'mock-api': 'bin/mock-api.js' } }),
      'bin/mock-api.js': `#!/usr/bin/env node
require('../lib/cli/run')(process.argv.slice(2));
`,
      'lib/cli/run.js': `const fs = require('fs');
const createApp = require('../app');
module.exports = function run(args) {
  const dataFile = args[0] || 'db.json';
  if (!fs.existsSync(dataFile)) fs.writeFileSync(dataFile, '{}'); // SILENT
  const app = createApp(dataFile);
  process.stdin.on('data', () => {
    fs.writeFileSync('snapshot.json', fs.readFileSync(dataFile)); // SILENT
  });
  fs.watch('.', () => {
    fs.readFileSync(dataFile); // SILENT
  });
  app.listen(3000);
};
`,
      'lib/app.js': `const express = require('express');
const fs = require('fs');
module.exports = function createApp(dataFile) {
  const app = express();
  const initial = fs.readFileSync(dataFile, 'utf8'); // SILENT
  app.get('/items', (req, res) => {
    res.send(fs.readFileSync(dataFile, 'utf8')); // BLOCKS
  });
  app.use(require('./write')(dataFile));
  return app;
};
`,
      'lib/write.js': `const fs = require('fs');
module.exports = function write(dataFile) {
  return function (req, res, next) {
    fs.writeFileSync(dataFile, JSON.stringify(req.body)); // BLOCKS
    next();
  };
};
`,
      'node_modules/express/package.json': JSON.stringify({ name: 'express', version: '4.0.0', main: 'index.js' }),
      'node_modules/express/index.js': 'module.exports = function express() { return { get() {}, use() {}, listen() {} }; };\n',
    });
  });
});
