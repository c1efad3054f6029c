/**
 * no-blocking-client: each blocking client of the catalog, typed or read from the syntax when its package
 * has no types, argument- and overload-sensitive entries, and the user's additions.
 */
import noBlockingClient from '../../rules/no-blocking-client.js';
import { flaggedInRoute, inRoute, validInRoute, type FlaggedInRoute } from './route-code.js';
import { FILE, runRuleTests, type Invalid } from './rule-tester.js';

const flagged: FlaggedInRoute[] = [
  {
    name: 'better-sqlite3 statement methods',
    imports: "import Database from 'better-sqlite3';\nconst db = new Database('app.db');",
    body: "db.prepare('select 1').get();",
    at: 'get()',
  },
  {
    name: 'better-sqlite3 exec',
    imports: "import Database from 'better-sqlite3';\nconst db = new Database('app.db');",
    body: "db.exec('vacuum');",
    at: 'exec',
  },
  {
    name: 'node:sqlite DatabaseSync constructor',
    imports: "import { DatabaseSync } from 'node:sqlite';",
    body: "new DatabaseSync(':memory:');",
    at: 'DatabaseSync(',
  },
  {
    name: 'node:sqlite StatementSync methods',
    imports: "import type { StatementSync } from 'node:sqlite';\ndeclare const statement: StatementSync;",
    body: 'statement.all();',
    at: 'all()',
  },
  { name: 'bcrypt hashSync', imports: "import bcrypt from 'bcrypt';", body: "bcrypt.hashSync('pw', 12);", at: 'hashSync' },
  { name: 'bcryptjs compareSync', imports: "import bcrypt from 'bcryptjs';", body: "bcrypt.compareSync('pw', 'hash');", at: 'compareSync' },
  { name: 'bcrypt genSaltSync', imports: "import { genSaltSync } from 'bcrypt';", body: 'genSaltSync(12);', at: 'genSaltSync' },
  { name: 'jsonwebtoken sign without a callback', imports: "import jwt from 'jsonwebtoken';", body: "jwt.sign({ sub: 'u' }, 'secret');", at: 'sign' },
  { name: 'jsonwebtoken verify without a callback', imports: "import jwt from 'jsonwebtoken';", body: "jwt.verify('token', 'secret');", at: 'verify' },
  { name: 'sync-request', imports: "import request from 'sync-request';", body: "request('GET', 'http://127.0.0.1/');", at: "request('GET'" },
  {
    name: 'sync-fetch (untyped: read from the import)',
    imports: "import fetchSync from 'sync-fetch';",
    body: "fetchSync('http://127.0.0.1/');",
    at: 'fetchSync(',
  },
  {
    name: 'xmlhttprequest open(method, url, false)',
    imports: "import { XMLHttpRequest } from 'xmlhttprequest';\nconst xhr = new XMLHttpRequest();",
    body: "xhr.open('GET', 'http://127.0.0.1/', false);",
    at: 'open',
  },
  {
    name: 'deasync-wrapped functions',
    imports: "import deasync from 'deasync';\nconst sleep = deasync((ms: number, done: (error: unknown) => void) => done(null));",
    body: 'sleep(10);',
    at: 'sleep(10)',
  },
  {
    name: 'synckit createSyncFn functions',
    imports: "import { createSyncFn } from 'synckit';\nconst run = createSyncFn<() => Promise<number>>('./worker.js');",
    body: 'run();',
    at: 'run()',
  },
  { name: 'atomic-sleep (untyped)', imports: "import sleep from 'atomic-sleep';", body: 'sleep(10);', at: 'sleep(10)' },
  { name: 'Atomics.wait', imports: 'const view = new Int32Array(new SharedArrayBuffer(4));', body: 'Atomics.wait(view, 0, 0, 10);', at: 'wait' },
  { name: 'execa execaSync', imports: "import { execaSync } from 'execa';", body: "execaSync('ls');", at: 'execaSync(' },
  { name: 'cross-spawn spawn.sync', imports: "import spawn from 'cross-spawn';", body: "spawn.sync('ls');", at: 'sync' },
  { name: 'shelljs commands', imports: "import shell from 'shelljs';", body: "shell.ls('/');", at: 'ls(' },
  { name: 'shelljs exec without a callback', imports: "import shell from 'shelljs';", body: "shell.exec('ls');", at: 'exec' },
  { name: 'fs-extra sync forms', imports: "import fse from 'fs-extra';", body: "fse.readJsonSync('/a.json');", at: 'readJsonSync' },
  { name: 'glob globSync', imports: "import { globSync } from 'glob';", body: "globSync('**/*.md');", at: 'globSync(' },
  { name: 'fast-glob sync', imports: "import fg from 'fast-glob';", body: "fg.sync('**/*.md');", at: 'sync' },
  { name: 'tinyglobby globSync', imports: "import { globSync } from 'tinyglobby';", body: "globSync(['**/*.md']);", at: 'globSync(' },
  { name: 'globby globbySync (untyped)', imports: "import { globbySync } from 'globby';", body: "globbySync('*.md');", at: 'globbySync(' },
  { name: 'rimraf rimrafSync (untyped)', imports: "import { rimrafSync } from 'rimraf';", body: "rimrafSync('/tmp/x');", at: 'rimrafSync(' },
  { name: 'mkdirp mkdirpSync (untyped)', imports: "import { mkdirpSync } from 'mkdirp';", body: "mkdirpSync('/tmp/x');", at: 'mkdirpSync(' },
  { name: 'del deleteSync (untyped)', imports: "import { deleteSync } from 'del';", body: "deleteSync('/tmp/x');", at: 'deleteSync(' },
  { name: 'find-up sync', imports: "import findUp from 'find-up';", body: "findUp.sync('package.json');", at: 'sync' },
  {
    name: 'adm-zip extractAllTo',
    imports: "import AdmZip from 'adm-zip';\nconst zip = new AdmZip('a.zip');",
    body: "zip.extractAllTo('/tmp/x');",
    at: 'extractAllTo',
  },
  {
    name: 'pg-native querySync',
    imports: "import Client from 'pg-native';\nconst client = new Client();",
    body: "client.querySync('select 1');",
    at: 'querySync',
  },
  {
    name: 'an API the user adds to the catalog',
    imports: "import os from 'node:os';",
    body: 'os.cpus();',
    at: 'cpus',
    options: {
      additionalApis: [{ declaration: { from: 'package', package: 'os', name: 'cpus' }, alternative: 'os.availableParallelism() read once at startup' }],
    },
  },
];

