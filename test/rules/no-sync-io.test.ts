/**
 * no-sync-io: every Node core group of the catalog, every way of reaching an API, overloads told apart by
 * their resolved signature, and the suggestion to the async alternative.
 */
import noSyncIo from '../../rules/no-sync-io.js';
import { flaggedInRoute, inRoute, validInRoute, type FlaggedInRoute } from './route-code.js';
import { FILE, runRuleTests, type Invalid } from './rule-tester.js';

const flagged: FlaggedInRoute[] = [
  // node:fs
  { name: 'fs.readFileSync', imports: "import fs from 'node:fs';", body: "fs.readFileSync('/a');", at: 'readFileSync' },
  { name: 'fs.existsSync', imports: "import fs from 'node:fs';", body: "fs.existsSync('/a');", at: 'existsSync' },
  { name: 'fs.writeFileSync (fs, not node:fs)', imports: "import * as fs from 'fs';", body: "fs.writeFileSync('/a', 'x');", at: 'writeFileSync' },
  { name: 'fs.mkdirSync', imports: "import { mkdirSync } from 'node:fs';", body: "mkdirSync('/a', { recursive: true });", at: 'mkdirSync' },
  { name: 'fs.openSync', imports: "import fs from 'node:fs';", body: "fs.openSync('/a', 'r');", at: 'openSync' },
  { name: 'fs.Dir readSync', imports: "import fs from 'node:fs';\ndeclare const dir: fs.Dir;", body: 'dir.readSync();', at: 'readSync' },
  {
    name: 'fs.statSync (declared as a const of a callable interface)',
    imports: "import { statSync } from 'node:fs';",
    body: "statSync('/a');",
    at: 'statSync',
  },
  // node:child_process
  { name: 'execSync', imports: "import { execSync } from 'node:child_process';", body: "execSync('ls');", at: 'execSync' },
  { name: 'execFileSync', imports: "import cp from 'node:child_process';", body: "cp.execFileSync('ls');", at: 'execFileSync' },
  { name: 'spawnSync', imports: "import * as cp from 'node:child_process';", body: "cp.spawnSync('ls');", at: 'spawnSync' },
  // node:zlib
  { name: 'gzipSync', imports: "import zlib from 'node:zlib';", body: "zlib.gzipSync('x');", at: 'gzipSync' },
  { name: 'inflateRawSync', imports: "import zlib from 'node:zlib';", body: 'zlib.inflateRawSync(Buffer.alloc(1));', at: 'inflateRawSync' },
  { name: 'brotliCompressSync', imports: "import { brotliCompressSync } from 'node:zlib';", body: "brotliCompressSync('x');", at: 'brotliCompressSync' },
  { name: 'zstdCompressSync', imports: "import zlib from 'node:zlib';", body: "zlib.zstdCompressSync('x');", at: 'zstdCompressSync' },
  // node:crypto
  { name: 'pbkdf2Sync', imports: "import crypto from 'node:crypto';", body: "crypto.pbkdf2Sync('p', 's', 100000, 64, 'sha512');", at: 'pbkdf2Sync' },
  { name: 'scryptSync', imports: "import { scryptSync } from 'node:crypto';", body: "scryptSync('p', 's', 64);", at: 'scryptSync' },
  { name: 'hkdfSync', imports: "import crypto from 'node:crypto';", body: "crypto.hkdfSync('sha256', 'k', 's', 'i', 32);", at: 'hkdfSync' },
  { name: 'generateKeyPairSync', imports: "import crypto from 'node:crypto';", body: "crypto.generateKeyPairSync('ed25519');", at: 'generateKeyPairSync' },
  { name: 'generateKeySync', imports: "import crypto from 'node:crypto';", body: "crypto.generateKeySync('hmac', { length: 256 });", at: 'generateKeySync' },
  { name: 'generatePrimeSync', imports: "import crypto from 'node:crypto';", body: 'crypto.generatePrimeSync(512);', at: 'generatePrimeSync' },
  { name: 'checkPrimeSync', imports: "import crypto from 'node:crypto';", body: 'crypto.checkPrimeSync(7n);', at: 'checkPrimeSync' },
  { name: 'randomFillSync', imports: "import crypto from 'node:crypto';", body: 'crypto.randomFillSync(Buffer.alloc(8));', at: 'randomFillSync' },
  { name: 'randomBytes without a callback', imports: "import crypto from 'node:crypto';", body: 'crypto.randomBytes(16);', at: 'randomBytes' },
  { name: 'randomInt without a callback', imports: "import crypto from 'node:crypto';", body: 'crypto.randomInt(10);', at: 'randomInt' },
  {
    name: 'sign without a callback',
    imports: "import crypto from 'node:crypto';\ndeclare const key: crypto.KeyObject;",
    body: "crypto.sign('sha256', Buffer.from('x'), key);",
    at: 'sign',
  },
  {
    name: 'verify without a callback',
    imports: "import crypto from 'node:crypto';\ndeclare const key: crypto.KeyObject;",
    body: "crypto.verify('sha256', Buffer.from('x'), key, Buffer.alloc(1));",
    at: 'verify',
  },
  {
    name: 'diffieHellman without a callback',
    imports: "import crypto from 'node:crypto';\ndeclare const a: crypto.KeyObject;",
    body: 'crypto.diffieHellman({ privateKey: a, publicKey: a });',
    at: 'diffieHellman',
  },
  // Resolution forms
  { name: 'a renamed named import', imports: "import { existsSync as exists } from 'node:fs';", body: "exists('/a');", at: 'exists' },
  { name: 'a namespace import', imports: "import * as nodeFs from 'node:fs';", body: "nodeFs.readdirSync('/');", at: 'readdirSync' },
  { name: 'import = require()', imports: "import fs = require('node:fs');", body: "fs.readFileSync('/a');", at: 'readFileSync' },
  {
    name: 'require() in TypeScript (untyped: read from the syntax)',
    imports: "declare const require: (id: string) => any;\nconst fs = require('fs');",
    body: "fs.readFileSync('/a');",
    at: 'readFileSync',
  },
  { name: 'destructuring with rename', imports: "import fs from 'node:fs';\nconst { readFileSync: readText } = fs;", body: "readText('/a');", at: 'readText' },
  { name: 'a re-export through a local barrel', imports: "import { readText } from './lib/barrel.js';", body: "readText('/a');", at: 'readText' },
  { name: 'a re-export by a package (fs-extra re-exports fs)', imports: "import fse from 'fs-extra';", body: "fse.readFileSync('/a');", at: 'readFileSync' },
  { name: 'a computed member with a static name', imports: "import fs from 'node:fs';", body: "fs['readFileSync']('/a');", at: "'readFileSync'" },
  { name: '.call', imports: "import fs from 'node:fs';", body: "fs.readFileSync.call(fs, '/a');", at: 'readFileSync' },
  { name: '.apply', imports: "import fs from 'node:fs';", body: "fs.readFileSync.apply(fs, ['/a']);", at: 'readFileSync' },
  {
    name: 'a function stored in a variable and called later',
    imports: "import fs from 'node:fs';\nconst read = fs.readFileSync;",
    body: "read('/a');",
    at: 'read(',
  },
  { name: 'a bound function', imports: "import fs from 'node:fs';", body: "fs.readFileSync.bind(fs)('/a');", at: 'readFileSync' },
  {
    name: 'a helper passed by reference to an array method',
    imports: "import fs from 'node:fs';\nfunction touch(name: string): void { fs.writeFileSync('/data/' + name, 'x'); }",
    body: "['a', 'b'].forEach(touch);",
    at: 'writeFileSync',
    occurrence: 1,
  },
];

