#!/usr/bin/env node
/**
 * `npm run eval`: audits the real npm packages of the development corpus (../shared/corpus-dev, read-only,
 * written by people outside the project) with the built CLI and scores the findings against its labels,
 * exactly as the corpus's score.py does. Not part of `npm test`: it needs the registry the first time, and
 * its job is to show what real code does that the fixtures do not.
 *
 *   node eval/run.mjs [name|name@version ...] [--verbose] [--json[=file]] [--timeout=s] [--jobs=n]
 *
 * Locations (environment):
 *   BLOCKCHECK_CORPUS       the corpus folder (labels.jsonl, fetch.sh, score.py); default ../shared/corpus-dev
 *                           next to the repository
 *   BLOCKCHECK_EVAL_CACHE   where the packages live, in fetch.sh's layout <cache>/<name>@<version>/ (scoped:
 *                           <cache>/@scope/<name>@<version>/); default ~/.cache/blockcheck-eval. A folder
 *                           filled by fetch.sh elsewhere can be reused as it is.
 *   BLOCKCHECK_EVAL_OUT     where findings.json (score.py's input) and summary.json go; default eval/out
 *
 * A missing package is fetched by running the corpus's own fetch.sh into the cache; a package without the
 * install marker then gets `npm install --omit=dev --ignore-scripts --no-audit --no-fund --no-package-lock`
 * (the corpus README's set-up) and the marker. Each package is audited from its own folder with
 * `blockcheck audit . --format json --quiet --no-eslint-config` (nothing from the package's folder runs).
 *
 * Scoring (score.py's): a label counts as flagged when a finding in its file is within one line of it.
 * recall = blocking-in-handler labels flagged / all of them; precision = those / (those + benign labels
 * flagged). Findings near no label are "unlabeled": listed, never scored. After scoring, score.py itself
 * is run on the findings file written here (when python3 is available) and must agree.
 *
 * eval/classes.json gives each known miss and false positive the class of code that causes it
 * ("name@version file:line" -> class, or { class, also: [...] } when several classes stand in the way),
 * and a judgement of the unlabeled findings, read from the code.
 *
 * eval/labels/*.json (the project's older label format) are scored in a section of their own, but only
 * for packages the corpus does not have (by name): the corpus's labels win.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EVAL_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.dirname(EVAL_DIR);
const CLI = path.join(REPO_DIR, 'dist', 'cli', 'main.js');
const CORPUS = path.resolve(process.env.BLOCKCHECK_CORPUS ?? path.join(REPO_DIR, '..', 'shared', 'corpus-dev'));
const CACHE = path.resolve(process.env.BLOCKCHECK_EVAL_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'blockcheck-eval'));
const OUT = path.resolve(process.env.BLOCKCHECK_EVAL_OUT ?? path.join(EVAL_DIR, 'out'));
const INSTALLED_MARKER = '.blockcheck-eval-installed';
const FAILED_MARKER = '.blockcheck-eval-install-failed';
const TOLERANCE = 1;
const POSITIVE = 'blocking-in-handler';

const options = parseArgs(process.argv.slice(2));

if (!existsSync(CLI)) fail('dist/cli/main.js is missing; run `npm run build` first');
if (!existsSync(path.join(CORPUS, 'labels.jsonl'))) fail(`no corpus at ${CORPUS} (set BLOCKCHECK_CORPUS)`);

const corpusLabels = readFileSync(path.join(CORPUS, 'labels.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));
const classes = readClasses();
const selected = (name, version) => options.filters.length === 0 || options.filters.some((filter) => filter === name || filter === `${name}@${version}`);

const corpusSet = makeSet(
  'corpus',
  corpusLabels.filter((label) => selected(label.package, label.version)),
);
const projectSet = makeSet('project labels (eval/labels, packages the corpus lacks)', projectLabels(new Set(corpusLabels.map((label) => label.package))));
const sets = [corpusSet, projectSet].filter((set) => set.packages.length > 0);
if (sets.length === 0) fail(`no labeled package matches ${options.filters.join(' ')}`);

prepareCorpusPackages(corpusSet.packages);
for (const pkg of projectSet.packages) fetchWithNpmPack(pkg);

const audits = new Map();
await runPool(
  sets.flatMap((set) => set.packages),
  options.jobs,
  async (pkg) => {
    audits.set(pkg.spec, await audit(pkg));
  },
);

mkdirSync(OUT, { recursive: true });
const summary = { corpus: CORPUS, cache: CACHE, cli: CLI, sets: [] };
let crossCheckFailed = false;
for (const set of sets) {
  const result = scoreSet(set, audits);
  printSet(set, result);
  const findingsFile = path.join(OUT, set === corpusSet ? 'findings.json' : 'findings-project.json');
  const labelsFile = path.join(OUT, set === corpusSet ? 'labels.jsonl' : 'labels-project.jsonl');
  writeFileSync(findingsFile, `${JSON.stringify(result.scoreInput, null, 1)}\n`);
  writeFileSync(labelsFile, set.labels.map((label) => JSON.stringify(label)).join('\n') + '\n');
  console.log(`\nfindings for score.py: ${path.relative(process.cwd(), findingsFile)} (labels scored: ${path.relative(process.cwd(), labelsFile)})`);
  const check = crossCheck(labelsFile, findingsFile, result.totals);
  console.log(check.message);
  if (check.agrees === false) crossCheckFailed = true;
  summary.sets.push(summaryOf(set, result, check));
}
if (options.json !== undefined) {
  const jsonFile = path.resolve(options.json || path.join(OUT, 'summary.json'));
  writeFileSync(jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`summary: ${path.relative(process.cwd(), jsonFile)}`);
}
if ([...audits.values()].some((audit) => audit.failure)) process.exitCode = 2;
if (crossCheckFailed) process.exitCode = 3;

// ---------------------------------------------------------------------------------------------------------

function parseArgs(args) {
  const parsed = {
    filters: [],
    verbose: false,
    json: undefined,
    timeoutMs: 600_000,
    jobs: Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2))),
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const [flag, inline] = arg.startsWith('--') ? [arg.split('=')[0], arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined] : [arg, undefined];
    const value = () => inline ?? args[++index];
    if (flag === '--verbose' || flag === '-v') parsed.verbose = true;
    else if (flag === '--json') parsed.json = inline ?? '';
    else if (flag === '--timeout') parsed.timeoutMs = Number(value()) * 1000;
    else if (flag === '--jobs') parsed.jobs = Math.max(1, Number(value()) || 1);
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: node eval/run.mjs [name|name@version ...] [--verbose] [--json[=file]] [--timeout=seconds] [--jobs=n]');
      process.exit(0);
    } else if (flag.startsWith('-')) fail(`unknown option ${arg}`);
    else parsed.filters.push(arg);
  }
  if (!(parsed.timeoutMs > 0)) fail('--timeout needs a number of seconds');
  return parsed;
}

function fail(message) {
  console.error(`eval: ${message}`);
  process.exit(2);
}

/** A labeled set: its labels (score.py's record format) and its packages, sorted by spec. */
function makeSet(title, labels) {
  const packages = new Map();
  for (const label of labels) {
    const spec = `${label.package}@${label.version}`;
    if (!packages.has(spec)) packages.set(spec, { name: label.package, version: label.version, spec, dir: path.join(CACHE, spec) });
  }
  return { title, labels, packages: [...packages.values()].sort((a, b) => a.spec.localeCompare(b.spec)) };
}

