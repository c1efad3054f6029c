/**
 * `npm run bench`: blockcheck's cost against the physical floor, as ratios of two things measured in the
 * same run (medians of N runs, min–max), printed as a table and written to bench/RESULTS.md.
 *
 *   1. rule overhead: ESLint + typescript-eslint project service, no rules vs + blockcheck.configs.recommended
 *      (and vs one rule that does nothing, the floor any rule pays), in wall time and, when valgrind is
 *      installed, in instructions executed (bench/instructions.ts)
 *   2. audit vs the type-check floor: `blockcheck audit` vs `tsc --noEmit`
 *   3. against the name-based peer: `blockcheck audit` vs eslint-plugin-n's `n/no-sync` (time and findings)
 *   4. scaling: audit time and peak memory at 250, 500, 1,000, 2,000 files
 *   5. the language server's and the probe's own figures (bench/lsp.ts, bench/probe.ts)
 *
 * Options: --runs N (default 5; the rule overhead takes at least 11 pairs), --quick (2 runs, smaller
 * projects: a smoke test of the harness).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { generateProject } from './generate-project.js';
import { canCountInstructions, compareInstructionCounts, countInstructions } from './instructions.js';
import { comparePairs, formatSummary, runCommand, summarize, type RunResult } from './measure.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const CACHE = path.join(REPO_ROOT, '.cache', 'bench');
const NODE = process.execPath;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'lib', 'tsc.js');
const LINT_CHILD = path.join(REPO_ROOT, 'dist', 'bench', 'lint-child.js');

const { values } = parseArgs({ options: { runs: { type: 'string' }, quick: { type: 'boolean' } } });
const quick = values.quick ?? false;
const runs = Number(values.runs ?? (quick ? 2 : 5));
const mainSize = quick ? 250 : 1000;
/**
 * The overhead sought (a few per cent) is smaller than how much two identical ESLint runs differ on a
 * shared machine (±15%), so its median takes more pairs than the other figures.
 */
const overheadRuns = quick ? runs : Math.max(runs, 11);
/** Two rounds: neither the machine's load nor ESLint's file order moves a count by more than a few per cent (the min–max shows it). */
const instructionRuns = quick ? 1 : 2;
const scalingSizes = quick ? [100, 250] : [250, 500, 1000, 2000];

interface Project {
  name: string;
  dir: string;
  /** What ESLint lints (relative glob) and what the audit audits (relative path). */
  lintPattern: string;
  auditPath: string;
}

function log(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
}

function generated(size: number): Project {
  const dir = path.join(CACHE, `generated-${size}`);
  generateProject(dir, size);
  return { name: `generated ${size} files`, dir, lintPattern: 'src/**/*.ts', auditPath: '.' };
}

/** rxjs ships its TypeScript sources: a real project from the npm registry, copied out of node_modules (which ESLint ignores). */
function rxjsProject(): Project | undefined {
  const source = path.join(REPO_ROOT, 'node_modules', 'rxjs', 'src');
  if (!fs.existsSync(source)) return undefined;
  const dir = path.join(CACHE, 'rxjs');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(source, path.join(dir, 'src'), { recursive: true, filter: (file) => !file.endsWith('.json') });
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ['ES2022', 'DOM'],
          types: ['node'],
        },
        include: ['src/**/*.ts'],
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'rxjs-sources', private: true }));
  return { name: 'rxjs (real, from npm)', dir, lintPattern: 'src/**/*.ts', auditPath: '.' };
}

const lint = (project: Project, mode: string) => (): RunResult => runCommand(NODE, [LINT_CHILD, project.dir, mode, project.lintPattern], REPO_ROOT);
const audit = (project: Project) => (): RunResult =>
  runCommand(NODE, [CLI, 'audit', project.auditPath, '--format', 'json', '--quiet', '--no-eslint-config'], project.dir);
const typeCheck = (project: Project) => (): RunResult => runCommand(NODE, [TSC, '-p', path.join(project.dir, 'tsconfig.json'), '--noEmit'], REPO_ROOT);

function findingCount(result: RunResult): number {
  try {
    return (JSON.parse(result.stdout) as { findings: unknown[] }).findings.length;
  } catch {
    return NaN;
  }
}

function lintOutput(result: RunResult): { messages: number; ruleMs: number } {
  try {
    return JSON.parse(result.stdout) as { messages: number; ruleMs: number };
  } catch {
    return { messages: NaN, ruleMs: NaN };
  }
}

