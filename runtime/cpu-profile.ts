/**
 * Reads the main thread's V8 CPU profile to name the code of a synchronous stretch already measured long
 * (`Stretch`, timed by async_hooks in the app): the samples inside the stretch, each charged to the app's
 * own function nearest the top of its stack (CPU in a dependency goes to the app line that called it, as
 * static findings do). Samples under our timing wrappers are left out: that time is the catalog call's.
 */
import { isAppUrl } from './app-code.js';
import type { CpuProfile } from './protocol.js';
import { readFileSync } from 'node:fs';
import { SourceMaps, toPath, type Position } from './source-map.js';

type ProfileNode = CpuProfile['nodes'][number];

/** Identity of a function in the profile and in coverage: script URL, 0-based line and column of its start. */
export function functionKey(node: ProfileNode): string {
  return `${node.callFrame.url}:${node.callFrame.lineNumber}:${node.callFrame.columnNumber}`;
}

/** What the samples of one stretch ran. */
export interface StretchCode {
  /** Samples that ran code (not idle, not our wrappers'). */
  samples: number;
  /** Of those, samples with no app frame on the stack (a framework's body parser, Node's internals, GC). */
  outsideApp: number;
  /** App functions by samples charged to them, most sampled first. */
  functions: Array<{ key: string; samples: number }>;
  /** The most sampled dependency (or Node) function called from the app, if any: where the app's time went. */
  dependency: string | null;
  /** The first frame in a dependency when no app frame was on any stack (a body parser run by the framework). */
  dependencySite: { url: string; line: number; column: number; functionName: string } | null;
}

export class ProfileIndex {
  private readonly nodes = new Map<number, ProfileNode>();
  private readonly parents = new Map<number, number>();
  private readonly stacks = new Map<number, ProfileNode[]>();
  private readonly lineCounts = new Map<string, number>();
  /** Per sample: its leaf node and its time on the app's clock. */
  private readonly samples: Array<{ nodeId: number; timeMs: number }> = [];

  constructor(
    profile: CpuProfile,
    clockOffsetUs: number,
    private readonly ownDir: string,
  ) {
    for (const node of profile.nodes) {
      this.nodes.set(node.id, node);
      for (const child of node.children ?? []) this.parents.set(child, node.id);
    }
    let timeUs = profile.startTime;
    profile.samples.forEach((nodeId, index) => {
      timeUs += profile.timeDeltas[index] ?? 0;
      this.samples.push({ nodeId, timeMs: (timeUs - clockOffsetUs) / 1000 });
    });
  }

  /** Leaf first. */
  private stackOf(nodeId: number): ProfileNode[] {
    let stack = this.stacks.get(nodeId);
    if (!stack) {
      stack = [];
      for (let id: number | undefined = nodeId; id !== undefined; id = this.parents.get(id)) stack.push(this.nodes.get(id)!);
      this.stacks.set(nodeId, stack);
    }
    return stack;
  }

  private isApp(node: ProfileNode): boolean {
    return isAppUrl(node.callFrame.url, this.ownDir);
  }

  private underTimingWrapper(stack: ProfileNode[]): boolean {
    return stack.some((node) => node.callFrame.url.includes(this.ownDir) && node.callFrame.url.includes('/child/timing'));
  }

