/**
 * The files an audit leaves out, as the project's own tools already say: `--ignore-pattern` globs (ESLint's
 * flag: relative to the current directory), `.gitignore` files (build output, caches), and the global
 * `ignores` of the ESLint config (asked in audit.ts). The tsconfig's outDir and exclude are applied where
 * the tsconfigs are read (project.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import createIgnore, { type Ignore } from 'ignore';
import { minimatch } from 'minimatch';

/** A synchronous test for the folders and files met while listing, so that ignored folders are not walked. */
export interface PathFilter {
  isIgnored(fileName: string, isDirectory: boolean): boolean;
}

/**
 * The filter for the files under `root`, a path the user named: a .gitignore that ignores the root itself
 * (`node_modules/` when auditing ./node_modules/some-server) does not apply below it, the user asked for it.
 */
export function createPathFilter(cwd: string, patterns: readonly string[], root: string): PathFilter {
  const rootIsDirectory = statSync(root).isDirectory();
  const gitignores = new Map<string, Ignore | null>();
  const gitignoreOf = (dir: string): Ignore | null => {
    let rules = gitignores.get(dir);
    if (rules === undefined) {
      rules = readGitignore(path.join(dir, '.gitignore'));
      gitignores.set(dir, rules);
    }
    return rules;
  };
  const folderLists = new Map<string, string[]>();
  const foldersUpToRepositoryRoot = (start: string): string[] => {
    let folders = folderLists.get(start);
    if (!folders) {
      const parent = path.dirname(start);
      folders = existsSync(path.join(start, '.git')) || parent === start ? [start] : [start, ...foldersUpToRepositoryRoot(parent)];
      folderLists.set(start, folders);
    }
    return folders;
  };
  const matchesPattern = (fileName: string, isDirectory: boolean): boolean => {
    const relative = path.relative(cwd, fileName).split(path.sep).join('/');
    if (relative === '' || relative.startsWith('../')) return false;
    return patterns.some((pattern) => minimatch(relative, pattern, { dot: true }) || (isDirectory && minimatch(`${relative}/`, pattern, { dot: true })));
  };
  return {
    isIgnored(fileName, isDirectory) {
      if (matchesPattern(fileName, isDirectory)) return true;
      // Each .gitignore from the repository's root (the folder holding .git) down to the file's folder.
      return foldersUpToRepositoryRoot(path.dirname(fileName)).some((dir) => {
        const rules = gitignoreOf(dir);
        return !!rules && ignoredBy(rules, dir, fileName, isDirectory) && !(root.startsWith(dir) && ignoredBy(rules, dir, root, rootIsDirectory));
      });
    },
  };
}

function ignoredBy(rules: Ignore, dir: string, fileName: string, isDirectory: boolean): boolean {
  const relative = path.relative(dir, fileName).split(path.sep).join('/');
  return relative !== '' && !relative.startsWith('../') && rules.ignores(isDirectory ? `${relative}/` : relative);
}

/** A folder's .gitignore rules; one that cannot be read ignores nothing (git warns and goes on). */
function readGitignore(file: string): Ignore | null {
  try {
    return createIgnore().add(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
