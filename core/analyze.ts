/**
 * The analysis of one program: find the handlers, walk from each through the memoized function
 * summaries (breadth first, so each handler's chain to a call is a shortest one), and turn every
 * blocking call or CPU pattern reached into a finding with the handlers that reach it.
 */
import ts from 'typescript';
import { calleeKnownArguments, guardsMayHold, NO_KNOWN_ARGUMENTS, type KnownArguments } from './branch-guards.js';
import { CallCandidates, reachableModules } from './call-candidates.js';
import { CatalogMatcher, effectiveCatalog } from './catalog-match.js';
import { FileRoles, DEFAULT_SCRIPT_PATTERNS } from './file-roles.js';
import { asyncRewriteFix } from './fixes.js';
import { handlerKindRank } from './handler-rank.js';
import { combineHandlerScans, HandlerScanner, servedFromScript, startupSeeds, type FileHandlerScan, type HandlerRoot, type StartupCode } from './handlers.js';
import { isFunctionNode } from './syntax-index.js';
import { isOwnSourceFile } from './own-files.js';
import { parentOf } from './parent-node.js';
import { addDependencies, fileCacheEntry, type FileCacheEntry } from './file-cache.js';
import { ruleForCategory } from './rule-table.js';
import { SummaryBuilder, type FunctionSummary, type ParameterMask, type UnresolvedSite } from './summaries.js';
import type { AnalysisOptions, Finding, Fix, Handler, HandlerReach, ProgramAnalysis, SourceRange, UnresolvedCall } from './types.js';

interface StepNode {
  node: ts.Node;
  name: string;
}

/** A function the walk reached, with the request parameters it was reached with and the call that reached it. */
interface WalkState {
  fn: ts.FunctionLikeDeclaration;
  mask: ParameterMask;
  /** The literal arguments it was reached with, which rule out branches its parameters select. */
  known: KnownArguments;
  from: WalkState | undefined;
  step: { site: ts.Node; name: string } | undefined;
}

/** The calls from the handler to `state`, then `last`. */
function chainTo(state: WalkState, last: StepNode): StepNode[] {
  const chain = [last];
  for (let current: WalkState | undefined = state; current?.step; current = current.from) {
    chain.push({ node: current.step.site, name: current.step.name });
  }
  return chain.reverse();
}

interface PendingFinding {
  /** The node the finding is reported at, and what is reported about it. */
  site: ts.Node;
  base: Omit<Finding, 'fileName' | 'start' | 'end' | 'line' | 'column' | 'endLine' | 'endColumn' | 'reaches' | 'fix'>;
  call: ts.CallExpression | ts.NewExpression | undefined;
  fix: (() => Fix | undefined) | undefined;
  reaches: Map<Handler, StepNode[]>;
}

interface PendingUnresolved {
  unresolved: UnresolvedSite;
  reaches: Map<Handler, StepNode[]>;
}

/** What the walks reached, by the file each item is reported in. */
interface Reached {
  findings: Map<string, PendingFinding[]>;
  unresolved: Map<string, PendingUnresolved[]>;
}

/** What one handler reaches: the functions visited (with their summaries) and the findings' sites and chains. */
interface HandlerWalk {
  optionsKey: string;
  /** The functions visited, and the summary each had (same index). */
  visitedFunctions: ts.FunctionLikeDeclaration[];
  visitedSummaries: FunctionSummary[];
  followDecisions: Map<ts.SourceFile, boolean>;
  reached: Array<{ chain: StepNode[]; site: ts.Node; make: () => Omit<PendingFinding, 'reaches'> }>;
  unresolved: Array<{ chain: StepNode[]; unresolved: UnresolvedSite }>;
}

/** Walks kept per handler (the HandlerRoot objects live as long as their file's cached scan). */
const walks = new WeakMap<HandlerRoot, HandlerWalk>();

/** Guards against pathological programs: no handler walks more function contexts than this. */
const MAX_STATES_PER_HANDLER = 20_000;
const MAX_KNOWN_VARIANTS = 4;

const analyses = new WeakMap<ts.Program, Map<string, ProgramAnalysis>>();

/** The analysis of a program with the given options, computed once per program and options. */
export function analyzeProgram(program: ts.Program, options: AnalysisOptions = {}): ProgramAnalysis {
  let byOptions = analyses.get(program);
  if (!byOptions) {
    byOptions = new Map();
    analyses.set(program, byOptions);
  }
  const key = JSON.stringify(options);
  let analysis = byOptions.get(key);
  if (!analysis) {
    analysis = new Analysis(program, options, key);
    byOptions.set(key, analysis);
  }
  return analysis;
}

