/**
 * The catalog of blocking APIs, as data. Each entry names where the API is declared (so aliases,
 * re-exports and typed methods resolve to it through the checker), what it blocks on, and the
 * non-blocking alternative to suggest. Order matters: the first entry that matches a call wins, so
 * specific entries come before the `*Sync` patterns of the same module.
 */
import type { CatalogEntry, Category, BlockKind, Severity } from './types.js';

interface EntryInit {
  name: string | readonly string[];
  alternative: string;
  kind?: BlockKind;
  severity?: Severity;
  onlyWithoutCallback?: boolean;
  onlyWhenArgument?: CatalogEntry['onlyWhenArgument'];
  constructs?: boolean;
}

function group(packageName: string, category: Category, kind: BlockKind, entries: EntryInit[]): CatalogEntry[] {
  return entries.map((entry) => {
    const names = typeof entry.name === 'string' ? [entry.name] : entry.name;
    return {
      id: `${packageName}.${names.join('|')}`,
      declaration: { from: 'package', package: packageName, name: entry.name },
      category,
      kind: entry.kind ?? kind,
      severity: entry.severity ?? 'error',
      alternative: entry.alternative,
      ...(entry.onlyWithoutCallback ? { onlyWithoutCallback: true } : {}),
      ...(entry.onlyWhenArgument ? { onlyWhenArgument: entry.onlyWhenArgument } : {}),
      ...(entry.constructs ? { constructs: true } : {}),
    };
  });
}

const nodeFs = group('node:fs', 'fs', 'io', [
  { name: 'existsSync', alternative: 'await fs.promises.access(path) (or fs.promises.stat) in a try/catch' },
  { name: 'readSync', alternative: 'await fileHandle.read(...) from fs.promises.open' },
  { name: 'writeSync', alternative: 'await fileHandle.write(...) from fs.promises.open' },
  { name: 'openSync', alternative: 'await fs.promises.open(...)' },
  { name: 'closeSync', alternative: 'await fileHandle.close()' },
  {
    name: ['fstatSync', 'fsyncSync', 'fdatasyncSync', 'ftruncateSync', 'fchmodSync', 'fchownSync', 'futimesSync', 'readvSync', 'writevSync'],
    alternative: 'the matching FileHandle method of await fs.promises.open(...)',
  },
  { name: ['Dir.readSync', 'Dir.closeSync'], alternative: 'await dir.read() / await dir.close(), or for await (const entry of dir)' },
  { name: '*Sync', alternative: 'await fs.promises.{base}(...)' },
]);

const nodeChildProcess = group('node:child_process', 'child-process', 'wait', [
  { name: 'execSync', alternative: 'await promisify(exec)(...) from node:util' },
  { name: 'execFileSync', alternative: 'await promisify(execFile)(...) from node:util' },
  { name: 'spawnSync', alternative: 'spawn(...) and await its close event (events.once(child, "close"))' },
]);

const nodeZlib = group('node:zlib', 'zlib', 'cpu', [
  { name: '*Sync', alternative: 'await promisify(zlib.{base})(...) from node:util (runs on the libuv pool)' },
]);

const nodeCrypto = group('node:crypto', 'crypto', 'cpu', [
  { name: ['pbkdf2Sync', 'scryptSync', 'hkdfSync'], alternative: 'await promisify(crypto.{base})(...) from node:util (runs on the libuv pool)' },
  {
    name: ['generateKeyPairSync', 'generateKeySync', 'generatePrimeSync', 'checkPrimeSync'],
    alternative: 'await promisify(crypto.{base})(...) from node:util (runs on the libuv pool)',
  },
  { name: 'randomFillSync', alternative: 'await promisify(crypto.randomFill)(...) from node:util', severity: 'warning' },
  {
    name: ['randomBytes', 'randomInt'],
    onlyWithoutCallback: true,
    severity: 'warning',
    alternative: 'await promisify(crypto.{name})(...) from node:util (the callback form runs on the libuv pool)',
  },
  { name: ['sign', 'verify', 'diffieHellman'], onlyWithoutCallback: true, alternative: 'the callback form crypto.{name}(..., callback), wrapped in a promise' },
]);

const nodeSqlite = group('node:sqlite', 'blocking-client', 'io', [
  // prepare() only compiles SQL in memory; the statements it returns do the I/O.
  { name: 'DatabaseSync', constructs: true, alternative: 'an async driver (sqlite3, or better-sqlite3 in a worker pool via piscina)' },
  {
    name: [
      'DatabaseSync.exec',
      'DatabaseSync.open',
      'DatabaseSync.close',
      'DatabaseSync.loadExtension',
      'DatabaseSync.applyChangeset',
      'StatementSync.run',
      'StatementSync.get',
      'StatementSync.all',
      'StatementSync.iterate',
    ],
    alternative: 'an async driver (sqlite3), or a worker pool (piscina) for the query',
  },
]);