/**
 * "name@version file:line" -> { class, also }, from eval/classes.json (keys starting with "//" are
 * comments). A value is the class's name, or { "class": ..., "also": [...] } when more than one class of
 * code stands between the label and a right answer: `class` is the one a fix starts with.
 */
function readClasses() {
  const file = path.join(EVAL_DIR, 'classes.json');
  if (!existsSync(file)) return new Map();
  const entries = Object.entries(JSON.parse(readFileSync(file, 'utf8'))).filter(([key]) => !key.startsWith('//'));
  return new Map(
    entries.map(([key, value]) => [
      key,
      typeof value === 'string'
        ? { class: value, also: [] }
        : { class: value.class, also: value.also ?? [], ...(value.unlabeled ? { unlabeled: value.unlabeled } : {}) },
    ]),
  );
}

function classTag(cls) {
  return cls ? `${cls.class}${cls.also.length > 0 ? ` +${cls.also.join(',')}` : ''}` : 'unclassified';
}

const PROJECT_VERDICTS = { handler: 'blocking-in-handler', startup: 'benign-startup', other: 'benign-other' };
const PROJECT_CATEGORIES = { fs: 'sync-io', regex: 'cpu', 'cpu-loop': 'cpu' };

/** eval/labels/*.json converted to score.py's records, for packages the corpus does not have. */
function projectLabels(corpusNames) {
  const dir = path.join(EVAL_DIR, 'labels');
  if (!existsSync(dir)) return [];
  const labels = [];
  const skipped = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const spec = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    if (corpusNames.has(spec.package)) {
      skipped.push(spec.package);
      continue;
    }
    if (!selected(spec.package, spec.version)) continue;
    for (const site of spec.sites) {
      labels.push({
        package: spec.package,
        version: spec.version,
        file: site.file,
        line: site.line,
        call: site.call,
        category: PROJECT_CATEGORIES[site.category] ?? site.category,
        verdict: PROJECT_VERDICTS[site.label] ?? site.label,
        handler: site.note ?? '',
        reachable_via: '',
      });
    }
  }
  if (skipped.length > 0) console.error(`eval: eval/labels skipped for ${skipped.join(', ')}: the corpus labels them`);
  return labels;
}