class Analysis implements ProgramAnalysis {
  private readonly roles: FileRoles;
  private readonly cacheEntries = new Map<ts.SourceFile, FileCacheEntry>();
  private computedHandlers: HandlerRoot[] | undefined;
  private parts: { matcher: CatalogMatcher; candidates: CallCandidates } | undefined;
  /** What the walks reached, by the file each item is reported in; turned into findings file by file. */
  private reachedByFile: Reached | undefined;
  private readonly findingsByFile = new Map<string, Finding[]>();
  private readonly unresolvedByFile = new Map<string, UnresolvedCall[]>();

  constructor(
    readonly program: ts.Program,
    private readonly options: AnalysisOptions,
    private readonly optionsKey: string,
  ) {
    this.roles = new FileRoles(program, options.scriptPatterns ?? DEFAULT_SCRIPT_PATTERNS);
  }

  get handlers(): readonly Handler[] {
    return this.handlerRoots().map((root) => root.handler);
  }

  findingsInFile(fileName: string): readonly Finding[] {
    let findings = this.findingsByFile.get(fileName);
    if (!findings) {
      findings = this.toFindings(this.reached().findings.get(fileName) ?? []);
      this.findingsByFile.set(fileName, findings);
    }
    return findings;
  }

  allFindings(): readonly Finding[] {
    return [...this.reached().findings.keys()].flatMap((fileName) => this.findingsInFile(fileName));
  }

  unresolvedCallsInFile(fileName: string): readonly UnresolvedCall[] {
    let calls = this.unresolvedByFile.get(fileName);
    if (!calls) {
      calls = (this.reached().unresolved.get(fileName) ?? []).map(toUnresolvedCall).sort((a, b) => a.start - b.start);
      this.unresolvedByFile.set(fileName, calls);
    }
    return calls;
  }

  /** A file's cache entry, checked for staleness once per analysis. */
  private cacheEntry(sourceFile: ts.SourceFile): FileCacheEntry {
    let entry = this.cacheEntries.get(sourceFile);
    if (!entry) {
      entry = fileCacheEntry(this.program, sourceFile, this.optionsKey);
      this.cacheEntries.set(sourceFile, entry);
    }
    return entry;
  }

  private handlerRoots(): HandlerRoot[] {
    if (!this.computedHandlers) {
      const scanner = new HandlerScanner(this.program, this.options.handlerRegistrars ?? []);
      const scans: FileHandlerScan[] = [];
      for (const sourceFile of this.program.getSourceFiles()) {
        if (!isOwnSourceFile(this.program, sourceFile)) continue;
        const role = this.roles.roleOf(sourceFile);
        if (role === 'worker') continue;
        const entry = this.cacheEntry(sourceFile);
        if (!entry.handlerScan) {
          entry.handlerScan = scanner.scan(sourceFile);
          addDependencies(entry, entry.handlerScan.referencedFiles);
        }
        scans.push(role === 'server' ? entry.handlerScan : servedFromScript(entry.handlerScan));
      }
      // Every possible root stays out of the startup walk's summaries, as out of the handler walks', so that
      // both share them (a function's summary depends on which nested functions are roots).
      const possibleRoots = new Set<ts.Node>(scans.flatMap((scan) => [...scan.registrations, ...scan.candidates].map((root) => root.handler.node)));
      const startup = this.startupCode(
        startupSeeds(scans, (callee) => scanner.startupMethodTarget(callee)),
        possibleRoots,
      );
      this.computedHandlers = combineHandlerScans(scans, this.options.asyncFunctionsAreHandlers ?? true, startup);
    }
    return this.computedHandlers;
  }

  /**
   * Everything startup code runs: the seeds and the functions they call, through the same summaries the
   * handler walks use.
   */
  private startupCode(seeds: readonly ts.Node[], possibleRoots: ReadonlySet<ts.Node>): StartupCode {
    const called = new Set<ts.Node>();
    if (seeds.length === 0) return { called };
    const summaries = this.summaryBuilder((fn) => possibleRoots.has(fn));
    const queue = seeds.filter((seed): seed is ts.FunctionLikeDeclaration => isFunctionNode(seed) && !!seed.body);
    for (let index = 0; index < queue.length && index < MAX_STATES_PER_HANDLER; index++) {
      const fn = queue[index]!;
      if (called.has(fn)) continue;
      called.add(fn);
      for (const edge of summaries.summaryOf(fn).edges) {
        if (!called.has(edge.target) && this.isFollowedFile(edge.target.getSourceFile())) queue.push(edge.target);
      }
    }
    return { called };
  }