const atomicsWait: CatalogEntry = {
  id: 'lib.Atomics.wait',
  declaration: { from: 'lib', name: 'Atomics.wait' },
  category: 'wait',
  kind: 'wait',
  severity: 'error',
  alternative: 'await Atomics.waitAsync(...).value',
};

/** @types/xmlhttprequest re-exports the DOM lib's XMLHttpRequest, which Node itself does not have. */
const libXmlHttpRequest: CatalogEntry = {
  id: 'lib.XMLHttpRequest.open',
  declaration: { from: 'lib', name: 'XMLHttpRequest.open' },
  category: 'blocking-client',
  kind: 'io',
  severity: 'error',
  alternative: 'await fetch(...)',
  onlyWhenArgument: { index: 2, equals: false },
};

const packages: CatalogEntry[] = [
  ...group('better-sqlite3', 'blocking-client', 'io', [
    {
      name: [
        'Database.exec',
        'Database.pragma',
        'Database.close',
        'Database.serialize',
        'Database.loadExtension',
        'Statement.run',
        'Statement.get',
        'Statement.all',
        'Statement.iterate',
      ],
      alternative: 'a worker pool (piscina) for the query, or an async driver (sqlite3, pg, mysql2)',
    },
  ]),
  ...group('pg-native', 'blocking-client', 'io', [{ name: '*Sync', alternative: 'the callback form client.{base}(..., callback), or the pg package' }]),
  ...group('sync-request', 'blocking-client', 'io', [{ name: '*', alternative: 'await fetch(...)' }]),
  ...group('sync-fetch', 'blocking-client', 'io', [{ name: '*', alternative: 'await fetch(...)' }]),
  ...group('xmlhttprequest', 'blocking-client', 'io', [
    { name: 'XMLHttpRequest.open', onlyWhenArgument: { index: 2, equals: false }, alternative: 'await fetch(...)' },
  ]),
  ...group('deasync', 'wait', 'wait', [{ name: '*', alternative: 'an awaited promise instead of spinning the loop' }]),
  ...group('synckit', 'wait', 'wait', [{ name: '*', alternative: 'an awaited worker call (worker_threads or piscina)' }]),
  ...group('atomic-sleep', 'wait', 'wait', [{ name: '*', alternative: 'await setTimeout(ms) from node:timers/promises' }]),
  ...group('execa', 'blocking-client', 'wait', [{ name: ['execaSync', 'execaCommandSync', 'execaNodeSync', 'sync', 's'], alternative: 'await execa(...)' }]),
  ...group('cross-spawn', 'blocking-client', 'wait', [{ name: 'sync', alternative: 'spawn(...) and await its close event' }]),
  ...group('shelljs', 'blocking-client', 'wait', [
    { name: 'exec', onlyWithoutCallback: true, alternative: 'shell.exec(cmd, { async: true }, callback), or await promisify(exec)(...)' },
    { name: '*', alternative: 'the node:fs/promises or child_process equivalent, awaited' },
  ]),
  ...group('fs-extra', 'blocking-client', 'io', [{ name: '*Sync', alternative: 'await fse.{base}(...) (fs-extra functions return promises)' }]),
  ...group('glob', 'blocking-client', 'io', [{ name: ['globSync', 'sync'], alternative: 'await glob(...)' }]),
  ...group('fast-glob', 'blocking-client', 'io', [{ name: ['globSync', 'sync'], alternative: 'await fg.glob(...)' }]),
  ...group('globby', 'blocking-client', 'io', [{ name: ['globbySync', 'sync'], alternative: 'await globby(...)' }]),
  ...group('tinyglobby', 'blocking-client', 'io', [{ name: 'globSync', alternative: 'await glob(...)' }]),
  ...group('rimraf', 'blocking-client', 'io', [{ name: ['*Sync', 'sync'], alternative: 'await rimraf(...)' }]),
  ...group('mkdirp', 'blocking-client', 'io', [{ name: ['*Sync', 'sync'], alternative: 'await fs.promises.mkdir(path, { recursive: true })' }]),
  ...group('del', 'blocking-client', 'io', [{ name: ['deleteSync', 'sync'], alternative: 'await deleteAsync(...)' }]),
  ...group('find-up', 'blocking-client', 'io', [{ name: ['*Sync', 'sync'], alternative: 'await findUp(...)' }]),
  ...group('adm-zip', 'blocking-client', 'io', [
    {
      name: ['AdmZip.writeZip', 'AdmZip.toBuffer'],
      onlyWithoutCallback: true,
      alternative: 'the callback form, or a streaming zip library (yauzl/yazl, archiver)',
    },
    {
      name: ['AdmZip.extractAllTo', 'AdmZip.extractEntryTo', 'AdmZip.readFile', 'AdmZip.readAsText', 'AdmZip.addLocalFile', 'AdmZip.addLocalFolder'],
      alternative: 'a streaming zip library (yauzl/yazl, archiver), or a worker pool (piscina)',
    },
  ]),
  ...group('bcrypt', 'blocking-client', 'cpu', [
    { name: ['hashSync', 'compareSync', 'genSaltSync'], alternative: 'await bcrypt.{base}(...) (runs on the libuv pool)' },
  ]),
  ...group('bcrypt-nodejs', 'blocking-client', 'cpu', [
    { name: ['hashSync', 'compareSync', 'genSaltSync'], alternative: 'await bcrypt.{base}(...) from the maintained bcrypt or bcryptjs package' },
  ]),
  ...group('bcryptjs', 'blocking-client', 'cpu', [{ name: ['hashSync', 'compareSync', 'genSaltSync'], alternative: 'await bcrypt.{base}(...)' }]),
  // Minifiers and template or style compilers: whole-document CPU work, which a server that runs them per
  // request (on a cache miss) does on its loop.
  ...group('uglify-js', 'blocking-client', 'cpu', [
    { name: 'minify', alternative: 'minify at build time, or in a worker pool (piscina), and cache the result' },
  ]),
  ...group('terser', 'blocking-client', 'cpu', [{ name: 'minify_sync', alternative: 'await terser.minify(...) in a worker pool (piscina), or at build time' }]),
  ...group('clean-css', 'blocking-client', 'cpu', [
    { name: 'minify', onlyWithoutCallback: true, alternative: 'new CleanCSS({ returnPromise: true }).minify(...) in a worker pool, or at build time' },
  ]),
  ...group('node-sass', 'blocking-client', 'cpu', [
    { name: 'renderSync', alternative: 'sass.render(options, callback) (runs on the libuv pool), or compile at build time' },
  ]),
  ...group('sass', 'blocking-client', 'cpu', [
    { name: ['renderSync', 'compile', 'compileString'], alternative: 'await sass.compileAsync(...) / compileStringAsync(...), or compile at build time' },
  ]),
  ...group('stylus', 'blocking-client', 'cpu', [
    { name: 'render', onlyWithoutCallback: true, alternative: 'compile at build time, or in a worker pool (piscina), and cache the CSS' },
  ]),
  ...group('esbuild', 'blocking-client', 'cpu', [{ name: ['transformSync', 'buildSync'], alternative: 'await esbuild.transform(...) / build(...)' }]),
  ...group('@babel/core', 'blocking-client', 'cpu', [
    {
      name: ['transformSync', 'transformFileSync', 'transformFromAstSync', 'parseSync'],
      alternative: 'await babel.transformAsync(...), or transform at build time',
    },
  ]),
  ...group('jsonwebtoken', 'blocking-client', 'cpu', [
    {
      name: ['sign', 'verify'],
      onlyWithoutCallback: true,
      severity: 'warning',
      alternative: 'the callback form jwt.{name}(..., callback) wrapped in a promise, or the jose package',
    },
  ]),
];

