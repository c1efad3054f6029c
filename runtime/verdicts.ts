/**
 * Turns what the app measured into a verdict per static finding (confirmed / not-reproduced /
 * unreached, with numbers), and into findings of their own for blocks the static pass missed.
 */
import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { ruleForCategory } from '../core/rule-table.js';
import type { BlockKind, CatalogEntry, Category } from '../core/types.js';
import type { ChildMeasurements, RawFrame, RequestRecord, SlowCall } from './protocol.js';
import type { BlockedStats, ProbedFinding, ReportFinding, RuntimeSection, StaticReport } from './report.js';
import { LineCoverage } from './coverage.js';
import { isAppUrl } from './app-code.js';
import { heldMs, ProfileIndex, type Run } from './cpu-profile.js';
import { SourceMaps, toPath, type Position } from './source-map.js';
import type { RouteMatcher, SkippedRoute } from './routes.js';
import { percentile, round1 } from './stats.js';

export interface JudgeInput {
  report: StaticReport;
  measurements: ChildMeasurements;
  /** Directory the report's relative paths are relative to. */
  cwd: string;
  thresholdMs: number;
  catalog: readonly CatalogEntry[];
  matcher: RouteMatcher;
  /** Our own runtime's directory, whose frames are never the app's. */
  ownDir: string;
  /** Routes the probe did not load, for the reason a finding on them did not run. */
  skipped?: readonly SkippedRoute[];
}

/** Findings whose time is CPU work in the app's own code, measured by the profiler rather than a wrapper. */
const PROFILED_CATEGORIES = new Set(['cpu-loop', 'regex', 'json']);

interface Block {
  ms: number;
  cpuMs: number | null;
  /** Part of `ms` the thread spent runnable but unscheduled: excluded from the CPU/wall denominator. */
  runQueueMs: number;
  requestId: number | null;
}

/**
 * What a timed call held the loop for: its wall time less the time the thread waited for a core (a busy
 * machine stretches a 1 ms read past the threshold; that is not the call's blocking).
 */
function heldByCall(call: SlowCall): number {
  return call.ms - call.runQueueMs;
}

/** The call site of a slow call: the first frame in the app's own code, else the first file frame (a dependency). */
function siteOf(stack: RawFrame[], ownDir: string, sourceMaps: SourceMaps): Position | null {
  const frame = stack.find((candidate) => isAppUrl(candidate.url, ownDir)) ?? stack.find((candidate) => toPath(candidate.url) && !candidate.url.includes(ownDir));
  return frame ? sourceMaps.toOriginal(frame.url, frame.line, frame.column) : null;
}

function blockedStats(blocks: Block[]): { perRequest: BlockedStats | null; requestsAffected: number; totalMs: number; cpuWallRatio: number | null } {
  // A request's blocking is the sum of its blocks; blocks outside any request count one by one.
  const perRequest = new Map<string, number>();
  blocks.forEach((block, index) => {
    const key = block.requestId === null ? `block-${index}` : `request-${block.requestId}`;
    perRequest.set(key, (perRequest.get(key) ?? 0) + block.ms);
  });
  const values = [...perRequest.values()];
  const totalMs = blocks.reduce((sum, block) => sum + block.ms, 0);
  const measuredCpu = blocks.filter((block) => block.cpuMs !== null);
  const cpuWallRatio = measuredCpu.length > 0
    ? measuredCpu.reduce((sum, block) => sum + block.cpuMs!, 0) / Math.max(measuredCpu.reduce((sum, block) => sum + block.ms - block.runQueueMs, 0), 1e-9)
    : null;
  return {
    perRequest: values.length > 0 ? { p50: round1(percentile(values, 50)), p95: round1(percentile(values, 95)), max: round1(Math.max(...values)) } : null,
    requestsAffected: new Set(blocks.filter((block) => block.requestId !== null).map((block) => block.requestId)).size,
    totalMs,
    cpuWallRatio: cpuWallRatio === null ? null : Math.round(Math.min(cpuWallRatio, 1) * 100) / 100,
  };
}

