/**
 * Which files are not server code: CLI and build scripts (package.json `bin` targets, `#!` files,
 * `scripts/` and `bin/` folders, `*.config.*` files, and modules only they import) and worker-thread code
 * (files that use `parentPort`/`workerData`, piscina task files and `new Worker(file)` targets). A script's
 * own code is not an entry point, but a server it starts still has handlers (see `analyze.ts`), and a
 * package's library entry points (`main`, `exports`) stay server code whoever else imports them.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Minimatch } from 'minimatch';
import ts from 'typescript';
import { importedFiles, resolvedImportNames, sameFileNames } from './imports.js';
import { isOwnSourceFile } from './own-files.js';
import { skipOuterExpressions } from './resolve.js';

// Loaded as CommonJS: ESLint has already loaded that copy, and the ESM build would be a second one to load.
const minimatch = createRequire(import.meta.url)('minimatch') as typeof import('minimatch');

export const DEFAULT_SCRIPT_PATTERNS = ['**/scripts/**', '**/bin/**', '**/*.config.*'];

export type FileRole = 'server' | 'script' | 'worker';

/** A `#!` line; ESLint hands parsers the text with it turned into a `//` comment (`///usr/bin/env node`). */
const SHEBANG = /^(?:#!|\/\/\/(?!\s*<))/;

/**
 * What a project's last roles were computed from. An editor's next program differs in a file or two; when
 * none of them changed its own role, its imports or the worker targets, every role stays as it was.
 */
interface RolesSnapshot {
  /**
   * The files as they were: which SourceFile objects, and each file's role from its own text and path. Not the
   * files themselves, which would keep a released program's source alive (the CLI audits a large project as
   * several programs in turn; a WeakRef would too, to the end of the current job).
   */
  sameFiles: WeakSet<ts.SourceFile>;
  ownRoles: ReadonlyMap<string, FileRole>;
  /** Each file's resolved imports (the same array while they resolve the same). */
  imports: ReadonlyMap<string, readonly string[]>;
  roles: ReadonlyMap<string, FileRole>;
  workerTargets: ReadonlySet<string>;
  binTargetsByPackageDir: ReadonlyMap<string, PackageEntryPoints | undefined>;
  /** Every file ran on the server's loop: no script or worker for a role to propagate from. */
  allServer: boolean;
}

/** The last snapshot per project folder and script patterns. */
const lastRoles = new Map<string, RolesSnapshot>();

export class FileRoles {
  private readonly roles = new Map<string, FileRole>();
  private readonly workerTargets = new Set<string>();
  private readonly binTargetsByPackageDir = new Map<string, PackageEntryPoints | undefined>();
  /** By folder, the nearest folder at or above it with a package.json (null: none below node_modules or the root). */
  private readonly binPackageDirs = new Map<string, string | null>();
  private readonly scriptMatchers: readonly Minimatch[];
  private readonly snapshotKey: string;

  constructor(
    private readonly program: ts.Program,
    scriptPatterns: readonly string[],
  ) {
    this.scriptMatchers = scriptPatterns.map((pattern) => new minimatch.Minimatch(pattern, { dot: true }));
    this.snapshotKey = `${program.getCurrentDirectory()}\0${scriptPatterns.join('\0')}`;
    for (const sourceFile of program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile) continue;
      for (const target of workerTargetsIn(sourceFile)) this.workerTargets.add(target);
    }
  }

  roleOf(sourceFile: ts.SourceFile): FileRole {
    this.propagateScriptRoles();
    return this.ownRole(sourceFile);
  }

  private ownRole(sourceFile: ts.SourceFile): FileRole {
    let role = this.roles.get(sourceFile.fileName);
    if (!role) {
      role = this.classify(sourceFile);
      this.roles.set(sourceFile.fileName, role);
    }
    return role;
  }

  private propagated = false;

  /**
   * A module that only scripts (or worker files) import is their code too (`bin/cli.js` → `lib/cli/run.js`):
   * it runs in that process or thread, not on the server's loop. Entry points nobody imports keep their role,
   * and so do the package's library entry points: its users import them into their servers.
   */
  private propagateScriptRoles(): void {
    if (this.propagated) return;
    this.propagated = true;
    const files = this.program.getSourceFiles().filter((sourceFile) => isOwnSourceFile(this.program, sourceFile));
    if (this.reuseLastRoles(files)) return;
    this.computeRoles(files);
    lastRoles.set(this.snapshotKey, {
      ...this.filesAsThey(files),
      imports: this.importsOf(files),
      roles: new Map(this.roles),
      allServer: [...this.roles.values()].every((role) => role === 'server'),
      workerTargets: this.workerTargets,
      binTargetsByPackageDir: this.binTargetsByPackageDir,
    });
  }

  /** Takes the last program's roles when no file changed anything they depend on. */
  private reuseLastRoles(files: readonly ts.SourceFile[]): boolean {
    const last = lastRoles.get(this.snapshotKey);
    if (!last || last.ownRoles.size !== files.length || last.workerTargets.size !== this.workerTargets.size) return false;
    for (const target of this.workerTargets) if (!last.workerTargets.has(target)) return false;
    for (const [dir, targets] of last.binTargetsByPackageDir) if (targets !== undefined && readPackageEntryPoints(dir) !== targets) return false;
    for (const sourceFile of files) {
      if (!last.sameFiles.has(sourceFile) && last.ownRoles.get(sourceFile.fileName) !== this.roleFromFileAlone(sourceFile)) return false;
      if (last.allServer) continue; // Nothing to propagate from, whatever the file imports.
      // An unchanged file's imports change too when a file it names is created.
      const importsBefore = last.imports.get(sourceFile.fileName);
      if (!importsBefore || !sameFileNames(resolvedImportNames(sourceFile, this.program), importsBefore)) return false;
    }
    for (const [fileName, role] of last.roles) this.roles.set(fileName, role);
    for (const [dir, targets] of last.binTargetsByPackageDir) this.binTargetsByPackageDir.set(dir, targets);
    lastRoles.set(this.snapshotKey, { ...last, ...this.filesAsThey(files), imports: this.importsOf(files) });
    return true;
  }

  private filesAsThey(files: readonly ts.SourceFile[]): Pick<RolesSnapshot, 'sameFiles' | 'ownRoles'> {
    return { sameFiles: new WeakSet(files), ownRoles: new Map(files.map((sourceFile) => [sourceFile.fileName, this.roleFromFileAlone(sourceFile)])) };
  }

  private importsOf(files: readonly ts.SourceFile[]): Map<string, readonly string[]> {
    return new Map(files.map((sourceFile) => [sourceFile.fileName, resolvedImportNames(sourceFile, this.program)]));
  }

  private computeRoles(files: readonly ts.SourceFile[]): void {
    if (files.every((sourceFile) => this.ownRole(sourceFile) === 'server')) return;
    const importers = new Map<ts.SourceFile, ts.SourceFile[]>();
    for (const sourceFile of files) {
      for (const imported of importedFiles(sourceFile, this.program)) {
        const list = importers.get(imported) ?? [];
        list.push(sourceFile);
        importers.set(imported, list);
      }
    }
    // A `#!` line marks a program's entry point, but a module that server code imports (a library file that
    // kept the line) runs on the server's loop whatever its first line says.
    for (const sourceFile of files) {
      if (
        this.ownRole(sourceFile) === 'script' &&
        this.isScriptByShebangAlone(sourceFile) &&
        importers.get(sourceFile)?.some((importer) => this.ownRole(importer) === 'server')
      ) {
        this.roles.set(sourceFile.fileName, 'server');
      }
    }
    for (let changed = true; changed;) {
      changed = false;
      for (const sourceFile of files) {
        const by = importers.get(sourceFile);
        if (this.ownRole(sourceFile) !== 'server' || !by || by.length === 0 || this.isLibraryEntry(sourceFile)) continue;
        if (by.every((importer) => this.ownRole(importer) !== 'server')) {
          this.roles.set(sourceFile.fileName, 'script');
          changed = true;
        }
      }
    }
  }

  private classify(sourceFile: ts.SourceFile): FileRole {
    const fileName = nativePath(sourceFile.fileName);
    if (this.workerTargets.has(withoutExtension(fileName))) return 'worker';
    const ownRole = this.roleFromFileAlone(sourceFile);
    if (ownRole !== 'server') return ownRole;
    return this.isPackageBinTarget(fileName) ? 'script' : 'server';
  }

  /** What the file's own text and path say (worker port, `#!`, script patterns), kept per SourceFile object. */
  private roleFromFileAlone(sourceFile: ts.SourceFile): FileRole {
    const key = this.snapshotKey;
    let byKey = rolesFromFileAlone.get(sourceFile);
    if (!byKey) {
      byKey = new Map();
      rolesFromFileAlone.set(sourceFile, byKey);
    }
    let role = byKey.get(key);
    if (!role) {
      const relative = pathBelow(this.program.getCurrentDirectory(), sourceFile.fileName);
      role = usesWorkerThreadPort(sourceFile)
        ? 'worker'
        : SHEBANG.test(sourceFile.text) || this.scriptMatchers.some((matcher) => matcher.match(relative))
          ? 'script'
          : 'server';
      byKey.set(key, role);
    }
    return role;
  }

  private isScriptByShebangAlone(sourceFile: ts.SourceFile): boolean {
    if (!SHEBANG.test(sourceFile.text)) return false;
    const relative = pathBelow(this.program.getCurrentDirectory(), sourceFile.fileName);
    return !this.scriptMatchers.some((matcher) => matcher.match(relative)) && !this.isPackageBinTarget(nativePath(sourceFile.fileName));
  }

  private isPackageBinTarget(fileName: string): boolean {
    const packageDir = this.binPackageDirOf(path.dirname(fileName));
    if (packageDir === null) return false;
    const targets = this.binTargetsOf(packageDir)!.bin;
    return targets.has(withoutExtension(fileName)) || sourceTwinOf(targets, fileName, packageDir);
  }

  /** A file the package's `main` or `exports` names (or the source it is built from). */
  private isLibraryEntry(sourceFile: ts.SourceFile): boolean {
    const fileName = nativePath(sourceFile.fileName);
    const packageDir = this.binPackageDirOf(path.dirname(fileName));
    if (packageDir === null) return false;
    const targets = this.binTargetsOf(packageDir)!.library;
    return targets.has(withoutExtension(fileName)) || sourceTwinOf(targets, fileName, packageDir);
  }

  /** The package folder a file in `dir` belongs to; files share folders, so it is kept per folder. */
  private binPackageDirOf(dir: string): string | null {
    let packageDir = this.binPackageDirs.get(dir);
    if (packageDir === undefined) {
      const parent = path.dirname(dir);
      packageDir = this.binTargetsOf(dir) !== undefined ? dir : parent === dir || path.basename(dir) === 'node_modules' ? null : this.binPackageDirOf(parent);
      this.binPackageDirs.set(dir, packageDir);
    }
    return packageDir;
  }

  /** The entry points of the package.json in `dir` (without extensions), or undefined if there is none. */
  private binTargetsOf(dir: string): PackageEntryPoints | undefined {
    if (!this.binTargetsByPackageDir.has(dir)) this.binTargetsByPackageDir.set(dir, readPackageEntryPoints(dir));
    return this.binTargetsByPackageDir.get(dir);
  }
}

