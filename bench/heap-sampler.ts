/**
 * Preloaded into the language server by bench/lsp.ts (`NODE_OPTIONS=--import`): on SIGUSR2 it collects
 * all garbage and appends the heap still in use, in bytes, as a line to BLOCKCHECK_HEAP_SAMPLES. A
 * process's resident memory follows how large V8 lets its heap grow between collections, not what it
 * keeps; the heap after a full collection is what a leak would grow.
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const samples = process.env['BLOCKCHECK_HEAP_SAMPLES'];
if (samples) {
  v8.setFlagsFromString('--expose-gc');
  const collectGarbage = vm.runInNewContext('gc') as () => void;
  process.on('SIGUSR2', () => {
    collectGarbage();
    fs.appendFileSync(samples, `${process.memoryUsage().heapUsed}\n`);
  });
}
