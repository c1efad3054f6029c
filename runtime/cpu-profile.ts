/**
 * Reads the main thread's V8 CPU profile: each sample weighs the time since the previous one, and
 * consecutive samples inside the same code form a "run", i.e. one stretch of synchronous work that held
 * the loop. Samples under our timing wrappers are left out: that time belongs to the catalog call.
 */
import { isAppUrl } from './app-code.js';
import type { CpuProfile } from './protocol.js';
import { SourceMaps } from './source-map.js';

type ProfileNode = CpuProfile['nodes'][number];

export interface Run {
  /** Start on the app's performance.now() clock, ms. */
  startMs: number;
  /** Wall time, from the samples' weights. */
  ms: number;
  /**
   * The part of `ms` that may have been run-queue wait: the thread is not sampled while the machine runs
   * something else, so the next sample's weight carries that time. At most the wait measured in the run's
   * request segment; 0 outside one.
   */
  runQueueMs: number;
  /** The request whose synchronous segment the run is in, if any. */
  requestId: number | null;
}

/** A run's time with the run-queue wait it may hold taken out: what the code itself held the loop for. */
export function heldMs(run: Run): number {
  return run.ms - run.runQueueMs;
}

export interface HotFunction {
  /** Identity of the function in the profile (script, line, column of its start). */
  key: string;
  /** Source position of the hottest line of the function, mapped through source maps. */
  file: string;
  line: number;
  column: number;
  functionName: string;
  runs: Run[];
  /** App functions above it in its stacks (the JIT may inline it into them, moving its samples there). */
  callers: Set<string>;
}

function functionKey(node: ProfileNode): string {
  return `${node.callFrame.url}:${node.callFrame.lineNumber}:${node.callFrame.columnNumber}`;
}

export class ProfileIndex {
  private readonly nodes = new Map<number, ProfileNode>();
  private readonly parents = new Map<number, number>();
  private readonly stacks = new Map<number, ProfileNode[]>();
  /** Per sample: its leaf node, its time on the app's clock, its weight. */
  readonly samples: Array<{ nodeId: number; timeMs: number; weightMs: number }> = [];

  /**
   * `segmentAt(timeMs)` names the request whose synchronous segment contains a time (null outside any):
   * a run never spans two requests, even when the profiler saw no gap between them.
   * `segmentRunQueueMs(requestId)` is the run-queue wait measured in that segment.
   */
  constructor(
    profile: CpuProfile,
    clockOffsetUs: number,
    private readonly ownDir: string,
    private readonly segmentAt: (timeMs: number) => number | null,
    private readonly segmentRunQueueMs: (requestId: number) => number,
  ) {
    for (const node of profile.nodes) {
      this.nodes.set(node.id, node);
      for (const child of node.children ?? []) this.parents.set(child, node.id);
    }
    let timeUs = profile.startTime;
    profile.samples.forEach((nodeId, index) => {
      const deltaUs = profile.timeDeltas[index] ?? 0;
      timeUs += deltaUs;
      this.samples.push({ nodeId, timeMs: (timeUs - clockOffsetUs) / 1000, weightMs: deltaUs / 1000 });
    });
  }

  /** Leaf first. */
  stackOf(nodeId: number): ProfileNode[] {
    let stack = this.stacks.get(nodeId);
    if (!stack) {
      stack = [];
      for (let id: number | undefined = nodeId; id !== undefined; id = this.parents.get(id)) stack.push(this.nodes.get(id)!);
      this.stacks.set(nodeId, stack);
    }
    return stack;
  }

  private underTimingWrapper(nodeId: number): boolean {
    return this.stackOf(nodeId).some((node) => node.callFrame.url.includes(this.ownDir) && node.callFrame.url.includes('/child/timing'));
  }

  private isIdle(nodeId: number): boolean {
    return this.nodes.get(nodeId)?.callFrame.functionName === '(idle)';
  }

  /** V8-internal work (GC, unattributed native code) inside a stretch of JS: neither ends nor starts a run. */
  private isNeutral(nodeId: number): boolean {
    const name = this.nodes.get(nodeId)?.callFrame.functionName;
    return name === '(program)' || name === '(garbage collector)';
  }

  /** Runs of consecutive samples for which `inside(stack)` holds. */
  runs(inside: (stack: ProfileNode[]) => boolean): Run[] {
    return this.collectRuns((nodeId) => (this.underTimingWrapper(nodeId) || !inside(this.stackOf(nodeId)) ? null : 'in'), 0).map(({ run }) => run);
  }

