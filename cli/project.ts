/**
 * Finds what to audit and builds the TypeScript programs for it: one program per tsconfig that covers
 * audited files (following solution files and project references), plus one default allowJs program for
 * the files no tsconfig covers (plain JavaScript projects need no configuration at all, see the core's
 * defaultCompilerOptions).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import ts from 'typescript';
import { createGuardedCompilerHost, defaultCompilerOptions, isDeclarationFile, isSourceFile, projectRootOf } from '../core/index.js';
import { walkTree, type TreeEntry } from '../engine/file-tree.js';
import { toTsPath } from '../engine/paths.js';
import type { PathFilter } from './ignores.js';

export interface ProjectSpec {
  /** The tsconfig, or undefined for the default program. */
  configFile: string | undefined;
  rootNames: string[];
  options: ts.CompilerOptions;
  projectReferences: readonly ts.ProjectReference[] | undefined;
}

export interface ConfigProblem {
  file: string;
  line?: number;
  message: string;
}

export interface Discovery {
  /** Absolute paths of the files whose findings are reported. */
  auditedFiles: Set<string>;
  projects: ProjectSpec[];
  /** tsconfig files that could not be read; their files fall back to the default program. */
  problems: ConfigProblem[];
}

/**
 * The source files under `root` (a file or a folder), skipping node_modules, dot folders and what the
 * filter ignores below it (an ignored folder is not walked). A folder that cannot be read is listed in
 * `unreadable` and the walk goes on with its siblings.
 */
export function listSourceFiles(root: string, filter: PathFilter): { files: string[]; unreadable: ConfigProblem[] } {
  if (statSync(root).isFile()) return { files: isSourceFile(root) && !filter.isIgnored(root, false) ? [root] : [], unreadable: [] };
  const enter = ({ path: folder, entry }: TreeEntry) => entry.name !== 'node_modules' && !entry.name.startsWith('.') && !filter.isIgnored(folder, true);
  const unreadable: ConfigProblem[] = [];
  const onUnreadable = (folder: string, error: unknown) =>
    unreadable.push({ file: folder, message: `Cannot read folder: ${reasonOf(error)} (its files were not audited)` });
  const files: string[] = [];
  for (const { path: file, entry } of walkTree(root, enter, onUnreadable)) {
    if (entry.isFile() && !entry.name.startsWith('.') && isSourceFile(file) && !filter.isIgnored(file, false)) files.push(file);
  }
  return { files: files.sort(), unreadable };
}

/** Why a file or folder could not be read, as Node says it (`EACCES: permission denied`), without the path. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    const { code } = error;
    const description = error.message.match(new RegExp(`^${code}: ([^,]+)`))?.[1];
    return description ? `${code}: ${description}` : code;
  }
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/**
 * Discovers the projects for the given absolute paths. With `explicitProjects` only those tsconfigs are
 * used (plus their references); otherwise each path's nearest tsconfig (upwards) and the tsconfig files
 * below it are tried, and a tsconfig is kept only when it covers audited files — a repository's root
 * tsconfig must not swallow `blockcheck audit node_modules/some-server`. `files` are the files to audit
 * under the paths; those a tsconfig excludes or writes (its outDir) are dropped unless another covers them.
 */
