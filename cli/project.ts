/**
 * Finds what to audit and builds the TypeScript programs for it: one program per tsconfig that covers
 * audited files (following solution files and project references), plus one default allowJs program for
 * the files no tsconfig covers (plain JavaScript projects need no configuration at all, see the core's
 * defaultCompilerOptions).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import ts from 'typescript';
import { createGuardedCompilerHost, defaultCompilerOptions, isSourceFile, projectRootOf } from '../core/index.js';
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
 * filter ignores below it (an ignored folder is not walked).
 */
export function listSourceFiles(root: string, filter: PathFilter): string[] {
  if (statSync(root).isFile()) return isSourceFile(root) && !filter.isIgnored(root, false) ? [root] : [];
  const enter = ({ path: folder, entry }: TreeEntry) =>
    entry.name !== 'node_modules' && !entry.name.startsWith('.') && !filter.isIgnored(folder, true);
  const files: string[] = [];
  for (const { path: file, entry } of walkTree(root, enter)) {
    if (entry.isFile() && !entry.name.startsWith('.') && isSourceFile(file) && !filter.isIgnored(file, false)) files.push(file);
  }
  return files.sort();
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
      const nearest = ts.findConfigFile(dir, ts.sys.fileExists, 'tsconfig.json');
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
    const parsed = parseConfig(configFile, problems);
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

  // Files no tsconfig covers get the core's zero-config program, one per package root (the nearest
  // package.json), whose @types/node and dependencies are the ones that package would load.
  const uncoveredByRoot = new Map<string, string[]>();
  for (const file of auditedFiles) {
    if (covered.has(file)) continue;
    const root = projectRootOf(file);
    uncoveredByRoot.set(root, [...(uncoveredByRoot.get(root) ?? []), file]);
  }
  for (const [root, rootNames] of uncoveredByRoot) {
    projects.push({ configFile: undefined, rootNames, options: defaultCompilerOptions(root, true), projectReferences: undefined });
  }
  return { auditedFiles, projects, problems };
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
      problems.push({ file: configFile, message: flattenMessage(diagnostic) });
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, { noEmit: true }, host);
  if (!parsed) return undefined;
  // "No inputs were found" (TS18003) only means the config covers nothing here; other errors are real.
  const errors = parsed.errors.filter((diagnostic) => diagnostic.code !== 18003);
  if (errors.length > 0) {
    // A program from a half-read config would be wrong in ways nobody sees; its files get the default one.
    problems.push({ file: configFile, message: flattenMessage(errors[0]!) });
    return undefined;
  }
  return parsed;
}

export function flattenMessage(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}

/**
 * A compiler host whose parsed source files are shared between the programs of one audit, so the lib
 * files, `@types/node` and files in several tsconfigs are parsed once.
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