const lintCount = (result: RunResult): number => lintOutput(result).messages;

/** The rules' own time (ESLint's stats) as a share of each whole run. */
const ruleShares = (results: RunResult[]): number[] => results.map((result) => lintOutput(result).ruleMs / result.ms);

const seconds = (results: RunResult[]): string => formatSummary(summarize(results.map((result) => result.ms / 1000)), 2, ' s');

const sections: string[] = [];
function section(title: string, header: string[], rows: string[][], note?: string): void {
  const lines = [`### ${title}`, '', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
  if (note) lines.push('', note);
  const text = lines.join('\n');
  sections.push(text);
  process.stdout.write(`\n${text}\n`);
}

const projects = [generated(mainSize), rxjsProject()].filter((project): project is Project => !!project);

log(`1/5 rule overhead (${overheadRuns} pairs each)`);
section(
  '1. Rule overhead: ESLint + project service, no rules vs + blockcheck (target ≤ 1.05)',
  ['project', 'no rules', 'with blockcheck', 'ratio', 'CPU-time ratio', 'one no-op rule: ratio', "blockcheck's own time: share of the run"],
  projects.map((project) => {
    const { a, b, ratios, cpuRatios } = comparePairs(overheadRuns, lint(project, 'none'), lint(project, 'blockcheck'));
    const floor = comparePairs(overheadRuns, lint(project, 'none'), lint(project, 'noop'));
    return [
      project.name,
      seconds(a),
      seconds(b),
      formatSummary(summarize(ratios)),
      cpuRatios.length > 0 ? formatSummary(summarize(cpuRatios)) : 'n/a',
      formatSummary(summarize(floor.ratios)),
      formatSummary(summarize(ruleShares(b).map((share) => share * 100)), 1, ' %'),
    ];
  }),
  `${overheadRuns} pairs per project. The CPU-time ratio counts every thread of the ESLint process (the garbage ` +
    "collector's and compiler's too), for information. The no-op column runs the same pairs with one rule that " +
    "does nothing: what any rule costs, and how far this machine's noise moves a ratio. The last column is the time " +
    "ESLint's own stats (`--stats`) give blockcheck's rules, summed over every file, as a share of the same runs' wall time: " +
    "the rules' own work, garbage collection during it included; the rest of the ratio is what their presence changes " +
    "in the rest of the run (the heap's sizing, compiler threads) and noise.",
);

const lintInstructions = (project: Project, mode: string) => (): Promise<number> =>
  countInstructions([LINT_CHILD, project.dir, mode, project.lintPattern], REPO_ROOT);
const billions = (counts: number[]): string => formatSummary(summarize(counts.map((count) => count / 1e9)), 2, ' G');

if (canCountInstructions) {
  log(`1/5 rule overhead in instructions (${instructionRuns} rounds each, under valgrind)`);
  const rows: string[][] = [];
  for (const project of projects) {
    const { baseline, counts, ratios } = await compareInstructionCounts(instructionRuns, lintInstructions(project, 'none'), {
      blockcheck: lintInstructions(project, 'blockcheck'),
      noop: lintInstructions(project, 'noop'),
      typed: lintInstructions(project, 'no-floating-promises'),
    });
    rows.push([
      project.name,
      billions(baseline),
      billions(counts.blockcheck),
      formatSummary(summarize(ratios.blockcheck), 3),
      formatSummary(summarize(ratios.noop), 3),
      formatSummary(summarize(ratios.typed), 3),
    ]);
  }
  section(
    '1b. Rule overhead in instructions executed (target ≤ 1.05)',
    ['project', 'no rules', 'with blockcheck', 'ratio', 'one no-op rule: ratio', "typescript-eslint's no-floating-promises: ratio"],
    rows,
    `The same runs as above, counted by valgrind's cachegrind with V8 made deterministic (\`node --predictable ` +
      `--predictable-gc-schedule\`: compilation and collection on the main thread, the heap grown by fixed steps), ` +
      `${instructionRuns} rounds per project, with one libuv pool thread so that ESLint's concurrent file reads complete, and its ` +
      "files are linted, in the same order every time: neither the machine's load nor the file order moves a count by more than a few " +
      'per cent (the min–max shows how closely it repeats). The count is work, not time: it includes the optimizing compiler and ' +
      "the garbage collector, which a normal run spreads over a second core. It is not proportional to a rule's own work: " +
      'whatever a rule allocates moves when the collector runs, which is why a rule that does nothing already counts more than none. ' +
      'The last column is one type-aware rule from typescript-eslint itself, run the same way: what asking the checker costs any rule.',
  );
} else {
  log('1/5 rule overhead in instructions: skipped (valgrind is not installed)');
}

log('2/5 audit vs tsc --noEmit');
section(
  '2. `blockcheck audit` vs `tsc --noEmit` (target ≤ 1.1)',
  ['project', 'tsc --noEmit', 'audit', 'ratio'],
  projects.map((project) => {
    const { a, b, ratios } = comparePairs(runs, typeCheck(project), audit(project));
    return [project.name, seconds(a), seconds(b), formatSummary(summarize(ratios))];
  }),
);

log('3/5 against eslint-plugin-n n/no-sync');
section(
  '3. `blockcheck audit` vs ESLint with `n/no-sync`',
  ['project', 'n/no-sync', 'audit', 'time ratio', 'n/no-sync reports', 'audit findings'],
  projects.map((project) => {
    const { a, b, ratios } = comparePairs(runs, lint(project, 'n-no-sync'), audit(project));
    return [project.name, seconds(a), seconds(b), formatSummary(summarize(ratios)), String(lintCount(a[0]!)), String(findingCount(b[0]!))];
  }),
  'n/no-sync reports every call whose name ends in Sync, startup code included; blockcheck reports the blocking calls that handlers reach.',
);

log('4/5 scaling');
const scaling = scalingSizes.map((size) => {
  const project = generated(size);
  const results = Array.from({ length: runs }, () => audit(project)());
  return { size, time: summarize(results.map((result) => result.ms / 1000)), memory: summarize(results.map((result) => result.peakMiB ?? NaN)) };
});
section(
  '4. Scaling of `blockcheck audit`',
  ['files', 'time', 'peak memory', 'ms per added file', 'MiB per added 1,000 files'],
  scaling.map(({ size, time, memory }, index) => {
    const previous = scaling[index - 1];
    const added = previous ? size - previous.size : 0;
    return [
      String(size),
      formatSummary(time, 2, ' s'),
      Number.isNaN(memory.median) ? 'n/a' : formatSummary(memory, 0, ' MiB'),
      previous ? ((1000 * (time.median - previous.time.median)) / added).toFixed(2) : '—',
      previous && !Number.isNaN(memory.median) ? ((1000 * (memory.median - previous.memory.median)) / added).toFixed(0) : '—',
    ];
  }),
  'Linear growth keeps the cost per added file about constant (the first row carries the fixed start-up cost).',
);

log('5/5 language server and probe');
for (const [name, script] of [
  ['Language server', 'lsp.js'],
  ['Probe', 'probe.js'],
] as const) {
  const file = path.join(REPO_ROOT, 'dist', 'bench', script);
  if (!fs.existsSync(file)) continue;
  const result = runCommand(NODE, [file, ...(quick ? ['--quick'] : [])], REPO_ROOT);
  const text = `### 5. ${name}\n\n${result.stdout.trim() || `(no output; exit ${result.status})`}`;
  sections.push(text);
  process.stdout.write(`\n${text}\n`);
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
const header = `# Benchmark results\n\nMachine: ${machine}. ${runs} runs per figure${quick ? ' (--quick)' : `, ${overheadRuns} pairs for the rule overhead`}; ${new Date().toISOString().slice(0, 10)}.\nEach ratio is measured pairwise in the same run (pairs alternate their order: AB, BA, ...); medians with min–max.\n`;
// Measurements on trees the bench does not install (a package copied out of node_modules) are taken by hand
// and kept from one run to the next: everything from their heading to the end of the file.
const resultsFile = path.join(REPO_ROOT, 'bench', 'RESULTS.md');
const byHand = fs.existsSync(resultsFile) ? /^## Measured by hand[\s\S]*/m.exec(fs.readFileSync(resultsFile, 'utf8'))?.[0] : undefined;
fs.writeFileSync(resultsFile, `${header}\n${sections.join('\n\n')}\n${byHand ? `\n${byHand.trimEnd()}\n` : ''}`);
log(`written ${path.join('bench', 'RESULTS.md')}`);