// --- packages ------------------------------------------------------------------------------------------------

/** Runs the corpus's fetch.sh once if any package is missing, then installs what has no marker yet. */
function prepareCorpusPackages(packages) {
  const missing = packages.filter((pkg) => !existsSync(path.join(pkg.dir, 'package.json')));
  if (missing.length > 0) {
    console.error(`eval: fetching ${missing.map((pkg) => pkg.spec).join(', ')} with ${path.join(CORPUS, 'fetch.sh')} into ${CACHE}`);
    mkdirSync(CACHE, { recursive: true });
    // fetch.sh fetches what its own labels.jsonl names: a copy of it next to the labels of the missing
    // packages fetches those alone (its pinned integrities are in the script itself).
    const staging = mkdtempSync(path.join(os.tmpdir(), 'blockcheck-eval-fetch-'));
    try {
      copyFileSync(path.join(CORPUS, 'fetch.sh'), path.join(staging, 'fetch.sh'));
      const wanted = new Set(missing.map((pkg) => pkg.spec));
      writeFileSync(
        path.join(staging, 'labels.jsonl'),
        corpusLabels
          .filter((label) => wanted.has(`${label.package}@${label.version}`))
          .map((label) => JSON.stringify(label))
          .join('\n') + '\n',
      );
      const fetched = spawnSync('bash', [path.join(staging, 'fetch.sh'), CACHE], { stdio: ['ignore', 'inherit', 'inherit'] });
      // fetch.sh exits 1 when any package failed; the ones that did not are still usable.
      if (fetched.status !== 0) console.error(`eval: fetch.sh exited with ${fetched.status ?? fetched.signal}`);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  for (const pkg of packages) if (existsSync(path.join(pkg.dir, 'package.json'))) install(pkg);
}

/**
 * Installs a package's production dependencies once. An install that fails (a dependency the registry no
 * longer has) leaves the package audited without them, as the measurement would; the failure is kept in
 * a marker of its own so that later runs do not retry it (delete the marker to retry).
 */
function install(pkg) {
  if (existsSync(path.join(pkg.dir, INSTALLED_MARKER))) return;
  const failedMarker = path.join(pkg.dir, FAILED_MARKER);
  if (existsSync(failedMarker)) {
    pkg.installFailure = readFileSync(failedMarker, 'utf8').trim();
    return;
  }
  console.error(`eval: installing the dependencies of ${pkg.spec}`);
  // --loglevel=error, not --silent: npm's reason for a failure is the one line worth keeping.
  const result = spawnSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: pkg.dir,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: 900_000,
  });
  if (result.status === 0) {
    writeFileSync(path.join(pkg.dir, INSTALLED_MARKER), `${new Date().toISOString()}\n`);
    return;
  }
  const lines = (result.stderr ?? '').split('\n').map((line) => line.trim());
  const why = lines.find((line) => /notarget/i.test(line) && !/In most cases/.test(line)) ?? lines.find((line) => /error/i.test(line)) ?? '';
  pkg.installFailure = `npm install exited with ${result.status ?? result.signal}${why ? `: ${why}` : ''}`;
  console.error(`eval: ${pkg.spec}: ${pkg.installFailure}; audited without its dependencies`);
  writeFileSync(failedMarker, `${pkg.installFailure}\n`);
}

