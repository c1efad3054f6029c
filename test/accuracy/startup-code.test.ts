/**
 * Code that runs once while the server starts is not a handler, even when it is async or a promise callback:
 * a plugin's registration body, an `init()` awaited before `listen`, a `.then()` that reads the TLS files.
 */
import { describe, it } from 'node:test';
import { assertAudit } from './shapes.js';

describe('startup code', () => {
  it('is silent in async set-up functions and promise callbacks that run before listen; the routes still report', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'tls-api', version: '1.0.0', main: 'server.js' }),
      'server.js': `const https = require('https');
const fs = require('fs');
const routes = require('./routes');

async function loadCertificates(dir) {
  return { key: fs.readFileSync(dir + '/key.pem'), cert: fs.readFileSync(dir + '/cert.pem') }; // SILENT
}

async function init() {
  const config = JSON.parse(fs.readFileSync('config.json', 'utf8')); // SILENT
  return loadCertificates(config.tlsDir).then((tls) => {
    fs.writeFileSync('server.pid', String(process.pid)); // SILENT
    return https.createServer(tls, routes.handle).listen(config.port);
  });
}

init();
`,
      'routes.js': `const fs = require('fs');
exports.handle = function handle(req, res) {
  res.end(fs.readFileSync('pages' + req.url)); // BLOCKS
};
`,
    });
  });

  it('reports an async function nobody calls at startup, a library API its users await per request', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'file-cache', version: '1.0.0', main: 'index.js' }),
      'index.js': `const fs = require('fs');
async function setup(dir) {
  fs.mkdirSync(dir, { recursive: true }); // SILENT
}
async function read(dir, key) {
  return fs.readFileSync(dir + '/' + key); // BLOCKS
}
setup('/tmp/cache');
module.exports = { read };
`,
    });
  });
});
