/**
 * Matching declarations against `DeclarationSpecifier`s (typescript-eslint's TypeOrValueSpecifier form,
 * extended with member paths and `*` wildcards in names).
 */
import * as path from 'node:path';
import type { DeclarationOrigin } from './declarations.js';
import { normalizeModuleName } from './declarations.js';
import type { DeclarationSpecifier } from './types.js';

const patternCache = new Map<string, RegExp>();

function segmentPattern(segment: string): RegExp {
  let pattern = patternCache.get(segment);
  if (!pattern) {
    const source = segment
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    pattern = new RegExp(`^${source}$`);
    patternCache.set(segment, pattern);
  }
  return pattern;
}

/** `Database.prepare` matches a path ending in `['Database', 'prepare']`; `*Sync` any name ending in Sync. */
export function nameMatchesPath(name: string, declarationPath: readonly string[]): boolean {
  const segments = name.split('.');
  if (segments.length > declarationPath.length) return false;
  const offset = declarationPath.length - segments.length;
  return segments.every((segment, i) => segmentPattern(segment).test(declarationPath[offset + i] ?? ''));
}

export function specifierNames(specifier: DeclarationSpecifier): readonly string[] {
  return typeof specifier.name === 'string' ? [specifier.name] : specifier.name;
}

export function specifierMatches(specifier: DeclarationSpecifier, origin: DeclarationOrigin, projectRoot: string): boolean {
  switch (specifier.from) {
    case 'package':
      if (origin.module !== normalizeModuleName(specifier.package)) return false;
      break;
    case 'lib':
      if (!origin.isLib) return false;
      break;
    case 'file':
      if (origin.module !== undefined || origin.isLib) return false;
      if (specifier.path && path.resolve(projectRoot, specifier.path) !== path.resolve(origin.fileName)) return false;
      break;
  }
  // An empty path (a module's default export or `export =`) is matched only by `*`.
  const declarationPath = origin.path.length > 0 ? origin.path : ['default'];
  return specifierNames(specifier).some((name) => name === '*' || nameMatchesPath(name, declarationPath));
}
