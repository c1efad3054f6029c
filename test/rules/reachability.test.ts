/**
 * Blocking calls reached through other functions and files, and the files that never run on a server's
 * loop: startup code, CLI and build scripts, worker threads. Also plain JavaScript without a tsconfig.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import noSyncIo from '../../rules/no-sync-io.js';
import { APP_DIR, FILE, messageAt, PLAIN_JS_DIR, reportAt, runRuleTests } from './rule-tester.js';

const REPORT_FILE = 'src/lib/report.ts';
const reportCode = fs.readFileSync(path.join(APP_DIR, REPORT_FILE), 'utf8');
const routesCode = fs.readFileSync(path.join(APP_DIR, 'src/routes/reports.ts'), 'utf8');
const ADVICE = 'Use await fs.promises.readFile(...)';

const READ_IN_ROUTE = `import fs from 'node:fs';
import express from 'express';
const app = express();
app.get('/x', (req, res) => { res.send(fs.readFileSync('/a')); });
`;

/** What is an entry point in server code (an exported async function, a timer) but a script's own code. */
const SCRIPT_OWN_CODE = `import fs from 'node:fs';
export async function main() { return fs.readFileSync('/a'); }
setInterval(() => { fs.readFileSync('/b'); }, 1000);
`;

runRuleTests('reachability', noSyncIo, {
  valid: [
    { name: "a route file is not blamed for the helper's call", code: routesCode, filename: 'src/routes/reports.ts' },
    { name: 'a file with a #! line is a CLI script', code: `#!/usr/bin/env node\n${SCRIPT_OWN_CODE}`, filename: FILE },
    { name: 'scripts/ holds build and maintenance scripts', code: SCRIPT_OWN_CODE, filename: 'scripts/seed.ts' },
    { name: 'bin/ holds CLI entry points', code: SCRIPT_OWN_CODE, filename: 'bin/tool.ts' },
    { name: '*.config.* files configure tools', code: SCRIPT_OWN_CODE, filename: 'vite.config.ts' },
    {
      name: 'package.json bin targets (built from src/)',
      code: "export async function main() { (await import('node:fs')).readFileSync('/a'); }\n",
      filename: 'src/admin.ts',
    },
    {
      name: 'worker-thread code (parentPort)',
      code: "import fs from 'node:fs';\nimport { parentPort } from 'node:worker_threads';\nparentPort?.on('message', (file: string) => { parentPort?.postMessage(fs.readFileSync(file)); });\n",
      filename: 'src/worker.ts',
    },
    {
      name: 'a custom scriptPatterns list',
      code: SCRIPT_OWN_CODE,
      filename: FILE,
      options: [{ scriptPatterns: ['src/file.ts'] }],
    },
  ],
  invalid: [
    {
      // A server a CLI starts still has handlers: only the script's own code is not an entry point.
      name: 'a route registered in a CLI script is a handler',
      code: READ_IN_ROUTE,
      filename: 'bin/tool.ts',
      errors: [
        messageAt(READ_IN_ROUTE, 'bin/tool.ts', { at: 'readFileSync', call: 'fs.readFileSync', handler: 'GET /x', handlerAt: 'app.get', advice: ADVICE }),
      ],
    },
    {
      name: 'a helper in another file is reported with the route and the chain',
      code: reportCode,
      filename: REPORT_FILE,
      errors: [
        messageAt(reportCode, REPORT_FILE, {
          at: 'readFileSync',
          occurrence: 1,
          call: 'fs.readFileSync',
          handler: 'GET /reports/:id',
          handlerAt: 'reports.get',
          handlerFile: 'src/routes/reports.ts',
          handlerFileCode: routesCode,
          via: ['renderReport'],
          advice: ADVICE,
        }),
        messageAt(reportCode, REPORT_FILE, {
          at: 'readFileSync',
          occurrence: 2,
          call: 'fs.readFileSync',
          handler: 'GET /templates/:name',
          handlerAt: "reports.get('/templates",
          handlerFile: 'src/routes/reports.ts',
          handlerFileCode: routesCode,
          via: ['wrap', 'loadTemplate'],
          advice: ADVICE,
        }),
      ],
    },
    {
      name: 'arguments evaluated eagerly at an offload call still run on the loop',
      code: "import fs from 'node:fs';\nimport express from 'express';\ndeclare const pool: { run(task: unknown): Promise<unknown> };\nconst app = express();\napp.post('/zip', (req, res) => { void pool.run(fs.readFileSync('/a')); res.end(); });\n",
      filename: FILE,
      errors: [{ messageId: 'blockingCall', line: 5 }],
    },
    {
      name: 'a function called from a handler and at startup is reported for the handler',
      code: "import fs from 'node:fs';\nimport express from 'express';\nfunction load() { return fs.readFileSync('/a'); }\nload();\nconst app = express();\napp.get('/x', (req, res) => { res.send(load()); });\n",
      filename: FILE,
      errors: [{ messageId: 'blockingCall', line: 3 }],
    },
    {
      name: 'recursion terminates',
      code: "import fs from 'node:fs';\nimport express from 'express';\nfunction walk(n: number): void { if (n > 0) { fs.readdirSync('/'); walk(n - 1); even(n); } }\nfunction even(n: number): void { walk(n - 1); }\nconst app = express();\napp.get('/x', (req, res) => { walk(3); res.end(); });\n",
      filename: FILE,
      errors: [{ messageId: 'blockingCall', line: 3 }],
    },
  ],
});

const serverCode = fs.readFileSync(path.join(PLAIN_JS_DIR, 'src/server.js'), 'utf8');
const storeCode = fs.readFileSync(path.join(PLAIN_JS_DIR, 'src/lib/store.js'), 'utf8');

runRuleTests(
  'plain JavaScript without a tsconfig',
  noSyncIo,
  {
    valid: [{ name: 'the server file itself does no sync I/O', code: serverCode, filename: 'src/server.js' }],
    invalid: [
      {
        name: 'require(), a helper module and node:http resolve through the bundled @types/node',
        code: storeCode,
        filename: 'src/lib/store.js',
        errors: [
          messageAt(storeCode, 'src/lib/store.js', {
            at: 'writeFileSync',
            call: 'fs.writeFileSync',
            handler: 'http request',
            handlerAt: 'http.createServer',
            handlerFile: 'src/server.js',
            handlerFileCode: serverCode,
            via: ['save'],
            advice: 'Use await fs.promises.writeFile(...)',
          }),
        ],
      },
      {
        name: 'destructured require in the linted text itself',
        code: "const { readFileSync: read } = require('fs');\nconst http = require('http');\nhttp.createServer((req, res) => res.end(read('/a')));\n",
        filename: 'src/file.js',
        errors: [
          reportAt(
            "const { readFileSync: read } = require('fs');\nconst http = require('http');\nhttp.createServer((req, res) => res.end(read('/a')));\n",
            "read('/a')",
          ),
        ],
      },
    ],
  },
  PLAIN_JS_DIR,
);