  /** The pieces every summary needs, built once per analysis: the catalog matcher and the call filter. */
  private summaryParts(): { matcher: CatalogMatcher; candidates: CallCandidates } {
    if (!this.parts) {
      const catalog = effectiveCatalog(this.options);
      const followedFiles = this.program.getSourceFiles().filter((sourceFile) => this.isFollowedFile(sourceFile));
      this.parts = {
        matcher: new CatalogMatcher(catalog, this.program, this.options.ignoredApis),
        candidates: new CallCandidates(catalog, followedFiles, reachableModules(this.program)),
      };
    }
    return this.parts;
  }

  private summaryBuilder(isRoot: (fn: ts.Node) => boolean): SummaryBuilder {
    const { matcher, candidates } = this.summaryParts();
    return new SummaryBuilder(this.program.getTypeChecker(), this.program, matcher, candidates, isRoot, (sourceFile) => this.cacheEntry(sourceFile));
  }

  private reached(): Reached {
    this.reachedByFile ??= this.computeFindings();
    return this.reachedByFile;
  }

  /** Code a handler calls runs on the loop wherever it is written; only worker-thread files run elsewhere. */
  private isFollowedFile(sourceFile: ts.SourceFile): boolean {
    if (sourceFile.isDeclarationFile) return false;
    if (isOwnSourceFile(this.program, sourceFile)) return this.roles.roleOf(sourceFile) !== 'worker';
    return this.options.followDependencies === true;
  }

  private computeFindings(): Reached {
    const roots = this.handlerRoots();
    const rootNodes = new Set<ts.Node>(roots.map((root) => root.handler.node));
    const summaries = this.summaryBuilder((fn) => rootNodes.has(fn));
    const pending = new Map<ts.Node, PendingFinding>();
    const unresolved = new Map<ts.Node, PendingUnresolved>();

    const record = (root: HandlerRoot, chain: StepNode[], site: ts.Node, make: () => Omit<PendingFinding, 'reaches'>): void => {
      let finding = pending.get(site);
      if (!finding) {
        finding = { ...make(), reaches: new Map() };
        pending.set(site, finding);
      }
      if (!finding.reaches.has(root.handler)) finding.reaches.set(root.handler, chain);
    };

    for (const root of roots) {
      try {
        const walk = this.cachedWalk(root, summaries) ?? this.walkFrom(root, summaries);
        for (const reached of walk.reached) record(root, reached.chain, reached.site, reached.make);
        for (const reached of walk.unresolved) {
          let item = unresolved.get(reached.unresolved.site);
          if (!item) {
            item = { unresolved: reached.unresolved, reaches: new Map() };
            unresolved.set(reached.unresolved.site, item);
          }
          if (!item.reaches.has(root.handler)) item.reaches.set(root.handler, reached.chain);
        }
      } catch (error) {
        // Code nested too deeply for a recursive walk: that handler's findings are lost, not the others'.
        if (!(error instanceof RangeError)) throw error;
      }
    }
    const findings = new Map<string, PendingFinding[]>();
    for (const item of pending.values()) addTo(findings, this.reportNode(item).getSourceFile().fileName, item);
    // A call already reported as blocking needs no "cannot tell"; inside a dependency, what the user can act
    // on is their own call into it, which the walk follows or flags.
    const reportedCalls = new Set<ts.Node | undefined>([...pending.values()].flatMap((item) => [item.call, item.site.parent]));
    const unresolvedByFile = new Map<string, PendingUnresolved[]>();
    for (const item of unresolved.values()) {
      const sourceFile = item.unresolved.site.getSourceFile();
      if (!isOwnSourceFile(this.program, sourceFile) || enclosingCalls(item.unresolved.site).some((call) => reportedCalls.has(call))) continue;
      addTo(unresolvedByFile, sourceFile.fileName, item);
    }
    return { findings, unresolved: unresolvedByFile };
  }