/** A package of the project's own labels: `npm pack` into the same layout, then the same install. */
function fetchWithNpmPack(pkg) {
  if (!existsSync(path.join(pkg.dir, 'package.json'))) {
    console.error(`eval: fetching ${pkg.spec} with npm pack`);
    const staging = `${pkg.dir}.staging`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    try {
      const tarball = execFileSync('npm', ['pack', pkg.spec, '--silent', '--pack-destination', staging], { encoding: 'utf8' }).trim().split('\n').at(-1);
      execFileSync('tar', ['-xzf', path.join(staging, tarball), '-C', staging], { stdio: 'ignore' });
      rmSync(pkg.dir, { recursive: true, force: true });
      mkdirSync(path.dirname(pkg.dir), { recursive: true });
      renameSync(path.join(staging, 'package'), pkg.dir);
    } catch (error) {
      pkg.installFailure = `npm pack failed: ${error.message.split('\n')[0]}`;
      return;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  install(pkg);
}

// --- audits --------------------------------------------------------------------------------------------------

async function runPool(items, jobs, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}

/** { findings, handlers, errors, durationMs, failure } for one package. */
function audit(pkg) {
  if (!existsSync(path.join(pkg.dir, 'package.json'))) return Promise.resolve(failed(`not fetched (${pkg.dir})`, 0));
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'audit', '.', '--format', 'json', '--quiet', '--no-eslint-config'], {
      cwd: pkg.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const elapsed = Date.now() - started;
      if (timedOut) return resolve(failed(`timed out after ${options.timeoutMs / 1000} s`, elapsed));
      let report;
      try {
        report = JSON.parse(Buffer.concat(stdout).toString('utf8'));
      } catch {
        const why = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-3).join(' | ');
        return resolve(failed(`exit ${code ?? signal}, no JSON report: ${why}`, elapsed));
      }
      resolve({
        findings: report.findings.map((finding) => ({ ...finding, file: finding.file.replaceAll('\\', '/') })),
        handlers: report.handlers,
        errors: report.errors,
        durationMs: report.stats?.durationMs ?? elapsed,
        failure: code === 2 ? `exit 2: ${Buffer.concat(stderr).toString('utf8').trim().split('\n').at(-1) ?? ''}` : undefined,
        note: pkg.installFailure,
      });
    });
  });
}

function failed(failure, durationMs) {
  return { findings: [], handlers: [], errors: [], durationMs, failure };
}

// --- scoring (score.py, ported) ---------------------------------------------------------------------------

