/**
 * `npm run stress` (not part of CI): the audit over every JS/TS file of a large installed tree
 * (≥ 50,000 files), in chunks, printing files/s, crashes (must be 0) and the slowest chunks and files.
 * The tree is installed once into .cache/stress from pinned packages, without running their scripts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { sourceFilesBelow } from './source-files.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const TREE = path.join(REPO_ROOT, '.cache', 'stress');
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const PACKAGES = [
  'next@16.4.6',
  '@mui/material@7.3.5',
  '@aws-sdk/client-s3@3.940.0',
  'core-js@3.47.0',
  'lodash@4.17.21',
  'date-fns@4.1.0',
  '@babel/preset-env@7.28.5',
  'webpack@5.103.0',
  'rxjs@7.8.2',
  'typescript@5.9.3',
  '@mui/icons-material@7.3.5',
  'googleapis@188.0.0',
  '@tabler/icons-react@3.51.0',
  '@fortawesome/free-solid-svg-icons@7.3.1',
  'lodash-es@4.18.1',
  'es-toolkit@1.53.2',
];

const { values } = parseArgs({ options: { chunk: { type: 'string' }, minimum: { type: 'string' } } });
const chunkSize = Number(values.chunk ?? 2000);
const minimum = Number(values.minimum ?? 50_000);

function installTree(): void {
  const marker = path.join(TREE, '.installed');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === PACKAGES.join('\n')) return;
  fs.mkdirSync(TREE, { recursive: true });
  fs.writeFileSync(path.join(TREE, 'package.json'), JSON.stringify({ name: 'stress-tree', private: true }));
  process.stderr.write(`installing ${PACKAGES.length} packages into ${path.relative(REPO_ROOT, TREE)} (once)...\n`);
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--save-exact', ...PACKAGES], { cwd: TREE, stdio: 'inherit' });
  fs.writeFileSync(marker, PACKAGES.join('\n'));
}

installTree();
const files = sourceFilesBelow(path.join(TREE, 'node_modules'));
if (files.length < minimum) process.stderr.write(`warning: only ${files.length} files (wanted ${minimum}); add packages to PACKAGES\n`);

let crashes = 0;
let audited = 0;
const chunkTimes: Array<{ ms: number; first: string; count: number }> = [];
const started = performance.now();
for (let offset = 0; offset < files.length; offset += chunkSize) {
  const chunk = files.slice(offset, offset + chunkSize).map((file) => path.relative(TREE, file));
  const chunkStart = performance.now();
  const run = spawnSync(process.execPath, [CLI, 'audit', ...chunk, '--format', 'json', '--quiet', '--no-eslint-config'], {
    cwd: TREE,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const ms = performance.now() - chunkStart;
  const crashed = run.status === null || (run.status === 2 && /internal error/.test(run.stderr));
  if (crashed) {
    crashes++;
    process.stderr.write(`crash in chunk starting ${chunk[0]}: ${run.stderr.split('\n')[0]}\n`);
  } else {
    audited += chunk.length;
  }
  chunkTimes.push({ ms, first: chunk[0]!, count: chunk.length });
  if (process.stderr.isTTY) process.stderr.write(`\r${Math.min(offset + chunkSize, files.length)}/${files.length} files`);
}
const seconds = (performance.now() - started) / 1000;
if (process.stderr.isTTY) process.stderr.write('\n');

// The slowest files to parse: the part of an audit that grows with one file's size.
const parseTimes = files
  .map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const start = performance.now();
    try {
      ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    } catch {
      // Too deeply nested: the audit lists it under errors.
    }
    return { file: path.relative(TREE, file), ms: performance.now() - start, bytes: text.length };
  })
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 10);

process.stdout.write(
  `files: ${files.length}, audited: ${audited}, crashes: ${crashes}, ${(files.length / seconds).toFixed(0)} files/s (${seconds.toFixed(1)} s)\n`,
);
process.stdout.write('\nslowest chunks:\n');
for (const chunk of [...chunkTimes].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
  process.stdout.write(`  ${(chunk.ms / 1000).toFixed(1)} s  ${chunk.count} files from ${chunk.first}\n`);
}
process.stdout.write('\nslowest files to parse:\n');
for (const entry of parseTimes) process.stdout.write(`  ${entry.ms.toFixed(0)} ms  ${(entry.bytes / 1024).toFixed(0)} KiB  ${entry.file}\n`);
process.exitCode = crashes === 0 ? 0 : 1;
