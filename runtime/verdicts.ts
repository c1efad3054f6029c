/**
 * Turns what the app measured into a verdict per static finding (confirmed / not-reproduced /
 * unreached, with numbers), and into findings of their own for blocks the static pass missed.
 */
import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { ruleForCategory } from '../core/rule-table.js';
import type { BlockKind, CatalogEntry, Category } from '../core/types.js';
import type { ChildMeasurements, RawFrame, RequestRecord, SlowCall, Stretch } from './protocol.js';
import type { BlockedStats, ProbedFinding, ReportFinding, RuntimeSection, StaticReport } from './report.js';
import { LineCoverage } from './coverage.js';
import { isAppUrl } from './app-code.js';
import { ProfileIndex, type StretchCode } from './cpu-profile.js';
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
  const frame =
    stack.find((candidate) => isAppUrl(candidate.url, ownDir)) ?? stack.find((candidate) => toPath(candidate.url) && !candidate.url.includes(ownDir));
  return frame ? sourceMaps.toOriginal(frame.url, frame.line, frame.column) : null;
}

function blockedStats(
  blocks: Block[],
  thresholdMs: number,
): { perRequest: BlockedStats | null; requestsAffected: number; totalMs: number; cpuWallRatio: number | null } {
  // A request's blocking is the sum of its blocks; blocks outside any request count one by one. Beside a block
  // that held the loop with the request's own work, one past the threshold only while the thread waited for a
  // core (a large body's socket reads on a busy machine) is the machine's and adds nothing.
  const heldByRequest = new Set(blocks.filter((block) => block.ms - block.runQueueMs >= thresholdMs).map((block) => block.requestId));
  const perRequest = new Map<string, number>();
  blocks.forEach((block, index) => {
    const key = block.requestId === null ? `block-${index}` : `request-${block.requestId}`;
    const machineOnly = block.ms - block.runQueueMs < thresholdMs && block.requestId !== null && heldByRequest.has(block.requestId);
    if (!machineOnly) perRequest.set(key, (perRequest.get(key) ?? 0) + block.ms);
  });
  const values = [...perRequest.values()];
  const totalMs = blocks.reduce((sum, block) => sum + block.ms, 0);
  const measuredCpu = blocks.filter((block) => block.cpuMs !== null);
  const cpuWallRatio =
    measuredCpu.length > 0
      ? measuredCpu.reduce((sum, block) => sum + block.cpuMs!, 0) /
        Math.max(
          measuredCpu.reduce((sum, block) => sum + block.ms - block.runQueueMs, 0),
          1e-9,
        )
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

/**
 * A synchronous stretch that held the loop past the threshold with JavaScript of its own: its time less the
 * timed catalog calls inside it (each is its own finding). Its run-queue wait stays in its wall time: a loop
 * that spins until a clock time kept the loop that long whoever had the core. Whether a site blocks at all
 * is decided on time net of that wait (`heldBlock`), so a busy machine alone never confirms one.
 */
interface CpuBlock {
  stretch: Stretch;
  block: Block;
  code: StretchCode | null;
}

/** At least one of the blocks held the loop past the threshold with the thread's run-queue wait taken out. */
function heldBlock(blocks: readonly Block[], thresholdMs: number): boolean {
  return blocks.some((block) => block.ms - block.runQueueMs >= thresholdMs);
}

function cpuBlocks(measurements: ChildMeasurements, profile: ProfileIndex | null, thresholdMs: number): CpuBlock[] {
  const blocks: CpuBlock[] = [];
  for (const stretch of measurements.stretches) {
    const endMs = stretch.startMs + stretch.ms;
    const timedMs = measurements.slowCalls
      .filter((call) => call.requestId === stretch.requestId && call.startMs >= stretch.startMs && call.startMs + call.ms <= endMs + 0.01)
      .reduce((sum, call) => sum + call.ms, 0);
    const ms = stretch.ms - timedMs;
    if (ms < thresholdMs) continue;
    blocks.push({
      stretch,
      // JavaScript on the thread: CPU by construction, but for the run-queue wait.
      block: { ms, cpuMs: Math.max(0, ms - stretch.runQueueMs), runQueueMs: stretch.runQueueMs, requestId: stretch.requestId },
      code: profile ? profile.codeIn(stretch.startMs, endMs) : null,
    });
  }
  return blocks;
}

/** Why a finding's line did not run, in a word and in a sentence saying what would reach it. */
function unreached(
  finding: ReportFinding,
  requests: RequestRecord[],
  matcher: RouteMatcher,
  skipped: readonly SkippedRoute[],
): Pick<RuntimeSection, 'unreachedReason' | 'hint'> {
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
  return {
    unreachedReason: 'not-requested',
    hint: 'no handler of the report reaches this line: it runs only if some code path the static pass did not see calls it',
  };
}

function findingId(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

export function judge(input: JudgeInput): ProbedFinding[] {
  const { report, measurements, thresholdMs, matcher, ownDir } = input;
  const sourceMaps = new SourceMaps();
  const coverage = new LineCoverage(measurements.coverage, sourceMaps);
  const requests = new Map(measurements.requests.map((request) => [request.id, request]));
  const profile = measurements.profile ? new ProfileIndex(measurements.profile, measurements.clockOffsetUs, ownDir) : null;
  const busyMs = Math.max(measurements.loop.activeMs, 1e-9);
  const entries = new Map(input.catalog.map((entry) => [entry.id, entry]));
  const routeOf = (requestId: number | null): string | null => {
    const request = requestId === null ? undefined : requests.get(requestId);
    return request ? matcher.labelFor(request.method, request.url) : null;
  };

  const sites = measurements.slowCalls.map((call) => ({ call, site: siteOf(call.stack, ownDir, sourceMaps) }));
  const claimed = new Set<SlowCall>();

  const section = (verdict: RuntimeSection['verdict'], executions: number, blocks: Block[], measuredBy: RuntimeSection['measuredBy']): RuntimeSection => {
    const stats = blockedStats(blocks, thresholdMs);
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

  // Each long stretch of JavaScript goes to the static CPU finding whose function the profile puts in it.
  const profiled = report.findings.filter((finding) => PROFILED_CATEGORIES.has(finding.category));
  const functionOf = new Map(profiled.map((finding) => [finding, coverage.functionAt(resolve(input.cwd, finding.file), finding.line, finding.column)]));
  const blocksOf = new Map<ReportFinding, Block[]>(profiled.map((finding) => [finding, []]));
  const unexplained: CpuBlock[] = [];
  // Profile functions by the coverage function they are (findings know theirs from coverage).
  const profileFunctions = new Map((profile?.appFunctions() ?? []).map((fn) => [fn.key, coverage.functionAtGenerated(fn.url, fn.line, fn.column)]));
  for (const cpu of cpuBlocks(measurements, profile, thresholdMs)) {
    const owners = ownersOf(cpu, profiled, functionOf, profileFunctions, profile, coverage, input.cwd, routeOf(cpu.stretch.requestId));
    for (const finding of owners) blocksOf.get(finding)!.push(cpu.block);
    if (owners.length === 0) unexplained.push(cpu);
  }

  const judged = report.findings.map((finding): ProbedFinding => {
    const file = resolve(input.cwd, finding.file);
    const executions = coverage.executions(file, finding.line, finding.column);
    let blocks: Block[];
    /** Timed calls of the finding's line, over the threshold or not: evidence that it ran. */
    let timedCalls = 0;
    let measuredBy: RuntimeSection['measuredBy'];
    if (blocksOf.has(finding)) {
      measuredBy = 'cpu-profile';
      const stretches = blocksOf.get(finding)!;
      blocks = heldBlock(stretches, thresholdMs) ? stretches : [];
    } else {
      measuredBy = 'timing-wrapper';
      const matching = sites.filter(
        ({ site }) => site && site.file === file && site.line >= finding.line && site.line <= Math.max(finding.endLine, finding.line),
      );
      for (const { call } of matching) claimed.add(call);
      timedCalls = matching.length;
      blocks = matching
        .filter(({ call }) => heldByCall(call) >= thresholdMs)
        .map(({ call }) => ({ ms: call.ms, cpuMs: call.cpuMs, runQueueMs: call.runQueueMs, requestId: call.requestId }));
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
    added.push(
      runtimeFinding({
        cwd: input.cwd,
        site,
        call,
        rule: `blockcheck/${ruleForCategory(entry?.category ?? 'blocking-client')}`,
        category: entry?.category ?? 'blocking-client',
        kind: entry?.kind ?? 'wait',
        severity: entry?.severity ?? 'error',
        alternative: entry?.alternative.replaceAll('{name}', first.name).replaceAll('{base}', first.name.replace(/Sync$/, '')) ?? '',
        message: `${call} blocked the event loop for up to ${runtime.blockedMsPerRequest?.max ?? 0} ms per request at runtime; the static pass did not report this call`,
        runtime,
      }),
    );
  }

  // Long stretches of JavaScript no static finding explains: one finding per app line the profile names.
  for (const group of groupUnexplained(unexplained, profile, sourceMaps, report, input.cwd, routeOf)) {
    const blocks = group.blocks.map((cpu) => cpu.block);
    if (!heldBlock(blocks, thresholdMs)) continue;
    const runtime = section(
      'confirmed',
      Math.max(coverage.executions(group.site.file, group.site.line, group.site.column) ?? 0, blocks.length),
      blocks,
      'cpu-profile',
    );
    added.push(
      runtimeFinding({
        cwd: input.cwd,
        site: group.site,
        call: group.call,
        rule: `blockcheck/${ruleForCategory('cpu-loop')}`,
        category: 'cpu-loop',
        kind: 'cpu',
        severity: 'error',
        alternative: 'move the computation to a worker pool (piscina), or split it into chunks that yield (await setImmediate)',
        message: `${group.what} held the event loop for up to ${runtime.blockedMsPerRequest?.max ?? 0} ms per request (synchronous stretch timed; ${group.how}); the static pass did not report it`,
        runtime,
      }),
    );
  }
  return [...judged, ...added];
}

/**
 * The static CPU findings a long stretch confirms: those in the app function the most samples of the
 * stretch are charged to (a finding's function that the JIT inlined into that one counts too). Without
 * samples of app code in the stretch (a loaded machine starves the sampler too), the one CPU finding of the
 * stretch's route that ran, if there is exactly one.
 */
function ownersOf(
  cpu: CpuBlock,
  profiled: readonly ReportFinding[],
  functionOf: ReadonlyMap<ReportFinding, string | null>,
  profileFunctions: ReadonlyMap<string, string | null>,
  profile: ProfileIndex | null,
  coverage: LineCoverage,
  cwd: string,
  route: string | null,
): ReportFinding[] {
  const top = cpu.code?.functions[0]?.key;
  if (top) {
    const topFunction = profileFunctions.get(top);
    const inTop = profiled.filter((finding) => topFunction && functionOf.get(finding) === topFunction);
    if (inTop.length > 0) return inTop;
    // Inlined: the finding's function sits under the top one in some stack of the profile.
    return profiled.filter((finding) => {
      const own = functionOf.get(finding);
      return own && [...profileFunctions].some(([key, fn]) => fn === own && profile?.callersOf(key).has(top));
    });
  }
  const ran = profiled.filter(
    (finding) =>
      route !== null &&
      finding.handlers.some((handler) => handler.label === route) &&
      (coverage.executions(resolve(cwd, finding.file), finding.line, finding.column) ?? 0) > 0,
  );
  return ran.length === 1 ? ran : [];
}

interface UnexplainedGroup {
  site: Position;
  call: string;
  what: string;
  how: string;
  blocks: CpuBlock[];
}

/**
 * Unexplained long stretches by where they are charged: the hottest line of the app function most sampled
 * in them (with the dependency it was in, if any); else, for work with no app frame on the stack (a body
 * parser the framework runs), the route's handler; else the dependency's own frame.
 */
function groupUnexplained(
  blocks: readonly CpuBlock[],
  profile: ProfileIndex | null,
  sourceMaps: SourceMaps,
  report: StaticReport,
  cwd: string,
  routeOf: (requestId: number | null) => string | null,
): UnexplainedGroup[] {
  const groups = new Map<string, UnexplainedGroup>();
  for (const cpu of blocks) {
    const route = routeOf(cpu.stretch.requestId);
    const handler = route === null ? undefined : report.handlers.find((candidate) => candidate.label === route);
    const top = cpu.code?.functions[0];
    const dependency = cpu.code?.dependency ?? null;
    let group: Omit<UnexplainedGroup, 'blocks'> | null = null;
    // Mostly outside any app frame (the framework's body parser): the route's handler is the app's line.
    const appSite = top && profile && !(handler && handler.line > 0 && top.samples < cpu.code!.outsideApp) ? profile.siteOf(sourceMaps, top.key) : null;
    if (appSite) {
      group = {
        site: appSite,
        call: `${appSite.functionName}()`,
        what: dependency ? `${appSite.functionName}(), in ${dependency},` : `${appSite.functionName}()`,
        how: 'the CPU profile names the line',
      };
    } else if (handler && handler.line > 0) {
      group = {
        site: { file: resolve(cwd, handler.file), line: handler.line, column: 1 },
        call: route!,
        what: cpu.code?.samples
          ? `Code outside the app's own frames (a framework's body parser, a dependency) run for ${route}`
          : `Work in ${route} the profiler did not sample`,
        how: cpu.code?.samples ? 'charged to the route handler' : 'the line is unknown',
      };
    } else if (cpu.code?.dependencySite) {
      const frame = cpu.code.dependencySite;
      const position = sourceMaps.toOriginal(frame.url, frame.line, frame.column);
      if (position)
        group = {
          site: position,
          call: `${frame.functionName || '(anonymous)'}()`,
          what: `${frame.functionName || '(anonymous)'}()`,
          how: 'no app frame on the stack',
        };
    }
    if (!group) continue;
    const key = `${group.site.file}:${group.site.line}:${group.call}`;
    const existing = groups.get(key) ?? { ...group, blocks: [] };
    existing.blocks.push(cpu);
    groups.set(key, existing);
  }
  return [...groups.values()];
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