  /** Index of the first sample at or after `timeMs`. */
  private firstSampleAt(timeMs: number): number {
    let low = 0;
    let high = this.samples.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.samples[middle]!.timeMs < timeMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The code the samples taken between `startMs` and `endMs` ran. */
  codeIn(startMs: number, endMs: number): StretchCode {
    const functions = new Map<string, number>();
    const dependencies = new Map<string, number>();
    let dependencySite: StretchCode['dependencySite'] = null;
    let samples = 0;
    let outsideApp = 0;
    for (let index = this.firstSampleAt(startMs); index < this.samples.length && this.samples[index]!.timeMs <= endMs; index++) {
      const stack = this.stackOf(this.samples[index]!.nodeId);
      const name = stack[0]?.callFrame.functionName;
      if (name === '(idle)' || name === '(root)' || this.underTimingWrapper(stack)) continue;
      samples++;
      const appIndex = stack.findIndex((node) => this.isApp(node));
      const below = stack.slice(0, appIndex < 0 ? stack.length : appIndex).find((node) => node.callFrame.url && !node.callFrame.url.includes(this.ownDir));
      if (below && appIndex >= 0) {
        const label = dependencyLabel(below);
        dependencies.set(label, (dependencies.get(label) ?? 0) + 1);
      }
      if (appIndex < 0) outsideApp++;
      if (appIndex >= 0) {
        const key = functionKey(stack[appIndex]!);
        functions.set(key, (functions.get(key) ?? 0) + 1);
      } else if (below && !dependencySite) {
        dependencySite = {
          url: below.callFrame.url,
          line: below.callFrame.lineNumber + 1,
          column: below.callFrame.columnNumber + 1,
          functionName: below.callFrame.functionName,
        };
      }
    }
    const byCount = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
    return {
      samples,
      outsideApp,
      functions: byCount(functions).map(([key, count]) => ({ key, samples: count })),
      // Named only when it holds most of the app's samples: otherwise the app's own code is the cost.
      dependency: (byCount(dependencies)[0]?.[1] ?? 0) * 2 > samples - outsideApp ? byCount(dependencies)[0]![0] : null,
      dependencySite: functions.size === 0 ? dependencySite : null,
    };
  }

  /** Every app function in the profile, by key, with its script position (0-based). */
  appFunctions(): Array<{ key: string; url: string; line: number; column: number }> {
    const found = new Map<string, { key: string; url: string; line: number; column: number }>();
    for (const node of this.nodes.values()) {
      if (!this.isApp(node)) continue;
      const key = functionKey(node);
      if (!found.has(key)) found.set(key, { key, url: node.callFrame.url, line: node.callFrame.lineNumber, column: node.callFrame.columnNumber });
    }
    return [...found.values()];
  }

  /** App functions above `key`'s frames in any stack: where the JIT may inline it. */
  callersOf(key: string): Set<string> {
    const callers = new Set<string>();
    for (const node of this.nodes.values()) {
      if (functionKey(node) !== key) continue;
      for (const above of this.stackOf(node.id).slice(1)) if (this.isApp(above)) callers.add(functionKey(above));
    }
    return callers;
  }

  private lineCount(url: string): number {
    if (!this.lineCounts.has(url)) {
      const path = toPath(url);
      let count = Number.POSITIVE_INFINITY;
      try {
        if (path) count = readFileSync(path, 'utf8').split('\n').length;
      } catch {
        // unreadable: keep every tick
      }
      this.lineCounts.set(url, count);
    }
    return this.lineCounts.get(url)!;
  }

  /** The hottest line of an app function (its own ticks), else its first line; through source maps. */
  siteOf(sourceMaps: SourceMaps, key: string): (Position & { functionName: string }) | null {
    const nodes = [...this.nodes.values()].filter((node) => functionKey(node) === key);
    const first = nodes[0]?.callFrame;
    if (!first) return null;
    // Ticks of code V8 inlined from another script (performance.now) carry that script's lines: keep the function's own.
    const lastLine = this.lineCount(first.url);
    const ticksByLine = new Map<number, number>();
    for (const node of nodes) {
      for (const tick of node.positionTicks ?? []) {
        if (tick.line > first.lineNumber && tick.line <= lastLine) ticksByLine.set(tick.line, (ticksByLine.get(tick.line) ?? 0) + tick.ticks);
      }
    }
    const hottestLine = [...ticksByLine].sort((a, b) => b[1] - a[1])[0]?.[0] ?? first.lineNumber + 1;
    const position = sourceMaps.toOriginal(first.url, hottestLine, 1);
    return position ? { ...position, functionName: first.functionName || '(anonymous)' } : null;
  }
}

/** `name (package)` for a dependency's frame, `name` for Node's own. */
function dependencyLabel(node: ProfileNode): string {
  const name = node.callFrame.functionName || '(anonymous)';
  const packageName = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(node.callFrame.url)?.[1];
  return packageName ? `${name} (${packageName})` : name;
}
