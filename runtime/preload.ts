/**
 * Loaded into the app's process with `--import` before any app code. Installs, in this order: timing
 * wrappers on the catalog's APIs (so even module-level aliases are timed), request attribution, V8
 * coverage and the CPU profiler; then, on the app's first listen, connects to the probe and waits for its
 * commands. The loop monitors start per measurement window, i.e. before the window's first request.
 */
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import Module, { createRequire, isBuiltin, syncBuiltinESMExports } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { CatalogEntry } from '../core/types.js';
import { CONFIG_ENV, type ChildConfig, type ChildMeasurements, type ParentMessage } from './protocol.js';
import { wrapTargets } from './child/catalog-targets.js';
import { installTimers, type TimingSink } from './child/timing.js';
import { installRequestAttribution } from './child/attribution.js';
import { startV8Probe } from './child/inspector.js';
import { connectControl } from './child/control-client.js';

const DELAY_RESOLUTION_MS = 10;

/** npm/yarn/pnpm run the app as a grandchild: leave the preload to it. */
function isPackageManager(): boolean {
  return /[\\/](npm-cli|npx-cli|yarn|pnpm)(\.c?js)?$/.test(process.argv[1] ?? '') || /[\\/](npm|yarn|pnpm|npx)$/.test(process.argv[1] ?? '');
}

function packageEntries(catalog: CatalogEntry[]): Map<string, CatalogEntry[]> {
  const byPackage = new Map<string, CatalogEntry[]>();
  for (const entry of catalog) {
    if (entry.declaration.from !== 'package') continue;
    const list = byPackage.get(entry.declaration.package) ?? [];
    list.push(entry);
    byPackage.set(entry.declaration.package, list);
  }
  return byPackage;
}

function wrapBuiltins(byPackage: Map<string, CatalogEntry[]>, sink: TimingSink): void {
  const require = createRequire(import.meta.url);
  for (const [name, entries] of byPackage) {
    if (!isBuiltin(name)) continue;
    let moduleExports: unknown;
    try {
      moduleExports = require(name);
    } catch {
      continue; // e.g. node:sqlite before Node 22.5
    }
    installTimers(wrapTargets(moduleExports, entries), sink);
  }
  // ESM named imports of builtins are live copies of the CJS exports: refresh them.
  syncBuiltinESMExports();
}

function wrapGlobals(catalog: CatalogEntry[], sink: TimingSink): void {
  for (const entry of catalog) {
    if (entry.declaration.from !== 'lib') continue;
    const names = typeof entry.declaration.name === 'string' ? [entry.declaration.name] : entry.declaration.name;
    for (const name of names) {
      const path = name.split('.');
      const key = path.pop()!;
      const holder = path.reduce<unknown>((object, part) => (object as Record<string, unknown> | undefined)?.[part], globalThis);
      if (holder && typeof (holder as Record<string, unknown>)[key] === 'function') {
        const targets = wrapTargets(holder, [{ ...entry, declaration: { from: 'package', package: 'lib', name: key } }]);
        // Named as the app writes it (`Atomics.wait`), not by its key alone.
        installTimers(
          targets.map((target) => ({ ...target, name })),
          sink,
        );
      }
    }
  }
}

/** Wrapped exports by original exports object, so a package is wrapped once however it is reached. */
const wrappedPackages = new WeakMap<object, unknown>();

function wrapPackageExports(moduleExports: unknown, entries: CatalogEntry[], sink: TimingSink): unknown {
  if (moduleExports === null || (typeof moduleExports !== 'object' && typeof moduleExports !== 'function')) return moduleExports;
  if (!wrappedPackages.has(moduleExports)) {
    const replacement = installTimers(wrapTargets(moduleExports, entries), sink) ?? moduleExports;
    wrappedPackages.set(moduleExports, replacement);
    wrappedPackages.set(replacement, replacement);
  }
  return wrappedPackages.get(moduleExports);
}

/**
 * Blocking clients from npm (CommonJS) that the app has installed are loaded and wrapped now, before the
 * app's modules import them: ESM imports of CommonJS read the (wrapped) cached exports. ESM-only packages
 * cannot be loaded with require and are left alone.
 */
function wrapInstalledPackages(byPackage: Map<string, CatalogEntry[]>, sink: TimingSink): void {
  const appRequire = createRequire(join(process.cwd(), 'package.json'));
  for (const [name, entries] of byPackage) {
    if (isBuiltin(name)) continue;
    let resolved: string;
    let moduleExports: unknown;
    try {
      resolved = appRequire.resolve(name);
      moduleExports = appRequire(name);
    } catch {
      continue; // not installed, or ESM-only
    }
    const replacement = wrapPackageExports(moduleExports, entries, sink);
    const cached = appRequire.cache[resolved];
    // `module.exports = fn` packages: the proxy replaces the function itself for every later importer.
    if (cached && replacement !== moduleExports) cached.exports = replacement;
  }
}