const workerTargetsByFile = new WeakMap<ts.SourceFile, readonly string[]>();

/** The files a file starts workers from (`new Worker(file)`, piscina's `filename`), without extensions. */
function workerTargetsIn(sourceFile: ts.SourceFile): readonly string[] {
  let targets = workerTargetsByFile.get(sourceFile);
  if (!targets) {
    targets = /\b(?:Worker|Piscina)\b/.test(sourceFile.text) ? collectWorkerTargets(sourceFile) : [];
    workerTargetsByFile.set(sourceFile, targets);
  }
  return targets;
}

function collectWorkerTargets(sourceFile: ts.SourceFile): string[] {
  const targets: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      const constructorName = node.expression.text;
      const first = node.arguments?.[0];
      let target: ts.Expression | undefined;
      if (constructorName === 'Worker') target = first;
      if (constructorName === 'Piscina' && first && ts.isObjectLiteralExpression(first)) {
        const filename = first.properties.find(
          (property): property is ts.PropertyAssignment =>
            ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'filename',
        );
        target = filename?.initializer;
      }
      const resolved = target && staticFilePath(target, sourceFile.fileName);
      if (resolved) targets.push(withoutExtension(resolved));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return targets;
}

const rolesFromFileAlone = new WeakMap<ts.SourceFile, Map<string, FileRole>>();