export function discoverProjects(paths: readonly string[], explicitProjects: readonly string[], files: readonly string[]): Discovery {
  const auditedFiles = new Set(files.map(toTsPath));
  const problems: ConfigProblem[] = [];
  const candidates = new Set<string>();
  if (explicitProjects.length > 0) {
    for (const project of explicitProjects) candidates.add(toTsPath(project));
  } else {
    for (const root of paths) {
      const dir = statSync(root).isDirectory() ? root : path.dirname(root);
      const nearest = ts.findConfigFile(dir, (file) => ts.sys.fileExists(file), 'tsconfig.json');
      if (nearest) candidates.add(toTsPath(nearest));
      for (const nested of listNestedConfigs(dir)) candidates.add(nested);
    }
  }

  const projects: ProjectSpec[] = [];
  const covered = new Set<string>();
  const seenConfigs = new Set<string>();
  const visitConfig = (configFile: string): void => {
    if (seenConfigs.has(configFile)) return;
    seenConfigs.add(configFile);
    const configProblems: ConfigProblem[] = [];
    const parsed = parseConfig(configFile, configProblems);
    // A broken tsconfig matters where it would cover audited files: one the user names, or one above them.
    const configDir = `${path.dirname(configFile)}/`;
    if (explicitProjects.length > 0 || [...auditedFiles].some((file) => file.startsWith(configDir))) problems.push(...configProblems);
    if (!parsed) return;
    excluders.push(excludedBy(configFile, parsed));
    // Solution files (`files: []` plus references) have no files of their own; the references do.
    for (const reference of parsed.projectReferences ?? []) visitConfig(toTsPath(ts.resolveProjectReferencePath(reference)));
    const rootNames = parsed.fileNames.map(toTsPath);
    if (!rootNames.some((file) => auditedFiles.has(file))) return;
    for (const file of rootNames) covered.add(file);
    projects.push({
      configFile,
      rootNames,
      // Untyped dependencies' JavaScript joins the program so chains can continue into it (typed ones still
      // resolve to their declarations).
      options: { ...parsed.options, noEmit: true, allowJs: true, maxNodeModuleJsDepth: 2 },
      projectReferences: parsed.projectReferences,
    });
  };
  const excluders: Array<(fileName: string) => boolean> = [];
  for (const candidate of candidates) visitConfig(candidate);
  // An exclusion that covers a path the user names as a whole (auditing dist/ itself) does not apply to it.
  const applicable = excluders.filter((isExcluded) => !paths.some((root) => isExcluded(toTsPath(root))));
  for (const file of auditedFiles) {
    if (!covered.has(file) && applicable.some((isExcluded) => isExcluded(file))) auditedFiles.delete(file);
  }

  // Files no tsconfig covers get the core's zero-config program for their package root (the nearest
  // package.json): the @types/node that package would load (its dependencies resolve from each file). Roots
  // whose programs would have the same options share one: a package that bundles a hundred packages, each
  // with its package.json, is one type-check and one checker, not a hundred.
  const uncoveredByOptions = new Map<string, ProjectSpec>();
  const optionsByRoot = new Map<string, ts.CompilerOptions>();
  for (const file of auditedFiles) {
    if (covered.has(file)) continue;
    const root = projectRootOf(file);
    let options = optionsByRoot.get(root);
    if (!options) {
      options = defaultOptionsFor(root);
      optionsByRoot.set(root, options);
    }
    const key = JSON.stringify(options);
    const project = uncoveredByOptions.get(key);
    if (project) project.rootNames.push(file);
    else uncoveredByOptions.set(key, { configFile: undefined, rootNames: [file], options, projectReferences: undefined });
  }
  projects.push(...uncoveredByOptions.values());
  return { auditedFiles, projects, problems };
}

/** The default program's options for a package root, without type roots that do not exist (they add nothing). */
function defaultOptionsFor(root: string): ts.CompilerOptions {
  const options = defaultCompilerOptions(root, true);
  return options.typeRoots ? { ...options, typeRoots: options.typeRoots.filter((dir) => existsSync(dir)) } : options;
}

/** tsconfig.json files in folders below `dir` (monorepo packages without a solution file). */
function listNestedConfigs(dir: string): string[] {
  // Up to five folders deep: the packages of a monorepo, not every fixture in it.
  const enter = ({ entry, depth }: TreeEntry) => depth < 5 && entry.name !== 'node_modules' && !entry.name.startsWith('.');
  const found: string[] = [];
  for (const { path: file, entry, depth } of walkTree(dir, enter)) {
    if (depth > 0 && entry.name === 'tsconfig.json' && entry.isFile()) found.push(toTsPath(file));
  }
  return found;
}

/**
 * What a tsconfig leaves out of its folder: its build output (outDir, declarationDir) and its `exclude`
 * globs. A built project's dist/ would otherwise join the default program and report every finding twice.
 */