  /**
   * The last walk from this handler, if it still holds: every function it visited has the same summary
   * and every file it followed (or not) has the same role. An edit elsewhere leaves most walks intact.
   */
  private cachedWalk(root: HandlerRoot, summaries: SummaryBuilder): HandlerWalk | undefined {
    const walk = walks.get(root);
    if (!walk || walk.optionsKey !== this.optionsKey) return undefined;
    for (let index = 0; index < walk.visitedFunctions.length; index++) {
      if (summaries.summaryOf(walk.visitedFunctions[index]!) !== walk.visitedSummaries[index]) return undefined;
    }
    for (const [sourceFile, followed] of walk.followDecisions) {
      if (this.program.getSourceFile(sourceFile.fileName) !== sourceFile || this.isFollowedFile(sourceFile) !== followed) return undefined;
    }
    return walk;
  }

  private walkFrom(root: HandlerRoot, summaries: SummaryBuilder): HandlerWalk {
    const walk: HandlerWalk = {
      optionsKey: this.optionsKey,
      visitedFunctions: [],
      visitedSummaries: [],
      followDecisions: new Map(),
      reached: [],
      unresolved: [],
    };
    walks.set(root, walk);
    const initialMask = root.requestParameters.reduce((mask, index) => (index < 30 ? mask | (1 << index) : mask), 0);
    // The masks and known arguments each function was reached with: rarely more than one, so a short list.
    const seen = new Map<ts.Node, string[]>();
    // Each state points at the state whose call reached it: chains are built only for the sites recorded,
    // not copied along every edge the walk follows.
    const queue: WalkState[] = [
      { fn: root.handler.node as ts.FunctionLikeDeclaration, mask: initialMask, known: NO_KNOWN_ARGUMENTS, from: undefined, step: undefined },
    ];
    for (let index = 0; index < queue.length && index < MAX_STATES_PER_HANDLER; index++) {
      const state = queue[index]!;
      const summary = summaries.summaryOf(state.fn);
      walk.visitedFunctions.push(state.fn);
      walk.visitedSummaries.push(summary);
      for (const blocking of summary.blocking) {
        if (!guardsMayHold(blocking.guards, state.known)) continue;
        const entry = blocking.match.entry;
        walk.reached.push({
          chain: chainTo(state, { node: blocking.site, name: blocking.callText }),
          site: blocking.site,
          make: () => ({
            site: blocking.site,
            call: blocking.call,
            fix: () => (blocking.picked ? undefined : asyncRewriteFix(blocking.call, blocking.match)),
            base: {
              rule: ruleForCategory(entry.category),
              category: entry.category,
              kind: entry.kind,
              severity: entry.severity,
              patternId: entry.id,
              call: blocking.callText,
              alternative: blocking.alternative,
            },
          }),
        });
      }
      for (const cpu of summary.cpu) {
        if (cpu.requestDependency !== undefined && (cpu.requestDependency & state.mask) === 0) continue;
        if (!guardsMayHold(cpu.guards, state.known)) continue;
        walk.reached.push({
          chain: chainTo(state, { node: cpu.site, name: cpu.callText }),
          site: cpu.site,
          make: () => ({
            site: cpu.site,
            call: undefined,
            fix: undefined,
            base: {
              rule: ruleForCategory(cpu.category),
              category: cpu.category,
              kind: cpu.kind,
              severity: cpu.severity,
              patternId: cpu.patternId,
              call: cpu.callText,
              alternative: cpu.alternative,
            },
          }),
        });
      }
      for (const unresolved of summary.unresolved) {
        if (guardsMayHold(unresolved.guards, state.known))
          walk.unresolved.push({ chain: chainTo(state, { node: unresolved.site, name: unresolved.callText }), unresolved });
      }
      for (const edge of summary.edges) {
        const targetFile = edge.target.getSourceFile();
        let followed = walk.followDecisions.get(targetFile);
        if (followed === undefined) {
          followed = this.isFollowedFile(targetFile);
          walk.followDecisions.set(targetFile, followed);
        }
        if (!followed || edge.target === root.handler.node || !guardsMayHold(edge.guards, state.known)) continue;
        let calleeMask = 0;
        if (state.mask !== 0) {
          const dependencies = edge.argumentDependencies;
          for (let argumentIndex = 0; argumentIndex < dependencies.length && argumentIndex < 30; argumentIndex++) {
            if (dependencies[argumentIndex]! & state.mask) calleeMask |= 1 << argumentIndex;
          }
        }
        let known = calleeKnownArguments(edge.argumentValues, state.known);
        const keys = seen.get(edge.target);
        // A function called with many different literals (a logger's levels) is walked once more with none
        // known rather than once per literal: what is not known never hides a site.
        if (keys && keys.length >= MAX_KNOWN_VARIANTS) known = NO_KNOWN_ARGUMENTS;
        const stateKey = `${calleeMask}|${known.key}`;
        if (!keys) seen.set(edge.target, [stateKey]);
        else if (keys.includes(stateKey)) continue;
        else keys.push(stateKey);
        queue.push({ fn: edge.target, mask: calleeMask, known, from: state, step: edge });
      }
    }
    return walk;
  }