/** A package's entry points, as absolute paths without extensions. */
interface PackageEntryPoints {
  /** `bin`: command-line programs. */
  bin: Set<string>;
  /** `main`, `module` and every file `exports` names: what the package's users import. */
  library: Set<string>;
}

/** package.json entry points by folder, re-read only when the file's modification time changes. */
const entryPointsOnDisk = new Map<string, { mtimeMs: number; targets: PackageEntryPoints | undefined }>();

function readPackageEntryPoints(dir: string): PackageEntryPoints | undefined {
  const manifestPath = path.join(dir, 'package.json');
  let mtimeMs: number | undefined;
  try {
    // Most folders have no package.json: asking not to throw saves building an error for each.
    mtimeMs = fs.statSync(manifestPath, { throwIfNoEntry: false })?.mtimeMs;
  } catch {
    return undefined;
  }
  if (mtimeMs === undefined) return undefined;
  const cached = entryPointsOnDisk.get(dir);
  if (cached?.mtimeMs === mtimeMs) return cached.targets;
  const targets: PackageEntryPoints = { bin: new Set(), library: new Set() };
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { bin?: unknown; main?: unknown; module?: unknown; exports?: unknown };
    const resolveAll = (entries: unknown[]): string[] =>
      entries.filter((entry): entry is string => typeof entry === 'string').map((entry) => withoutExtension(path.resolve(dir, entry)));
    const bin = manifest.bin;
    for (const target of resolveAll(typeof bin === 'string' ? [bin] : bin && typeof bin === 'object' ? Object.values(bin) : [])) targets.bin.add(target);
    // A package with neither `main` nor `exports` is imported through its index.js.
    const main = manifest.main ?? (manifest.exports === undefined ? 'index.js' : undefined);
    for (const target of resolveAll([main, manifest.module, ...stringsIn(manifest.exports)])) targets.library.add(target);
  } catch {
    // An unreadable package.json names no entry point.
  }
  entryPointsOnDisk.set(dir, { mtimeMs, targets });
  return targets;
}

