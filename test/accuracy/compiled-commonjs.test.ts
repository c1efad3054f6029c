/** Published packages are compiled: tsc's and Babel's call forms must resolve like the source they came from. */
import { describe, it } from 'node:test';
import { assertAudit } from './shapes.js';

const TSC_INTEROP = `var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};`;

describe('compiled CommonJS', () => {
  it('resolves tsc output: (0, fs_1.existsSync)(p) and fs_1.default.readFileSync(p)', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'compiled-tsc', version: '1.0.0', main: 'dist/index.js' }),
      'dist/index.js': `"use strict";
${TSC_INTEROP}
Object.defineProperty(exports, "__esModule", { value: true });
const http_1 = __importDefault(require("http"));
const fs_1 = __importDefault(require("fs"));
const fs_2 = require("fs");
const store_1 = require("./store");
http_1.default.createServer((req, res) => {
    if ((0, fs_2.existsSync)(req.url)) { // BLOCKS
        res.end(fs_1.default.readFileSync(req.url)); // BLOCKS
        return;
    }
    res.end((0, store_1.load)(req.url));
}).listen(3000);
`,
      'dist/store.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.load = load;
const node_fs_1 = require("node:fs");
function load(key) {
    return (0, node_fs_1.readFileSync)(key, "utf8"); // BLOCKS
}
`,
    });
  });

  it("resolves Babel output: _interopRequireDefault(require('fs')).default", async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'compiled-babel', version: '1.0.0', main: 'lib/index.js' }),
      'lib/index.js': `"use strict";
var _http = _interopRequireDefault(require("http"));
var _fs = _interopRequireDefault(require("fs"));
var _child_process = require("child_process");
function _interopRequireDefault(e) { return e && e.__esModule ? e : { default: e }; }
_http.default.createServer(function (req, res) {
  var head = (0, _child_process.execSync)("git rev-parse HEAD"); // BLOCKS
  res.end(_fs.default.readFileSync(req.url) + head); // BLOCKS
}).listen(3000);
var config = _fs.default.readFileSync("config.json"); // SILENT
`,
    });
  });

  it('follows calls into the JavaScript beside the .d.ts a compiled package ships', async () => {
    await assertAudit({
      'package.json': JSON.stringify({ name: 'compiled-auth-plugin', version: '1.0.0', main: 'lib/index.js', types: 'lib/index.d.ts' }),
      'lib/index.d.ts': `export default class PasswordFile {
    authenticate(user: string, password: string, cb: (error: Error | null, ok?: boolean) => void): void;
}
`,
      'lib/index.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.default = void 0;
var _check = require("./check");
class PasswordFile {
  authenticate(user, password, cb) {
    cb(null, (0, _check.verify)(password, this.hashes[user]));
  }
}
exports.default = PasswordFile;
`,
      'lib/check.d.ts': `export declare function verify(password: string, hash: string): boolean;
export declare const rounds: number;
`,
      'lib/check.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.verify = verify;
var _crypto = _interopRequireDefault(require("crypto"));
function _interopRequireDefault(obj) { return obj && obj.__esModule ? obj : { default: obj }; }
function verify(password, hash) {
  const [salt, key] = hash.split(':');
  return _crypto.default.scryptSync(password, salt, 64).toString('hex') === key; // BLOCKS
}
`,
    });
  });
});