  /** One file's findings, in source order. */
  private toFindings(items: readonly PendingFinding[]): Finding[] {
    const findings = items.map((item) => {
      const reaches = sortedReaches(item);
      const reportedAt = this.reportNode(item, reaches);
      const sourceFile = reportedAt.getSourceFile();
      const end = item.call && reportedAt === item.site ? item.call.getEnd() : reportedAt.getEnd();
      const finding: Finding = {
        ...item.base,
        ...rangeOf(sourceFile, reportedAt.getStart(sourceFile), end),
        reaches: reaches.map(({ handler, chain }): HandlerReach => ({ handler, chain: chain.map(toChainStep) })),
      };
      const fix = reportedAt === item.site ? item.fix?.() : undefined;
      if (fix) finding.fix = fix;
      return finding;
    });
    return findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  }

  /** A call inside a dependency is reported where the program's own code calls into it (on the first chain). */
  private reportNode(item: PendingFinding, reaches?: ReturnType<typeof sortedReaches>): ts.Node {
    if (isOwnSourceFile(this.program, item.site.getSourceFile())) return item.site;
    const own = [...(reaches ?? sortedReaches(item))[0]!.chain].reverse().find((step) => isOwnSourceFile(this.program, step.node.getSourceFile()));
    return own?.node ?? item.site;
  }
}

function rangeOf(sourceFile: ts.SourceFile, start: number, end: number): SourceRange {
  const startPosition = sourceFile.getLineAndCharacterOfPosition(start);
  const endPosition = sourceFile.getLineAndCharacterOfPosition(end);
  return {
    fileName: sourceFile.fileName,
    start,
    end,
    line: startPosition.line + 1,
    column: startPosition.character + 1,
    endLine: endPosition.line + 1,
    endColumn: endPosition.character + 1,
  };
}

function addTo<T>(byFile: Map<string, T[]>, fileName: string, item: T): void {
  const list = byFile.get(fileName);
  if (list) list.push(item);
  else byFile.set(fileName, [item]);
}

/** The call expressions around a node, up to its function: the call an unresolved key or module name belongs to. */
function enclosingCalls(node: ts.Node): ts.Node[] {
  const calls: ts.Node[] = [];
  for (let current = parentOf(node); current && !ts.isFunctionLike(current) && calls.length < 3; current = parentOf(current)) {
    if (ts.isCallExpression(current) || ts.isNewExpression(current)) calls.push(current);
  }
  return calls;
}

function toUnresolvedCall(item: PendingUnresolved): UnresolvedCall {
  const { site, reason, callText } = item.unresolved;
  const sourceFile = site.getSourceFile();
  return {
    reason,
    call: callText,
    decidedBy: site.getText(sourceFile).replace(/\s+/g, ' '),
    ...rangeOf(sourceFile, site.getStart(sourceFile), site.getEnd()),
    reaches: sortedReaches(item).map(({ handler, chain }): HandlerReach => ({ handler, chain: chain.map(toChainStep) })),
  };
}

/** The handlers that reach a finding, the closest kinds and shortest chains first. */
function sortedReaches(item: { reaches: Map<Handler, StepNode[]> }): Array<{ handler: Handler; chain: StepNode[] }> {
  return [...item.reaches.entries()].map(([handler, chain]) => ({ handler, chain })).sort(compareReaches);
}

function compareReaches(a: { handler: Handler; chain: StepNode[] }, b: { handler: Handler; chain: StepNode[] }): number {
  return (
    handlerKindRank(a.handler.kind) - handlerKindRank(b.handler.kind) ||
    a.chain.length - b.chain.length ||
    a.handler.fileName.localeCompare(b.handler.fileName) ||
    a.handler.line - b.handler.line ||
    a.handler.column - b.handler.column
  );
}

function toChainStep(step: StepNode): { fileName: string; line: number; column: number; name: string } {
  const sourceFile = step.node.getSourceFile();
  const position = sourceFile.getLineAndCharacterOfPosition(step.node.getStart(sourceFile));
  return { fileName: sourceFile.fileName, line: position.line + 1, column: position.character + 1, name: step.name };
}