function excludedBy(configFile: string, parsed: ts.ParsedCommandLine): (fileName: string) => boolean {
  const configDir = path.dirname(configFile);
  const outputDirs = [parsed.options.outDir, parsed.options.declarationDir].filter((dir): dir is string => !!dir).map(toTsPath);
  const raw = parsed.raw as { exclude?: unknown } | undefined;
  const excludes = Array.isArray(raw?.exclude) ? raw.exclude.filter((pattern): pattern is string => typeof pattern === 'string') : [];
  return (fileName) => {
    if (outputDirs.some((dir) => fileName === dir || fileName.startsWith(`${dir}/`))) return true;
    const relative = path.relative(configDir, fileName).split(path.sep).join('/');
    if (relative === '' || relative.startsWith('../')) return false;
    // tsconfig globs: a pattern names files or whole folders (`dist`, `**/*.spec.ts`, `scripts/**/*`).
    return excludes.some((pattern) => {
      const glob = pattern.replace(/^\.\//, '').replace(/\/$/, '');
      return minimatch(relative, glob, { dot: true }) || minimatch(relative, `${glob}/**`, { dot: true });
    });
  };
}

function parseConfig(configFile: string, problems: ConfigProblem[]): ts.ParsedCommandLine | undefined {
  if (!ts.sys.fileExists(configFile)) {
    problems.push({ file: configFile, message: 'tsconfig not found' });
    return undefined;
  }
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      problems.push(configProblem(configFile, diagnostic));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, { noEmit: true }, host);
  if (!parsed) return undefined;
  // The JSON syntax errors too (a missing comma or brace): TypeScript reads past them, tsc reports them.
  // "No inputs were found" (TS18003) only means the config covers nothing here; other errors are real.
  const errors = ts.getConfigFileParsingDiagnostics(parsed).filter((diagnostic) => diagnostic.code !== 18003);
  if (errors.length > 0) {
    // A program from a half-read config would be wrong in ways nobody sees; its files get the default one.
    problems.push(configProblem(configFile, errors[0]!));
    return undefined;
  }
  return parsed;
}

/** A config diagnostic at the file and line it names (an extended config's own error names that file). */
function configProblem(configFile: string, diagnostic: ts.Diagnostic): ConfigProblem {
  const message = flattenMessage(diagnostic);
  if (!diagnostic.file || diagnostic.start === undefined) return { file: configFile, message };
  const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
  return { file: diagnostic.file.fileName, line, message };
}

export function flattenMessage(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}

/**
 * A compiler host whose parsed declaration files are shared between the programs of one audit, so the lib
 * files and `@types/node` are parsed once. Other files are left to the program that parsed them: a project
 * split into several programs (`splitProject`) must release each one's source before the next is built.
 */
export function createSharedHostFactory(): (options: ts.CompilerOptions) => ts.CompilerHost {
  const cache = new Map<string, ts.SourceFile | undefined>();
  return (options) => {
    const host = ts.createCompilerHost(options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
      const settings =
        typeof languageVersionOrOptions === 'object'
          ? `${languageVersionOrOptions.languageVersion}:${languageVersionOrOptions.impliedNodeFormat}`
          : String(languageVersionOrOptions);
      if (!isDeclarationFile(fileName)) return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
      const key = `${settings}:${fileName}`;
      if (!shouldCreate && cache.has(key)) return cache.get(key);
      const sourceFile = getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
      cache.set(key, sourceFile);
      return sourceFile;
    };
    return host;
  };
}

/** The program, and the files its parser could not take (replaced by empty files: see the core's guarded host). */
export function buildProgram(
  spec: ProjectSpec,
  hostFor: (options: ts.CompilerOptions) => ts.CompilerHost,
): { program: ts.Program; parseFailures: Map<string, string> } {
  const { host, parseFailures } = createGuardedCompilerHost(spec.options, hostFor(spec.options));
  const program = ts.createProgram({
    rootNames: spec.rootNames,
    options: spec.options,
    projectReferences: spec.projectReferences,
    host,
  });
  return { program, parseFailures };
}