function routeCounts(blocks: Block[], requests: Map<number, RequestRecord>, matcher: RouteMatcher): Array<{ route: string; requests: number }> {
  const counts = new Map<string, Set<number>>();
  for (const block of blocks) {
    const request = block.requestId === null ? undefined : requests.get(block.requestId);
    if (!request) continue;
    const label = matcher.labelFor(request.method, request.url);
    counts.set(label, (counts.get(label) ?? new Set()).add(request.id));
  }
  return [...counts].map(([route, ids]) => ({ route, requests: ids.size })).sort((a, b) => b.requests - a.requests);
}

/** A run of profiled JavaScript: CPU by construction, but for the run-queue wait it may hold. */
function profiledBlock(run: Run): Block {
  return { ms: run.ms, cpuMs: heldMs(run), runQueueMs: run.runQueueMs, requestId: run.requestId };
}

/** The request whose synchronous segment contains `timeMs`, if any (requests are in start order and never overlap on one thread). */
function requestAt(requests: RequestRecord[], timeMs: number): number | null {
  let low = 0;
  let high = requests.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (requests[middle]!.startMs <= timeMs) low = middle + 1;
    else high = middle - 1;
  }
  const candidate = requests[high];
  return candidate && timeMs <= candidate.startMs + candidate.syncMs ? candidate.id : null;
}

/** Why a finding's line did not run, in a word and in a sentence saying what would reach it. */
function unreached(finding: ReportFinding, requests: RequestRecord[], matcher: RouteMatcher, skipped: readonly SkippedRoute[]): Pick<RuntimeSection, 'unreachedReason' | 'hint'> {
  for (const handler of finding.handlers) {
    const own = requests.filter((request) => matcher.labelFor(request.method, request.url) === handler.label);
    if (own.length === 0) continue;
    const rejected = own.filter((request) => request.status !== null && request.status >= 400 && request.status < 500);
    // Most requests turned away (validation, auth, a sample parameter that names nothing): the handler answered before the line.
    if (rejected.length * 2 > own.length) {
      const statuses = [...new Set(rejected.map((request) => request.status))].sort().join('/');
      return {
        unreachedReason: 'answered-4xx',
        hint: `${handler.label} answered ${rejected.length} of its ${own.length} requests with ${statuses} before reaching this line: send a request it accepts (a --requests-file entry with a real path, body and headers)`,
      };
    }
    return {
      unreachedReason: 'branch-not-taken',
      hint: `${handler.label} was requested ${own.length} times but never ran this line: send the input that takes this branch (a --requests-file entry for ${handler.label})`,
    };
  }
  const left = finding.handlers.map((handler) => skipped.find((route) => route.route === handler.label)).find((route) => route !== undefined);
  if (left) return { unreachedReason: 'not-requested', hint: `${left.route} was not loaded: ${left.reason}` };
  const first = finding.handlers[0];
  if (first) {
    return {
      unreachedReason: 'not-requested',
      hint: `no request reached it: it runs from ${first.label} (${first.kind}, ${first.file}:${first.line}), which the probe's HTTP load does not exercise; add a --requests-file entry or drive it from a test`,
    };
  }
  return { unreachedReason: 'not-requested', hint: 'no handler of the report reaches this line: it runs only if some code path the static pass did not see calls it' };
}