function scoreSet(set, audits) {
  const scoreInput = [];
  /** "spec\0file" -> findings */
  const byFile = new Map();
  for (const pkg of set.packages) {
    for (const finding of audits.get(pkg.spec).findings) {
      scoreInput.push({ package: pkg.spec, file: finding.file, line: finding.line });
      const key = `${pkg.spec}\0${finding.file}`;
      if (!byFile.has(key)) byFile.set(key, []);
      byFile.get(key).push(finding);
    }
  }
  const near = (spec, file, line) => (byFile.get(`${spec}\0${file}`) ?? []).filter((finding) => Math.abs(finding.line - line) <= TOLERANCE);

  const totals = { tp: 0, fn: 0, fpStartup: 0, tnStartup: 0, fpOther: 0, tnOther: 0 };
  const categories = new Map();
  const outcomes = [];
  for (const label of set.labels) {
    const spec = `${label.package}@${label.version}`;
    const matched = near(spec, label.file, label.line);
    const flagged = matched.length > 0;
    let outcome;
    if (label.verdict === POSITIVE) {
      const category = categories.get(label.category) ?? { found: 0, total: 0 };
      categories.set(label.category, category);
      category.total++;
      if (flagged) category.found++;
      outcome = flagged ? 'tp' : 'fn';
      totals[outcome]++;
    } else if (label.verdict === 'benign-startup') {
      outcome = flagged ? 'fp' : 'tn';
      totals[flagged ? 'fpStartup' : 'tnStartup']++;
    } else {
      outcome = flagged ? 'fp' : 'tn';
      totals[flagged ? 'fpOther' : 'tnOther']++;
    }
    const key = `${spec} ${label.file}:${label.line}`;
    outcomes.push({ label, spec, key, outcome, matched, class: classes.get(key) });
  }
  const fp = totals.fpStartup + totals.fpOther;
  totals.fp = fp;
  totals.precision = totals.tp + fp ? totals.tp / (totals.tp + fp) : 0;
  totals.recall = totals.tp + totals.fn ? totals.tp / (totals.tp + totals.fn) : 0;

  const unlabeled = new Map();
  for (const pkg of set.packages) {
    const labels = set.labels.filter((label) => label.package === pkg.name && label.version === pkg.version);
    unlabeled.set(
      pkg.spec,
      audits
        .get(pkg.spec)
        .findings.filter((finding) => !labels.some((label) => label.file === finding.file && Math.abs(label.line - finding.line) <= TOLERANCE)),
    );
  }
  return { scoreInput, totals, categories, outcomes, unlabeled };
}

// --- output --------------------------------------------------------------------------------------------------