export const CATALOG: readonly CatalogEntry[] = [
  ...nodeFs,
  ...nodeChildProcess,
  ...nodeZlib,
  ...nodeCrypto,
  ...nodeSqlite,
  atomicsWait,
  libXmlHttpRequest,
  ...packages,
];

/**
 * What the catalog's class-based clients make, for code read without their type package (type packages are
 * dev dependencies, so an installed server rarely has them): `new Database(file)` is a `Database` and
 * `db.prepare(sql)` a `Statement`, so `this.db.prepare(sql).get(id)` reads as `Statement.get`. Keyed by
 * module, then by the member path called or constructed (`''` for the module itself); the value is the class
 * the result is an instance of.
 */
const UNTYPED_RESULTS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  [
    'better-sqlite3',
    new Map([
      ['', 'Database'],
      ['Database', 'Database'],
      ['Database.prepare', 'Statement'],
    ]),
  ],
  [
    'node:sqlite',
    new Map([
      ['DatabaseSync', 'DatabaseSync'],
      ['DatabaseSync.prepare', 'StatementSync'],
    ]),
  ],
  ['adm-zip', new Map([['', 'AdmZip']])],
]);

/** The member path of what an untyped call or `new` of `path` in `module` makes, when the catalog knows its class. */
export function untypedResultPath(module: string, path: readonly string[]): string[] | undefined {
  const made = UNTYPED_RESULTS.get(module)?.get(path.join('.'));
  return made === undefined ? undefined : [made];
}

/** Fills `{name}` (the called name) and `{base}` (the name without its Sync suffix) in an alternative. */
export function alternativeFor(entry: CatalogEntry, calledName: string): string {
  const base = calledName.endsWith('Sync') ? calledName.slice(0, -'Sync'.length) : calledName;
  return entry.alternative.replaceAll('{name}', calledName).replaceAll('{base}', base);
}
