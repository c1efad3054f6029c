/**
 * Preloaded into the language server by bench/lsp.ts (`NODE_OPTIONS=--import`): on SIGUSR2 it collects
 * all garbage and appends the heap still in use, in bytes, as a line to BLOCKCHECK_HEAP_SAMPLES. A
 * process's resident memory follows how large V8 lets its heap grow between collections, not what it
 * keeps; the heap after a full collection is what a leak would grow.
 */
import * as fs from 'node:fs';
import { collectGarbage } from '../cli/collect-garbage.js';

const samples = process.env['BLOCKCHECK_HEAP_SAMPLES'];
if (samples) {
  process.on('SIGUSR2', () => {
    collectGarbage();
    fs.appendFileSync(samples, `${process.memoryUsage().heapUsed}\n`);
  });
}