/** Every string in a package.json `exports` value (paths, nested conditions, subpath maps). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** A file name as node:path spells it (TypeScript's are absolute with `/`, which is already that off Windows). */
function nativePath(fileName: string): string {
  return path.sep === '/' && fileName.startsWith('/') ? fileName : path.resolve(fileName);
}

/** A file's path relative to a folder, with `/` (as script patterns are written). */
function pathBelow(dir: string, fileName: string): string {
  const native = nativePath(fileName);
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  const relative = native.startsWith(prefix) ? native.slice(prefix.length) : path.relative(dir, native);
  return relative.replaceAll('\\', '/');
}

function withoutExtension(fileName: string): string {
  return fileName.replace(/\.(?:[cm]?[jt]s|[jt]sx)$/, '');
}

const BUILD_FOLDER = /^(?:dist|build|lib|out)\//;
const SOURCE_FOLDER = /^src\//;

/** Bin targets' paths below their package with the build folder stripped, per targets set (read once per package.json). */
const builtTwins = new WeakMap<Set<string>, Set<string>>();

/**
 * `bin: dist/cli.js` built from `src/cli.ts` (or from `cli.ts` with rootDir `.`): the bin target's path
 * below the package, without its build folder, is the source's path below the package without `src/`.
 */
function sourceTwinOf(targets: Set<string>, fileName: string, packageDir: string): boolean {
  let twins = builtTwins.get(targets);
  if (!twins) {
    twins = new Set();
    for (const target of targets) {
      const built = pathBelow(packageDir, target);
      if (BUILD_FOLDER.test(built)) twins.add(built.replace(BUILD_FOLDER, ''));
    }
    builtTwins.set(targets, twins);
  }
  if (twins.size === 0) return false;
  const source = pathBelow(packageDir, withoutExtension(fileName));
  return twins.has(source) || twins.has(source.replace(SOURCE_FOLDER, ''));
}

const WORKER_SIDE_NAMES = new Set(['parentPort', 'workerData']);

/**
 * A file that takes `parentPort` or `workerData` from worker_threads (import, destructured require, or
 * `wt.parentPort`) is the worker's side; a `workerData:` option passed to `new Worker()` is not.
 */
function usesWorkerThreadPort(sourceFile: ts.SourceFile): boolean {
  if (!sourceFile.text.includes('worker_threads') || !/\b(?:parentPort|workerData)\b/.test(sourceFile.text)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && WORKER_SIDE_NAMES.has(node.text)) {
      const parent = node.parent;
      found = ts.isImportSpecifier(parent) || ts.isBindingElement(parent) || (ts.isPropertyAccessExpression(parent) && parent.name === node);
      if (found) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/**
 * The file a worker-constructor argument names, when it is static: `'./w.js'`, `path.join(__dirname, 'w.js')`,
 * `new URL('./w.js', import.meta.url)` (also `.href` and `fileURLToPath(...)`).
 */
function staticFilePath(expression: ts.Expression, fromFile: string): string | undefined {
  const node = skipOuterExpressions(expression);
  const dir = path.dirname(fromFile);
  if (ts.isStringLiteralLike(node)) return path.resolve(dir, node.text);
  if (ts.isPropertyAccessExpression(node) && (node.name.text === 'href' || node.name.text === 'pathname')) {
    return staticFilePath(node.expression, fromFile);
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
    const first = node.arguments?.[0];
    return first && ts.isStringLiteralLike(first) ? path.resolve(dir, first.text) : undefined;
  }
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    const calleeName = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (calleeName === 'fileURLToPath' && node.arguments[0]) return staticFilePath(node.arguments[0], fromFile);
    if (calleeName === 'join' || calleeName === 'resolve') {
      const parts: string[] = [];
      for (const argument of node.arguments) {
        if (ts.isIdentifier(argument) && argument.text === '__dirname') parts.push(dir);
        else if (ts.isStringLiteralLike(argument)) parts.push(argument.text);
        else return undefined;
      }
      return path.resolve(dir, ...parts);
    }
  }
  return undefined;
}
