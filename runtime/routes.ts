/**
 * Routes of the static report's handlers: which ones the probe can load (method and path known), the
 * concrete URL to request (path parameters filled with sample values), and which route a request the
 * app saw belongs to.
 */
import type { ReportHandler } from './report.js';

export interface Route {
  label: string;
  method: string;
  /** The route pattern, e.g. `/report/:id`. */
  pattern: string;
  /** A concrete path to request, e.g. `/report/1`. */
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

const ANY_METHOD = new Set(['ALL', '*', 'ANY', 'USE']);

/** A value per parameter shape: numeric-looking names get numbers, everything else a short word. */
function sampleValue(name: string): string {
  return /id$|^id|num|page|count|year|index/i.test(name) ? '1' : 'sample';
}

export function fillPath(pattern: string): string {
  return pattern
    .replace(/:([A-Za-z0-9_]+)(\([^)]*\))?\??/g, (_match, name: string) => sampleValue(name))
    .replace(/\{([A-Za-z0-9_]+)\??\}/g, (_match, name: string) => sampleValue(name))
    .replace(/\/\*[A-Za-z0-9_]*$/, '/sample')
    .replace(/\*/g, 'sample');
}

/** Loadable routes, one per method+pattern, in report order. */
export function routesOf(handlers: ReportHandler[]): Route[] {
  const seen = new Set<string>();
  const routes: Route[] = [];
  for (const handler of handlers) {
    if (!handler.path || !handler.path.startsWith('/')) continue;
    const method = !handler.method || ANY_METHOD.has(handler.method.toUpperCase()) ? 'GET' : handler.method.toUpperCase();
    const key = `${method} ${handler.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ label: handler.label, method, pattern: handler.path, path: fillPath(handler.path) });
  }
  return routes;
}

/** Methods the probe sends unasked: they read, so loading them cannot create, change or delete the app's data. */
export const SAFE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

/** A route the probe did not load, and why. */
export interface SkippedRoute {
  route: string;
  method: string;
  path: string;
  reason: string;
}

/**
 * The routes to load: those whose method is in `methods` (the user's `--methods`), else only the safe
 * methods. Every other route is skipped with the reason and the flag that would load it.
 */
export function selectRoutes(routes: Route[], methods: readonly string[] | undefined): { loaded: Route[]; skipped: SkippedRoute[] } {
  const allowed = new Set(methods ?? SAFE_METHODS);
  const loaded: Route[] = [];
  const skipped: SkippedRoute[] = [];
  for (const route of routes) {
    if (allowed.has(route.method)) {
      loaded.push(route);
      continue;
    }
    const reason = methods
      ? `${route.method} is not in --methods ${methods.join(',')}`
      : `${route.method} may change the app's data, so the probe does not send it unasked: pass --methods ${[...SAFE_METHODS, route.method].join(',')} (against a disposable copy of the app's data) or list the requests in --requests-file`;
    skipped.push({ route: route.label, method: route.method, path: route.pattern, reason });
  }
  return { loaded, skipped };
}

function patternRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?\??|\{[A-Za-z0-9_]+\??\}|\*)/)
    .map((part, index) => (index % 2 === 1 ? (part === '*' ? '.*' : '[^/]+') : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${escaped}/?$`);
}

export class RouteMatcher {
  private readonly compiled: Array<{ route: Route; regexp: RegExp; anyMethod: boolean }>;

  constructor(routes: Route[], handlers: ReportHandler[]) {
    const anyMethod = new Set(handlers.filter((handler) => !handler.method || ANY_METHOD.has(handler.method.toUpperCase())).map((handler) => handler.path));
    this.compiled = routes.map((route) => ({ route, regexp: patternRegExp(route.pattern), anyMethod: anyMethod.has(route.pattern) }));
  }

  /** The route label for a request, or `METHOD /path` when no route of the report matches. */
  labelFor(method: string, url: string): string {
    const pathname = url.split('?')[0]!;
    const match = this.compiled.find((entry) => (entry.anyMethod || entry.route.method === method) && entry.regexp.test(pathname));
    return match?.route.label ?? `${method} ${pathname}`;
  }
}
