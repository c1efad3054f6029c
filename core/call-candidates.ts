/**
 * A cheap syntactic filter in front of the checker. Resolving `res.json(...)` means typing `res`, which
 * for a callback parameter means inferring the whole registration call it is passed to: most of an
 * analysis's cost. A method call is worth resolving only when its name could be a catalog API or a
 * function with a body that the analysis could follow; every other method call is skipped unresolved.
 */
import ts from 'typescript';
import type { CatalogEntry } from './types.js';
import { CORE_SYNC_EXPORTS } from './catalog-match.js';
import { normalizeModuleName, packageOfFile } from './declarations.js';
import { importedModules } from './imports.js';
import { specifierNames } from './specifiers.js';
import { syntaxIndex } from './syntax-index.js';

export class CallCandidates {
  private readonly exactNames = new Set<string>();
  private readonly namePatterns: RegExp[] = [];
  /** Packages whose every export blocks (`*` entries): their members are candidates whatever the name. */
  readonly wildcardModules = new Set<string>();
  /** The catalog packages the program can reach: summaries computed under another set are recomputed. */
  readonly reachableCatalogKey: string;

  /**
   * `reachableModules`: a package's APIs can only be called where the program has its declarations or
   * imports it, so the names of the others (better-sqlite3's `get`, `all`, `run`) are no reason to type
   * every `map.get()` receiver.
   */
  constructor(catalog: readonly CatalogEntry[], followedFiles: readonly ts.SourceFile[], reachableModules: ReadonlySet<string>) {
    const reachablePackages = new Set<string>();
    for (const entry of catalog) {
      const declaration = entry.declaration;
      if (declaration.from === 'package') {
        const module = normalizeModuleName(declaration.package);
        if (!reachableModules.has(module)) continue;
        reachablePackages.add(module);
      }
      for (const name of specifierNames(entry.declaration)) {
        const last = name.split('.').pop() ?? name;
        if (last === '*') {
          if (entry.declaration.from === 'package') this.wildcardModules.add(entry.declaration.package);
        } else if (last.includes('*')) {
          this.namePatterns.push(
            new RegExp(
              `^${last
                .split('*')
                .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
                .join('.*')}$`,
            ),
          );
        } else {
          this.exactNames.add(last);
        }
      }
    }
    this.reachableCatalogKey = [...reachablePackages].sort().join('\n');
    // Node's own sync names are matched on objects nothing types (`require('hexo-fs').writeFileSync`), which
    // no reachable module declares.
    for (const name of CORE_SYNC_EXPORTS.keys()) this.exactNames.add(name);
    for (const sourceFile of followedFiles) {
      for (const name of syntaxIndex(sourceFile).functionNames) this.exactNames.add(name);
    }
  }

  isCandidateName(name: string): boolean {
    return this.exactNames.has(name) || this.namePatterns.some((pattern) => pattern.test(name));
  }
}

/** @types/node declares every core module and imports them among themselves: that alone reaches none of them. */
const NODE_TYPES = /[\\/]node_modules[\\/]@types[\\/]node[\\/]/;

/**
 * The modules whose APIs a program can call: packages with files in it (their declarations or code), and
 * modules that its files, or its packages' declarations, import, require (typed or not) or declare
 * (`declare module 'x'`). Node's core modules count once something other than @types/node imports them.
 */
export function reachableModules(program: ts.Program): Set<string> {
  const modules = new Set<string>();
  for (const sourceFile of program.getSourceFiles()) {
    const packageName = packageOfFile(sourceFile.fileName);
    if (packageName !== undefined) modules.add(packageName);
    if (NODE_TYPES.test(sourceFile.fileName) || program.isSourceFileDefaultLibrary(sourceFile)) continue;
    for (const module of importedModules(sourceFile)) modules.add(module);
  }
  return modules;
}
