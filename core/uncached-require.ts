/**
 * `require()` of a module the same function has just dropped from `require.cache`: Node reads the file
 * from disk and compiles it again on every call, synchronously (`delete require.cache[p]; require(p)`, the
 * "fresh config" idiom). A cache cleared elsewhere (a file watcher) only reloads when the file changes, so
 * only a deletion in the function that requires counts.
 */
import ts from 'typescript';
import { requireCallName, skipOuterExpressions } from './resolve.js';

const clearsCache = new WeakMap<ts.Node, boolean>();

/** The `require` name of a call that reloads a module `fn` removed from the cache, else undefined. */
export function uncachedRequireAt(call: ts.CallExpression, fn: ts.Node): ts.Node | undefined {
  const name = requireCallName(call);
  return name && functionClearsRequireCache(fn) ? name : undefined;
}

function functionClearsRequireCache(fn: ts.Node): boolean {
  let clears = clearsCache.get(fn);
  if (clears === undefined) {
    clears = false;
    const visit = (node: ts.Node): void => {
      if (clears) return;
      if (ts.isDeleteExpression(node) && isRequireCacheEntry(node.expression)) {
        clears = true;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(fn);
    clearsCache.set(fn, clears);
  }
  return clears;
}

/** `require.cache[key]` (or `module.constructor._cache[key]`, Module._cache). */
function isRequireCacheEntry(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  if (!ts.isElementAccessExpression(inner)) return false;
  const cache = skipOuterExpressions(inner.expression);
  if (!ts.isPropertyAccessExpression(cache)) return false;
  if (cache.name.text === 'cache') return ts.isIdentifier(cache.expression) && cache.expression.text === 'require';
  return cache.name.text === '_cache';
}