/** Packages required later (from another directory's node_modules, or not installed at start) are wrapped as they load. */
function wrapPackagesOnLoad(byPackage: Map<string, CatalogEntry[]>, sink: TimingSink): void {
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const originalLoad = loader._load;
  loader._load = function loadWithTimers(request, parent, isMain) {
    const moduleExports = originalLoad.call(this, request, parent, isMain);
    const entries = byPackage.get(request);
    return entries && !isBuiltin(request) ? wrapPackageExports(moduleExports, entries, sink) : moduleExports;
  };
}

function histogramOverThreshold(histogram: ReturnType<typeof monitorEventLoopDelay>, thresholdMs: number): number {
  const thresholdNs = thresholdMs * 1e6;
  let below = 0;
  for (const [percentile, value] of [...histogram.percentiles].sort((a, b) => a[0] - b[0])) {
    if (value >= thresholdNs) return Math.round((histogram.count * (100 - below)) / 100);
    below = percentile;
  }
  return 0;
}

async function main(config: ChildConfig): Promise<void> {
  const ownDir = dirname(fileURLToPath(import.meta.url));
  const requestLog = installRequestAttribution(config.thresholdMs);
  const sink: TimingSink = {
    thresholdMs: config.thresholdMs,
    currentRequestId: requestLog.currentRequestId,
    slowCalls: [],
    callTotals: {},
  };
  const byPackage = packageEntries(config.catalog);
  wrapBuiltins(byPackage, sink);
  wrapGlobals(config.catalog, sink);
  wrapInstalledPackages(byPackage, sink);
  wrapPackagesOnLoad(byPackage, sink);
  const v8 = await startV8Probe(ownDir);
  const delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  let utilizationStart = performance.eventLoopUtilization();

  const onCommand = async (message: ParentMessage): Promise<void> => {
    if (message.type === 'start') {
      requestLog.reset();
      sink.slowCalls.length = 0;
      sink.callTotals = {};
      delay.reset();
      delay.enable();
      utilizationStart = performance.eventLoopUtilization();
      await v8.startWindow();
      control.send({ type: 'started' });
    } else if (message.type === 'idle') {
      await requestLog.whenIdle();
      control.send({ type: 'idle' });
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- control-client.ts casts the JSON it reads: another type does nothing
    } else if (message.type === 'collect') {
      delay.disable();
      const utilization = performance.eventLoopUtilization(utilizationStart);
      const { profile, coverage } = await v8.endWindow();
      requestLog.stretchLog.flush();
      const data: ChildMeasurements = {
        pid: process.pid,
        requests: requestLog.requests,
        stretches: requestLog.stretchLog.stretches,
        slowCalls: sink.slowCalls,
        callTotals: sink.callTotals,
        loop: {
          delayMaxMs: delay.count > 0 ? delay.max / 1e6 : 0,
          delaySamplesOverThreshold: delay.count > 0 ? histogramOverThreshold(delay, config.thresholdMs) : 0,
          utilization: utilization.utilization,
          activeMs: utilization.active,
        },
        profile,
        clockOffsetUs: Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000,
        coverage,
      };
      control.send({ type: 'measurements', data });
    }
  };

  let control = { send: (_message: unknown) => {} } as ReturnType<typeof connectControl>;
  let claimed = false;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called back with each server as `this`
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithListenHook(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'listening' && !claimed) {
      const address = this.address();
      if (address && typeof address === 'object' && (config.port === undefined || config.port === address.port)) {
        claimed = true;
        control = connectControl(config.controlPort, config.token, (command) => void onCommand(command));
        control.send({ type: 'hello', pid: process.pid, port: address.port, address: address.address });
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}

const configPath = process.env[CONFIG_ENV];
if (configPath && !isPackageManager()) {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as ChildConfig;
  // Read once, by this process only: remove it now, so nothing is left in /tmp even if the probe is killed.
  rmSync(dirname(configPath), { recursive: true, force: true });
  // This process is the app: processes it spawns (a client run with execFileSync ...) are not.
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- process.env is the environment, not a map we could replace
  delete process.env[CONFIG_ENV];
  process.env.NODE_OPTIONS = (process.env.NODE_OPTIONS ?? '').replace(`--import=${config.preloadPath}`, '').trim();
  await main(config);
}