function printSet(set, result) {
  console.log(`\n=== ${set.title}: ${set.labels.length} labels in ${set.packages.length} packages ===\n`);
  console.log(`${'package'.padEnd(36)} findings handlers errors     time  labels (tp/fn/fp)`);
  for (const pkg of set.packages) {
    const audit = audits.get(pkg.spec);
    const mine = result.outcomes.filter((outcome) => outcome.spec === pkg.spec);
    const count = (what) => mine.filter((outcome) => outcome.outcome === what).length;
    console.log(
      `${pkg.spec.padEnd(36)} ${String(audit.findings.length).padStart(8)} ${String(audit.handlers.length).padStart(8)} ${String(audit.errors.length).padStart(6)} ` +
        `${`${(audit.durationMs / 1000).toFixed(1)} s`.padStart(8)}  ${count('tp')}/${count('fn')}/${count('fp')}` +
        (audit.failure ? `  FAILED: ${audit.failure}` : '') +
        (audit.note ? `  (${audit.note})` : ''),
    );
  }

  const falsePositives = result.outcomes.filter((outcome) => outcome.outcome === 'fp');
  console.log(`\nfalse positives (${falsePositives.length}):`);
  for (const { label, spec, matched, class: cls } of falsePositives) {
    console.log(`  [${classTag(cls)}] ${label.verdict} ${spec} ${label.file}:${label.line} ${label.call}`);
    for (const finding of matched) {
      console.log(`      reported ${finding.file}:${finding.line} ${finding.call} [${finding.category}]`);
      for (const handler of finding.handlers.slice(0, options.verbose ? undefined : 1)) console.log(`      via ${describeHandler(handler)}`);
      if (!options.verbose && finding.handlers.length > 1) console.log(`      (and ${finding.handlers.length - 1} more handlers; --verbose lists them)`);
    }
  }

  const misses = result.outcomes.filter((outcome) => outcome.outcome === 'fn');
  console.log(`\nmisses (${misses.length}):`);
  for (const { label, spec, class: cls } of misses) {
    console.log(`  [${classTag(cls)}] ${spec} ${label.file}:${label.line} ${label.call} [${label.category}]`);
    console.log(`      handler: ${label.handler}`);
    if (label.reachable_via) console.log(`      reachable via: ${label.reachable_via}`);
  }

  const byClass = classTally([...falsePositives, ...misses]);
  console.log('\nerrors by class (fp = false positives, fn = misses; "also" = needed too where another class comes first):');
  for (const [cls, { fp, fn, alsoFp, alsoFn }] of byClass) {
    const also = alsoFp + alsoFn > 0 ? `   also in fp ${alsoFp}, fn ${alsoFn}` : '';
    console.log(`  ${cls.padEnd(26)} fp ${String(fp).padStart(2)}  fn ${String(fn).padStart(2)}${also}`);
  }

  console.log('\nunlabeled findings per package (not scored; --verbose lists them with the judgement in classes.json):');
  for (const pkg of set.packages) {
    const list = result.unlabeled.get(pkg.spec);
    if (list.length === 0) continue;
    const judgements = new Map();
    for (const finding of list) {
      const judged = classes.get(`${pkg.spec} ${finding.file}:${finding.line}`)?.unlabeled ?? 'not judged';
      judgements.set(judged, (judgements.get(judged) ?? 0) + 1);
    }
    console.log(`  ${pkg.spec}: ${list.length} (${[...judgements].map(([judged, count]) => `${count} ${judged}`).join(', ')})`);
    if (!options.verbose) continue;
    for (const finding of list) {
      const judged = classes.get(`${pkg.spec} ${finding.file}:${finding.line}`);
      const tag = judged?.unlabeled ? `[${judged.unlabeled}${judged.class ? `: ${judged.class}` : ''}] ` : '';
      console.log(
        `      ${tag}${finding.file}:${finding.line} ${finding.call} [${finding.category}] via ${finding.handlers[0] ? describeHandler(finding.handlers[0]) : '?'}`,
      );
    }
  }

  const { totals } = result;
  console.log('\nrecall by category:');
  for (const [category, { found, total }] of [...result.categories].sort()) {
    console.log(`  ${category.padEnd(16)} ${String(found).padStart(3)}/${String(total).padEnd(3)} ${percent(found, total)}`);
  }
  console.log(
    `\npositives found ${totals.tp}/${totals.tp + totals.fn}; benign-startup flagged ${totals.fpStartup}/${totals.fpStartup + totals.tnStartup}; ` +
      `benign-other flagged ${totals.fpOther}/${totals.fpOther + totals.tnOther}`,
  );
  console.log(`precision ${totals.precision.toFixed(2)} recall ${totals.recall.toFixed(2)} (on labeled sites)`);
}

