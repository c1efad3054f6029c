/**
 * Timing wrappers around catalog functions. Every call is timed (wall and thread CPU); only calls
 * at or over the threshold pay for a stack, which gives the exact call site.
 */
import type { CatalogEntry } from '../../core/types.js';
import type { CallTotal, RawFrame, SlowCall } from '../protocol.js';
import type { AnyFunction, WrapTarget } from './catalog-targets.js';
import { threadTime } from './thread-time.js';

export interface TimingSink {
  thresholdMs: number;
  /** The request the current synchronous code belongs to, if any. */
  currentRequestId(): number | null;
  slowCalls: SlowCall[];
  callTotals: Record<string, CallTotal>;
}

const MAX_SLOW_CALLS = 20_000;
// Deep enough to get from a dependency's internals back to the app's own call.
const STACK_FRAMES = 40;

/** The raw V8 frames above `below` (excluded), via the structured CallSite API: no string formatting, no source maps. */
function captureFrames(below: AnyFunction): RawFrame[] {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back below, never called here
  const previousPrepare = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_FRAMES;
  Error.prepareStackTrace = (_error, callSites) => callSites;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  Error.captureStackTrace(holder, below);
  const callSites = holder.stack ?? [];
  Error.prepareStackTrace = previousPrepare;
  Error.stackTraceLimit = previousLimit;
  return callSites.map((site) => ({
    url: site.getFileName() ?? site.getScriptNameOrSourceURL() ?? '',
    line: site.getLineNumber() ?? 0,
    column: site.getColumnNumber() ?? 0,
    functionName: site.getFunctionName() ?? '',
  }));
}

function blocksWith(entry: CatalogEntry, args: unknown[]): boolean {
  if (entry.onlyWithoutCallback && typeof args[args.length - 1] === 'function') return false;
  if (entry.onlyWhenArgument && args[entry.onlyWhenArgument.index] !== entry.onlyWhenArgument.equals) return false;
  return true;
}

/** Nested catalog calls (readFileSync → openSync) are part of the outermost one. */
let depth = 0;

export function timed(target: WrapTarget, sink: TimingSink): AnyFunction {
  const { entry, name } = target;
  const measure = <T>(args: unknown[], run: () => T, trap: AnyFunction): T => {
    if (depth > 0 || !blocksWith(entry, args)) return run();
    depth++;
    const before = threadTime();
    const t0 = performance.now();
    try {
      return run();
    } finally {
      const ms = performance.now() - t0;
      depth--;
      const total = (sink.callTotals[entry.id] ??= { count: 0, ms: 0 });
      total.count++;
      total.ms += ms;
      if (ms >= sink.thresholdMs && sink.slowCalls.length < MAX_SLOW_CALLS) {
        const after = threadTime();
        sink.slowCalls.push({
          apiId: entry.id,
          name,
          startMs: t0,
          ms,
          cpuMs: after.cpuMs - before.cpuMs,
          runQueueMs: after.runQueueMs - before.runQueueMs,
          requestId: sink.currentRequestId(),
          stack: captureFrames(trap),
        });
      }
    }
  };
  const handler: ProxyHandler<AnyFunction> = {
    apply(fn, thisArg, args: unknown[]): unknown {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the trap only marks where captured stacks stop
      return measure<unknown>(args, () => Reflect.apply(fn, thisArg, args), handler.apply!);
    },
  };
  if (entry.constructs) {
    handler.construct = (fn, args: unknown[], newTarget) =>
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the trap only marks where captured stacks stop
      measure<object>(args, () => Reflect.construct(fn, args, newTarget === proxy ? fn : newTarget) as object, handler.construct!);
  }
  const proxy = new Proxy(target.fn, handler);
  return proxy;
}

/** Replaces each target with its timed proxy; returns the proxy of a module-level function target, if any. */
export function installTimers(targets: WrapTarget[], sink: TimingSink): AnyFunction | null {
  let moduleReplacement: AnyFunction | null = null;
  for (const target of targets) {
    const wrapped = timed(target, sink);
    if (target.holder) target.holder[target.key] = wrapped;
    else moduleReplacement = wrapped;
  }
  return moduleReplacement;
}