const invalid: Invalid[] = flaggedInRoute(flagged);

runRuleTests('no-blocking-client', noBlockingClient, {
  valid: [
    validInRoute(
      'better-sqlite3 prepare() alone compiles SQL in memory',
      "import Database from 'better-sqlite3';\nconst db = new Database('app.db');",
      "db.prepare('select 1');",
    ),
    {
      name: 'opening a database at startup',
      code: "import Database from 'better-sqlite3';\nexport const db = new Database('app.db');\ndb.pragma('journal_mode = WAL');\n",
      filename: FILE,
    },
    validInRoute('jsonwebtoken with a callback', "import jwt from 'jsonwebtoken';", "jwt.verify('token', 'secret', () => {});"),
    validInRoute('bcrypt async forms', "import bcrypt from 'bcrypt';", "void bcrypt.hash('pw', 12);"),
    validInRoute(
      'xmlhttprequest open(method, url, true)',
      "import { XMLHttpRequest } from 'xmlhttprequest';\nconst xhr = new XMLHttpRequest();",
      "xhr.open('GET', 'http://127.0.0.1/', true);",
    ),
    validInRoute('shelljs exec with a callback', "import shell from 'shelljs';", "shell.exec('ls', () => {});"),
    validInRoute('glob promise form', "import { glob } from 'glob';", "void glob('**/*.md');"),
    validInRoute('execa promise form', "import { execa } from 'execa';", "void execa('ls');"),
    validInRoute('Atomics.waitAsync', 'const view = new Int32Array(new SharedArrayBuffer(4));', 'Atomics.waitAsync(view, 0, 0, 10);'),
    {
      name: 'an ignored package API',
      code: inRoute("import bcrypt from 'bcrypt';", "bcrypt.hashSync('pw', 4);"),
      filename: FILE,
      options: [{ ignoredApis: [{ from: 'package', package: 'bcrypt', name: 'hashSync' }] }],
    },
    validInRoute("Node core sync I/O is no-sync-io's", "import fs from 'node:fs';", "fs.readFileSync('/a');"),
  ],
  invalid,
});