function findingId(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

export function judge(input: JudgeInput): ProbedFinding[] {
  const { report, measurements, thresholdMs, matcher, ownDir } = input;
  const sourceMaps = new SourceMaps();
  const coverage = new LineCoverage(measurements.coverage, sourceMaps);
  const requests = new Map(measurements.requests.map((request) => [request.id, request]));
  const profile = measurements.profile
    ? new ProfileIndex(measurements.profile, measurements.clockOffsetUs, ownDir, (timeMs) => requestAt(measurements.requests, timeMs), (id) => requests.get(id)?.syncRunQueueMs ?? 0)
    : null;
  const busyMs = Math.max(measurements.loop.activeMs, 1e-9);
  const entries = new Map(input.catalog.map((entry) => [entry.id, entry]));

  const sites = measurements.slowCalls.map((call) => ({ call, site: siteOf(call.stack, ownDir, sourceMaps) }));
  const claimed = new Set<SlowCall>();
  const explainedRuns: Run[] = [];
  /** `request:function` pairs: a caller of a profiled finding, in a request where the finding blocked. */
  const explainedCallers = new Set<string>();

  const section = (verdict: RuntimeSection['verdict'], executions: number, blocks: Block[], measuredBy: RuntimeSection['measuredBy']): RuntimeSection => {
    const stats = blockedStats(blocks);
    return {
      verdict,
      thresholdMs,
      executions,
      requestsAffected: stats.requestsAffected,
      blockedMsPerRequest: stats.perRequest,
      shareOfLoopBusy: Math.round(Math.min(stats.totalMs / busyMs, 1) * 1000) / 1000,
      cpuWallRatio: stats.cpuWallRatio,
      routes: routeCounts(blocks, requests, matcher),
      measuredBy,
    };
  };

  const judged = report.findings.map((finding): ProbedFinding => {
    const file = resolve(input.cwd, finding.file);
    const executions = coverage.executions(file, finding.line, finding.column);
    let blocks: Block[];
    /** Timed calls of the finding's line, over the threshold or not: evidence that it ran. */
    let timedCalls = 0;
    let measuredBy: RuntimeSection['measuredBy'];
    if (PROFILED_CATEGORIES.has(String(finding.category))) {
      measuredBy = 'cpu-profile';
      const { runs, callers } = profile ? profile.runsForLine(sourceMaps, file, finding.line) : { runs: [], callers: new Set<string>() };
      explainedRuns.push(...runs);
      for (const run of runs) if (run.requestId !== null) for (const caller of callers) explainedCallers.add(`${run.requestId}:${caller}`);
      blocks = runs.filter((run) => heldMs(run) >= thresholdMs).map(profiledBlock);
    } else {
      measuredBy = 'timing-wrapper';
      const matching = sites.filter(({ site }) => site && site.file === file && site.line >= finding.line && site.line <= Math.max(finding.endLine, finding.line));
      for (const { call } of matching) claimed.add(call);
      timedCalls = matching.length;
      blocks = matching.filter(({ call }) => heldByCall(call) >= thresholdMs).map(({ call }) => ({ ms: call.ms, cpuMs: call.cpuMs, runQueueMs: call.runQueueMs, requestId: call.requestId }));
    }
    const ran = (executions ?? 0) > 0 || blocks.length > 0 || timedCalls > 0;
    const verdict = blocks.length > 0 ? 'confirmed' : ran ? 'not-reproduced' : 'unreached';
    const runtime = section(verdict, Math.max(executions ?? 0, blocks.length), blocks, measuredBy);
    if (verdict === 'unreached') Object.assign(runtime, unreached(finding, measurements.requests, matcher, input.skipped ?? []));
    return { ...finding, runtime };
  });

  // Catalog calls the static pass did not report, grouped by call site and API.
  const runtimeOnly = new Map<string, { site: Position; calls: SlowCall[] }>();
  for (const { call, site } of sites) {
    if (claimed.has(call) || !site || heldByCall(call) < thresholdMs) continue;
    const key = `${site.file}:${site.line}:${site.column}:${call.apiId}:${call.name}`;
    const group = runtimeOnly.get(key) ?? { site, calls: [] };
    group.calls.push(call);
    runtimeOnly.set(key, group);
  }
  const added: ProbedFinding[] = [];
  for (const { site, calls } of runtimeOnly.values()) {
    const first = calls[0]!;
    const entry = entries.get(first.apiId);
    const moduleName = entry?.declaration.from === 'package' ? entry.declaration.package.replace(/^node:/, '') : '';
    const call = moduleName ? `${moduleName}.${first.name}` : first.name;
    const blocks = calls.map((slow) => ({ ms: slow.ms, cpuMs: slow.cpuMs, runQueueMs: slow.runQueueMs, requestId: slow.requestId }));
    const runtime = section('confirmed', calls.length, blocks, 'timing-wrapper');
    added.push(runtimeFinding({
      cwd: input.cwd, site, call,
      rule: `blockcheck/${ruleForCategory(entry?.category ?? 'blocking-client')}`,
      category: entry?.category ?? 'blocking-client', kind: entry?.kind ?? 'wait', severity: entry?.severity ?? 'error',
      alternative: entry?.alternative.replaceAll('{name}', first.name).replaceAll('{base}', first.name.replace(/Sync$/, '')) ?? '',
      message: `${call} blocked the event loop for up to ${runtime.blockedMsPerRequest?.max ?? 0} ms per request at runtime; the static pass did not report this call`,
      runtime,
    }));
  }

  // CPU work in the app's own functions that held the loop, not explained by a static CPU finding.
  const hotFunctions = profile?.hotFunctions(sourceMaps, thresholdMs) ?? [];
  // A caller's run in a request where one of its hot callees also ran is the callee's work (inlined by the
  // JIT, its samples carry the caller's frame): count it there rather than as a block of its own.
  for (const caller of hotFunctions) {
    caller.runs = caller.runs.filter((run) => {
      const callee = hotFunctions.find((other) => other !== caller && other.callers.has(caller.key) && other.runs.some((own) => run.requestId !== null && own.requestId === run.requestId));
      if (callee) callee.runs.push(run);
      return !callee;
    });
  }
  for (const hot of hotFunctions) {
    // Explained: overlapping a static finding's run, or in a caller of it during the same request (the
    // JIT may inline the finding's function into its caller, whose frame then carries the samples).
    const unexplained = hot.runs.filter(
      (run) =>
        !explainedRuns.some((other) => other.startMs < run.startMs + run.ms && run.startMs < other.startMs + other.ms) &&
        !explainedCallers.has(`${run.requestId}:${hot.key}`),
    );
    if (unexplained.length === 0) continue;
    const blocks = unexplained.map(profiledBlock);
    const runtime = section('confirmed', Math.max(coverage.executions(hot.file, hot.line, hot.column) ?? 0, blocks.length), blocks, 'cpu-profile');
    added.push(runtimeFinding({
      cwd: input.cwd, site: hot, call: `${hot.functionName}()`,
      rule: `blockcheck/${ruleForCategory('cpu-loop')}`, category: 'cpu-loop', kind: 'cpu', severity: 'error',
      alternative: 'move the computation to a worker pool (piscina), or split it into chunks that yield (await setImmediate)',
      message: `${hot.functionName}() ran on the event loop for up to ${runtime.blockedMsPerRequest?.max ?? 0} ms at a time (CPU profile, hottest line); the static pass did not report it`,
      runtime,
    }));
  }
  return [...judged, ...added];
}

function runtimeFinding(parts: {
  cwd: string;
  site: Position;
  call: string;
  rule: string;
  category: Category;
  kind: BlockKind;
  severity: 'error' | 'warning';
  alternative: string;
  message: string;
  runtime: RuntimeSection;
}): ProbedFinding {
  const file = relative(parts.cwd, parts.site.file);
  return {
    id: findingId(['runtime', file, String(parts.site.line), parts.call]),
    rule: parts.rule,
    category: parts.category,
    kind: parts.kind,
    severity: parts.severity,
    file,
    line: parts.site.line,
    column: parts.site.column,
    endLine: parts.site.line,
    endColumn: parts.site.column,
    call: parts.call,
    message: parts.message,
    alternative: parts.alternative,
    handlers: [],
    runtime: parts.runtime,
    source: 'runtime',
  };
}