  /**
   * One pass over the samples: a run is a stretch of consecutive samples with the same non-null key and
   * the same request segment. Neutral samples (GC, native) between two samples of a run count in it.
   * Runs that held the loop for less than `minMs` once run-queue wait is taken out are dropped.
   */
  private collectRuns(keyOf: (nodeId: number) => string | null, minMs: number): Array<{ key: string; run: Run }> {
    const runs: Array<{ key: string; run: Run }> = [];
    let current: { key: string; run: Run } | null = null;
    let pendingMs = 0;
    const close = (): void => {
      if (current) {
        const { run } = current;
        run.runQueueMs = run.requestId === null ? 0 : Math.min(run.ms, this.segmentRunQueueMs(run.requestId));
        if (heldMs(run) >= minMs) runs.push(current);
      }
      current = null;
      pendingMs = 0;
    };
    for (const sample of this.samples) {
      if (this.isNeutral(sample.nodeId)) {
        if (current) pendingMs += sample.weightMs;
        continue;
      }
      const key = this.isIdle(sample.nodeId) ? null : keyOf(sample.nodeId);
      const segment = this.segmentAt(sample.timeMs);
      if (current && (current.key !== key || current.run.requestId !== segment)) close();
      if (key === null) continue;
      if (current) {
        current.run.ms += pendingMs;
        pendingMs = 0;
      }
      current ??= { key, run: { startMs: sample.timeMs - sample.weightMs, ms: 0, runQueueMs: 0, requestId: segment } };
      current.run.ms += sample.weightMs;
    }
    close();
    return runs;
  }

  /**
   * Runs in the functions whose ticks land on `file:line` (the function enclosing a CPU finding), and the
   * app functions on the way to it (its callers, which the JIT may inline it into).
   */
  runsForLine(sourceMaps: SourceMaps, file: string, line: number): { runs: Run[]; callers: Set<string> } {
    const lineNodes = new Set<number>();
    for (const node of this.nodes.values()) {
      if (!isAppUrl(node.callFrame.url, this.ownDir)) continue;
      const onLine = (node.positionTicks ?? []).some((tick) => {
        const original = sourceMaps.toOriginal(node.callFrame.url, tick.line, 1);
        return original?.file === file && original.line === line;
      });
      if (onLine) lineNodes.add(node.id);
    }
    const callers = new Set<string>();
    for (const id of lineNodes) for (const node of this.stackOf(id)) if (isAppUrl(node.callFrame.url, this.ownDir)) callers.add(functionKey(node));
    if (lineNodes.size === 0) return { runs: [], callers };
    return { runs: this.runs((stack) => stack.some((node) => lineNodes.has(node.id))), callers };
  }

  /** App functions that held the loop for `thresholdMs` or more in one run, keyed by their hottest line. */
  hotFunctions(sourceMaps: SourceMaps, thresholdMs: number): HotFunction[] {
    const deepestApp = (stack: ProfileNode[]): ProfileNode | undefined => stack.find((node) => isAppUrl(node.callFrame.url, this.ownDir));
    const keyOf = functionKey;
    const functions = new Map<string, ProfileNode[]>();
    for (const node of this.nodes.values()) {
      if (!isAppUrl(node.callFrame.url, this.ownDir)) continue;
      const list = functions.get(keyOf(node)) ?? [];
      list.push(node);
      functions.set(keyOf(node), list);
    }
    const deepestKey = new Map<number, string | null>();
    const keyOfSample = (nodeId: number): string | null => {
      if (!deepestKey.has(nodeId)) {
        const app = this.underTimingWrapper(nodeId) ? undefined : deepestApp(this.stackOf(nodeId));
        deepestKey.set(nodeId, app ? keyOf(app) : null);
      }
      return deepestKey.get(nodeId)!;
    };
    const runsByKey = new Map<string, Run[]>();
    for (const { key, run } of this.collectRuns(keyOfSample, thresholdMs)) runsByKey.set(key, [...(runsByKey.get(key) ?? []), run]);
    const hot: HotFunction[] = [];
    for (const [key, runs] of runsByKey) {
      const nodes = functions.get(key)!;
      const ticksByLine = new Map<number, number>();
      for (const node of nodes) for (const tick of node.positionTicks ?? []) ticksByLine.set(tick.line, (ticksByLine.get(tick.line) ?? 0) + tick.ticks);
      const first = nodes[0]!.callFrame;
      const hottestLine = [...ticksByLine].sort((a, b) => b[1] - a[1])[0]?.[0] ?? first.lineNumber + 1;
      const position = sourceMaps.toOriginal(first.url, hottestLine, 1);
      if (!position) continue;
      const callers = new Set<string>();
      for (const node of nodes) for (const above of this.stackOf(node.id).slice(1)) if (isAppUrl(above.callFrame.url, this.ownDir)) callers.add(functionKey(above));
      hot.push({ key, ...position, functionName: first.functionName || '(anonymous)', runs, callers });
    }
    return hot;
  }
}