/** class -> { fp, fn, alsoFp, alsoFn }, most errors first. */
function classTally(outcomes) {
  const byClass = new Map();
  const entry = (name) => {
    if (!byClass.has(name)) byClass.set(name, { fp: 0, fn: 0, alsoFp: 0, alsoFn: 0 });
    return byClass.get(name);
  };
  for (const { outcome, class: cls } of outcomes) {
    entry(cls?.class ?? 'unclassified')[outcome]++;
    for (const also of cls?.also ?? []) entry(also)[outcome === 'fp' ? 'alsoFp' : 'alsoFn']++;
  }
  return new Map(
    [...byClass].sort((a, b) => b[1].fp + b[1].fn - a[1].fp - a[1].fn || b[1].alsoFp + b[1].alsoFn - a[1].alsoFp - a[1].alsoFn || a[0].localeCompare(b[0])),
  );
}

function describeHandler(handler) {
  const chain = (handler.chain ?? []).map((step) => `${step.name} (${step.file}:${step.line})`).join(' -> ');
  return `${handler.label} [${handler.kind}] ${handler.file}:${handler.line}${chain ? `: ${chain}` : ''}`;
}

function percent(part, whole) {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(0)} %`;
}

/** Runs score.py on the files just written and compares its counts with ours. */
function crossCheck(labelsFile, findingsFile, totals) {
  const scorer = path.join(CORPUS, 'score.py');
  if (!existsSync(scorer)) return { agrees: undefined, message: 'score.py cross-check: no score.py in the corpus' };
  const run = spawnSync('python3', [scorer, labelsFile, findingsFile], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    return { agrees: undefined, message: `score.py cross-check: not run (${run.error?.message ?? run.stderr.trim().split('\n').at(-1)})` };
  }
  const counts = /positives found (\d+)\/(\d+); benign-startup flagged (\d+)\/(\d+); benign-other flagged (\d+)\/(\d+)/.exec(run.stdout);
  const ours = [totals.tp, totals.tp + totals.fn, totals.fpStartup, totals.fpStartup + totals.tnStartup, totals.fpOther, totals.fpOther + totals.tnOther];
  const theirs = counts ? counts.slice(1).map(Number) : [];
  const agrees = counts !== null && ours.every((value, index) => value === theirs[index]);
  return {
    agrees,
    scorePy: run.stdout.trim(),
    message: agrees ? 'score.py cross-check: agrees' : `score.py cross-check: DISAGREES\n${run.stdout.trim()}`,
  };
}

function summaryOf(set, result, check) {
  const brief = (finding) => ({
    file: finding.file,
    line: finding.line,
    call: finding.call,
    category: finding.category,
    rule: finding.rule,
    handlers: finding.handlers.map((handler) => ({ label: handler.label, kind: handler.kind, file: handler.file, line: handler.line, chain: handler.chain })),
  });
  return {
    title: set.title,
    totals: result.totals,
    recallByCategory: Object.fromEntries([...result.categories].sort()),
    scorePyAgrees: check.agrees ?? null,
    errorsByClass: Object.fromEntries(classTally(result.outcomes.filter((outcome) => outcome.outcome === 'fp' || outcome.outcome === 'fn'))),
    packages: set.packages.map((pkg) => {
      const audit = audits.get(pkg.spec);
      return {
        package: pkg.spec,
        findings: audit.findings.length,
        handlers: audit.handlers.length,
        errors: audit.errors.length,
        durationMs: Math.round(audit.durationMs),
        failure: audit.failure ?? null,
        note: audit.note ?? null,
        unlabeled: result.unlabeled.get(pkg.spec).map((finding) => {
          const judged = classes.get(`${pkg.spec} ${finding.file}:${finding.line}`);
          return { ...brief(finding), judgement: judged?.unlabeled ?? null, class: judged?.unlabeled ? (judged.class ?? null) : null };
        }),
      };
    }),
    labels: result.outcomes.map(({ label, spec, outcome, matched, class: cls }) => ({
      package: spec,
      file: label.file,
      line: label.line,
      call: label.call,
      category: label.category,
      verdict: label.verdict,
      outcome,
      class: cls?.class ?? null,
      alsoClasses: cls?.also ?? [],
      findings: matched.map(brief),
    })),
  };
}
