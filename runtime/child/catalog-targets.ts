/**
 * Turns catalog declarations into the concrete functions to wrap in a loaded module: `*Sync` and `*`
 * patterns expand over the module's exports, `Class.method` paths go to the prototype (or the static),
 * and a module whose export is itself the function (`module.exports = fn`) is a target of `*`.
 */
import type { CatalogEntry } from '../../core/types.js';

/** Any function the app's modules export: wrapped without knowing its signature. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a wrapper passes arguments through unchanged
export type AnyFunction = (...args: any[]) => any;

export interface WrapTarget {
  /** The object holding the function; `null` when the module export itself is the function. */
  holder: Record<string, unknown> | null;
  key: string;
  fn: AnyFunction;
  entry: CatalogEntry;
  /** The name the user calls, e.g. `readFileSync`, `Dir.readSync`. */
  name: string;
}

function namesOf(entry: CatalogEntry): readonly string[] {
  const name = entry.declaration.name;
  return typeof name === 'string' ? [name] : name;
}

function functionKeys(holder: object): string[] {
  const keys: string[] = [];
  for (const key of Object.getOwnPropertyNames(holder)) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, key);
    if (descriptor && 'value' in descriptor && typeof descriptor.value === 'function' && descriptor.writable) keys.push(key);
  }
  return keys;
}

/** Where `ClassName.member` lives: the prototype for instance methods, the class for statics. */
function memberHolder(moduleExports: unknown, className: string, member: string): Record<string, unknown> | null {
  const exportsRecord = moduleExports as Record<string, unknown> | null | undefined;
  let cls: unknown = exportsRecord?.[className];
  // `module.exports = class Database {}` packages (better-sqlite3): the export is the class itself.
  if (typeof cls !== 'function' && typeof moduleExports === 'function') cls = moduleExports;
  if (typeof cls !== 'function') return null;
  const statics = cls as unknown as Record<string, unknown>;
  const proto = statics.prototype as Record<string, unknown> | undefined;
  if (proto && typeof proto[member] === 'function') return proto;
  if (typeof statics[member] === 'function') return statics;
  return null;
}

/**
 * The functions `entries` designate in `moduleExports`. Earlier entries win (the catalog puts specific
 * entries before patterns), so each function appears once.
 */
export function wrapTargets(moduleExports: unknown, entries: readonly CatalogEntry[]): WrapTarget[] {
  if (moduleExports === null || (typeof moduleExports !== 'object' && typeof moduleExports !== 'function')) return [];
  const exportsRecord = moduleExports as Record<string, unknown>;
  const seen = new Set<string>();
  const targets: WrapTarget[] = [];
  const add = (holder: Record<string, unknown> | null, key: string, name: string, entry: CatalogEntry): void => {
    const fn = holder ? holder[key] : moduleExports;
    const id = name;
    if (typeof fn !== 'function' || seen.has(id)) return;
    seen.add(id);
    targets.push({ holder, key, fn: fn as AnyFunction, entry, name });
  };
  for (const entry of entries) {
    for (const name of namesOf(entry)) {
      const dot = name.indexOf('.');
      if (dot > 0) {
        const holder = memberHolder(moduleExports, name.slice(0, dot), name.slice(dot + 1));
        if (holder) add(holder, name.slice(dot + 1), name, entry);
      } else if (name === '*' || name === '*Sync') {
        if (name === '*' && typeof moduleExports === 'function') add(null, '', 'default', entry);
        for (const key of functionKeys(exportsRecord)) {
          if (name === '*Sync' && !key.endsWith('Sync')) continue;
          // Classes exported next to functions are constructors, not calls; `*` means the module's functions.
          if (/^[A-Z]/.test(key)) continue;
          add(exportsRecord, key, key, entry);
        }
      } else {
        add(exportsRecord, name, name, entry);
      }
    }
  }
  return targets;
}