const invalid: Invalid[] = flaggedInRoute(flagged);

invalid.push(
  {
    name: 'the suggestion rewrites to fs.promises inside an async handler',
    code: "import fs from 'node:fs';\nimport express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => {\n  res.send(fs.readFileSync('/a', 'utf8').trim());\n});\n",
    filename: FILE,
    errors: [
      {
        messageId: 'blockingCall',
        line: 5,
        suggestions: [
          {
            messageId: 'useAsyncAlternative',
            data: { description: 'Replace with await fs.promises.readFile(...)' },
            output:
              "import fs from 'node:fs';\nimport express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => {\n  res.send((await fs.promises.readFile('/a', 'utf8')).trim());\n});\n",
          },
        ],
      },
    ],
  },
  {
    name: 'the suggestion imports the promise twin of a named import',
    code: "import { writeFileSync } from 'node:fs';\nexport async function save(data: string) {\n  writeFileSync('/a', data);\n}\n",
    filename: FILE,
    errors: [
      {
        messageId: 'blockingCall',
        line: 3,
        suggestions: [
          {
            messageId: 'useAsyncAlternative',
            data: { description: 'Replace with await writeFile(...)' },
            output:
              "import { writeFileSync } from 'node:fs';\nimport { writeFile } from 'node:fs/promises';\nexport async function save(data: string) {\n  await writeFile('/a', data);\n}\n",
          },
        ],
      },
    ],
  },
);

runRuleTests('no-sync-io', noSyncIo, {
  valid: [
    validInRoute('fs.promises', "import fs from 'node:fs';", "void fs.promises.readFile('/a');"),
    validInRoute('callback fs', "import fs from 'node:fs';", "fs.readFile('/a', () => {});"),
    validInRoute('randomBytes with a callback', "import crypto from 'node:crypto';", 'crypto.randomBytes(16, () => {});'),
    validInRoute('randomInt with a callback', "import crypto from 'node:crypto';", 'crypto.randomInt(10, () => {});'),
    validInRoute('async child_process', "import { execFile } from 'node:child_process';", "execFile('ls', () => {});"),
    validInRoute('async zlib', "import zlib from 'node:zlib';", "zlib.gzip('x', () => {});"),
    validInRoute(
      'a name ending in Sync that is not a catalog API',
      'const Effect = { runSync: (x: number) => x };\nconst cache = { isSync: () => true };',
      'Effect.runSync(1); cache.isSync();',
    ),
    validInRoute('a local function named readFileSync', 'function readFileSync(path: string) { return path; }', "readFileSync('/a');"),
    // Untyped receivers are reported only by Node's own sync names (test/accuracy/library-api.test.ts).
    validInRoute(
      'a callee that cannot be resolved stays silent',
      'declare const anything: any;',
      "anything.readFile('/a'); anything.frobnicateSync(); anything();",
    ),
    {
      name: 'ignoredApis drops a catalog entry',
      code: inRoute("import fs from 'node:fs';", "fs.existsSync('/a');"),
      filename: FILE,
      options: [{ ignoredApis: ['node:fs.existsSync'] }],
    },
  ],
  invalid,
});
