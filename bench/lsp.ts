/**
 * `npm run bench` (language server): on the shared generated 1,000-file Express project (bench/generate-project.ts)
 * plus a 1,000-line router, measures cold start to first
 * diagnostics, warm edit→diagnostics latency (p50/p95) while editing a 1,000-line handler file, and the
 * server's memory before and after 1,000 edits: resident, and the heap still in use after a full garbage
 * collection (bench/heap-sampler.ts), which is what a leak grows. Target: warm p95 ≤ 100 ms.
 *
 *   node dist/bench/lsp.js [--files 1000] [--edits 1000] [--quick] [--strict]
 *
 * `--quick` is a smoke test of the harness (250 files, 100 edits); `--strict` exits 1 when the target is missed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/lsp/lsp-client.js';
import { TempProject } from '../test/lsp/temp-project.js';
import { generateProject } from './generate-project.js';

const TARGET_P95_MS = 100;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/**
 * A 1,000-line router added to the shared generated project: routes that call the project's helpers (a third of
 * which write synchronously) and, every 25th, check a file synchronously themselves.
 */
function handlerFile(lines: number, helpers: number): string {
  const imported = Math.min(20, helpers);
  const out = [`import express from 'express';`, `import * as fs from 'node:fs';`];
  for (let index = 0; index < imported; index++) out.push(`import { saveRecord${index} } from '../lib/helper-${index}.js';`);
  out.push('export const bulkRouter = express.Router();');
  const routes = Math.floor((lines - out.length) / 5);
  for (let index = 0; index < routes; index++) {
    const check = index % 25 === 0 ? ` && fs.existsSync(req.params.id)` : '';
    out.push(
      `bulkRouter.post('/bulk-${index}/:id', (req, res) => {`,
      `  if (req.params.id${check}) saveRecord${index % imported}(req.params.id, String(req.body?.name ?? ""));`,
      `  const padding = ${index};`,
      `  res.status(201).json({ padding });`,
      '});',
    );
  }
  return `${out.join('\n')}\n`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

const HEAP_SAMPLER = path.join(import.meta.dirname, 'heap-sampler.js');

/** The server's heap in use after a full collection, in MB: asks the preloaded sampler and waits for its line. */
async function heapAfterGcMb(pid: number, samplesFile: string): Promise<number> {
  const lines = (): string[] => (fs.existsSync(samplesFile) ? fs.readFileSync(samplesFile, 'utf8').trim().split('\n').filter(Boolean) : []);
  const before = lines().length;
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const current = lines();
    if (current.length > before) return Math.round(Number(current[before]) / 1048576);
    await delay(20);
  }
  throw new Error('the language server did not report its heap within 30 s');
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const files = option('files', quick ? 250 : 1000);
  const edits = option('edits', quick ? 100 : 1000);
  const strict = process.argv.includes('--strict');
  // The folder holds only the node_modules link; the generator owns (and first empties) `app/`.
  const project = new TempProject({});
  const generated = generateProject(project.path('app'), files);
  const handler = handlerFile(1000, Math.floor(files / 4));
  project.write('app/src/routes/bulk.ts', handler);
  const uri = project.uri('app/src/routes/bulk.ts');
  const rootUri = project.uri('app');
  const samplesFile = project.path('heap-samples.txt');
  try {
    const coldStart = performance.now();
    const { client } = await LspClient.start({
      rootUri,
      env: { NODE_OPTIONS: `--import ${pathToFileURL(HEAP_SAMPLER).href}`, BLOCKCHECK_HEAP_SAMPLES: samplesFile },
    });
    const pid = client.process.pid!;
    await client.open(uri, handler);
    const first = await client.pull(uri);
    const coldMs = performance.now() - coldStart;
    const findings = first.kind === 'full' ? first.items.length : 0;
    await client.waitFor('the warm-up', () => client.progress.some((value) => value.kind === 'end'), 600_000);

    const rssBefore = rssMb(pid);
    const heapBefore = await heapAfterGcMb(pid, samplesFile);
    // A second sample a tenth of the way in: flat memory means the last sample stays near this one.
    let rssEarly = rssBefore;
    let heapEarly = heapBefore;
    const latencies: number[] = [];
    // Each edit types or deletes a digit in a route's padding constant: a realistic keystroke that keeps the
    // findings stable. Odd edits undo the previous one, so the text never drifts.
    const PREFIX = '  const padding = ';
    const paddingLines = handler.split('\n').flatMap((text, line) => (text.startsWith(PREFIX) ? [line] : []));
    for (let index = 0; index < edits; index++) {
      const line = paddingLines[Math.floor(index / 2) % paddingLines.length]!;
      const at = { line, character: PREFIX.length };
      const change =
        index % 2 === 0 ? { range: { start: at, end: at }, newText: '1' } : { range: { start: at, end: { line, character: at.character + 1 } }, newText: '' };
      const started = performance.now();
      await client.edit(uri, [change]);
      await client.pull(uri);
      latencies.push(performance.now() - started);
      if (index + 1 === Math.ceil(edits / 10)) {
        // Resident first: the sampler's collection would shrink it.
        rssEarly = rssMb(pid);
        heapEarly = await heapAfterGcMb(pid, samplesFile);
      }
    }
    const rssAfter = rssMb(pid);
    const heapAfter = await heapAfterGcMb(pid, samplesFile);
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const result = {
      files: generated.files.length + 1,
      handlerLines: handler.split('\n').length,
      findings,
      coldStartToFirstDiagnosticsMs: Math.round(coldMs),
      warmEditToDiagnosticsMs: { p50: Math.round(p50 * 10) / 10, p95: Math.round(p95 * 10) / 10, edits },
      rssMb: { afterWarmUp: rssBefore, [`after${Math.ceil(edits / 10)}Edits`]: rssEarly, [`after${edits}Edits`]: rssAfter },
      heapAfterGcMb: { afterWarmUp: heapBefore, [`after${Math.ceil(edits / 10)}Edits`]: heapEarly, [`after${edits}Edits`]: heapAfter },
      targetP95Ms: TARGET_P95_MS,
      meetsTarget: p95 <= TARGET_P95_MS,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    await client.shutdown();
    if (strict && !result.meetsTarget) process.exitCode = 1;
  } finally {
    project.remove();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/lsp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
