#!/usr/bin/env node
/**
 * `npm run eval`: audits real published npm server packages and scores the findings against call sites
 * labelled by hand in eval/labels/. Not part of `npm test`: it needs the registry, and its job is to show
 * what real code does that the fixtures do not.
 *
 * Each package is fetched with `npm pack` at the pinned version into a cache outside the repository
 * (BLOCKCHECK_EVAL_CACHE, default ~/.cache/blockcheck-eval), its production dependencies installed with
 * --ignore-scripts, then audited with the built CLI (`npm run build` first).
 *
 * A label is { file, line, call, category, label } with label one of:
 *   handler  - blocks the event loop while serving a request: must be reported
 *   startup  - runs once at start-up or in a factory: must not be reported
 *   other    - CLI/build code or never on a request path: must not be reported
 * Findings at unlabelled lines are listed so they can be labelled; they count as neither hit nor miss.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EVAL_DIR = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(EVAL_DIR, '..', 'dist', 'cli', 'main.js');
const CACHE = process.env.BLOCKCHECK_EVAL_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'blockcheck-eval');

if (!existsSync(CLI)) {
  console.error('eval: dist/cli/main.js is missing; run `npm run build` first');
  process.exit(2);
}

const labelFiles = readdirSync(path.join(EVAL_DIR, 'labels')).filter((name) => name.endsWith('.json')).sort();
const only = process.argv.slice(2);
/** category → { tp, fp, fn } */
const scores = new Map();
const score = (category) => {
  if (!scores.has(category)) scores.set(category, { tp: 0, fp: 0, fn: 0 });
  return scores.get(category);
};

for (const labelFile of labelFiles) {
  const spec = JSON.parse(readFileSync(path.join(EVAL_DIR, 'labels', labelFile), 'utf8'));
  if (only.length > 0 && !only.includes(spec.package)) continue;
  const dir = fetchPackage(spec.package, spec.version);
  const audit = spawnSync(process.execPath, [CLI, 'audit', '--format', 'json', '--no-eslint-config', ...(spec.paths ?? ['.'])], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (audit.status === 2 || !audit.stdout) {
    console.error(`eval: audit of ${spec.package}@${spec.version} failed:\n${audit.stderr}`);
    process.exitCode = 2;
    continue;
  }
  const report = JSON.parse(audit.stdout);
  const labelAt = new Map(spec.sites.map((site) => [`${site.file}:${site.line}`, site]));
  const reported = new Map();
  const unlabelled = [];
  console.log(`\n${spec.package}@${spec.version}: ${report.findings.length} findings, ${report.handlers.length} handlers, ${report.errors.length} errors, ${report.stats.durationMs} ms`);
  for (const finding of report.findings) {
    const site = labelAt.get(`${finding.file}:${finding.line}`);
    if (site) reported.set(site, finding);
    else unlabelled.push(finding);
  }
  // Scored per labelled site, so two calls on one line (existsSync || mkdirSync) count once.
  for (const site of spec.sites) {
    const finding = reported.get(site);
    if (finding && site.label === 'handler') score(site.category).tp++;
    else if (finding) {
      score(site.category).fp++;
      console.log(`  false positive (${site.label}): ${site.file}:${site.line} ${finding.call} via ${finding.handlers[0]?.label ?? '?'}`);
    } else if (site.label === 'handler') {
      score(site.category).fn++;
      console.log(`  missed: ${site.file}:${site.line} ${site.call}${site.note ? ` (${site.note})` : ''}`);
    }
  }
  for (const finding of unlabelled) {
    console.log(`  unlabelled: ${finding.file}:${finding.line} ${finding.call} [${finding.category}] via ${finding.handlers[0]?.label ?? '?'}`);
  }
}

console.log('\ncategory          precision  recall   tp  fp  fn');
let total = { tp: 0, fp: 0, fn: 0 };
for (const [category, { tp, fp, fn }] of [...scores].sort()) {
  total = { tp: total.tp + tp, fp: total.fp + fp, fn: total.fn + fn };
  console.log(row(category, tp, fp, fn));
}
console.log(row('all', total.tp, total.fp, total.fn));

function row(name, tp, fp, fn) {
  const ratio = (num, den) => (den === 0 ? '   -   ' : `${((100 * num) / den).toFixed(1).padStart(5)} %`);
  return `${name.padEnd(16)}  ${ratio(tp, tp + fp)}  ${ratio(tp, tp + fn)}  ${String(tp).padStart(3)} ${String(fp).padStart(3)} ${String(fn).padStart(3)}`;
}

/** The unpacked package with its production dependencies, from the cache when already there. */
function fetchPackage(name, version) {
  const dir = path.join(CACHE, `${name.replace('/', '+')}@${version}`);
  if (existsSync(path.join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  const staging = `${dir}.staging`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  console.error(`eval: fetching ${name}@${version}`);
  const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', staging], { encoding: 'utf8' }).trim().split('\n').at(-1);
  // npm's tarballs carry pax headers GNU tar warns about; the extraction itself is fine.
  execFileSync('tar', ['-xzf', path.join(staging, tarball), '-C', staging], { stdio: 'ignore' });
  renameSync(path.join(staging, 'package'), dir);
  rmSync(staging, { recursive: true, force: true });
  execFileSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--silent'], { cwd: dir, stdio: 'inherit' });
  execFileSync('touch', [path.join(dir, '.complete')]);
  return dir;
}
