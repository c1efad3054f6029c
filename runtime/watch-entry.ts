/**
 * `node --import blockcheck/runtime/watch app.js`: the low-overhead watch, started before the app, writing
 * one line per block to stderr. BLOCKCHECK_WATCH_THRESHOLD_MS sets the threshold (default 10).
 */
import { relative } from 'node:path';
import { watchEventLoop } from './watch.js';

const thresholdMs = Number(process.env.BLOCKCHECK_WATCH_THRESHOLD_MS ?? 10);
watchEventLoop({
  thresholdMs: Number.isFinite(thresholdMs) && thresholdMs > 0 ? thresholdMs : 10,
  onBlock(block) {
    const where = block.site
      ? ` at ${relative(process.cwd(), block.site.file)}:${block.site.line} (${block.site.functionName})`
      : ' (line named on the next block)';
    process.stderr.write(`blockcheck: event loop blocked ${block.ms.toFixed(1)} ms${where}\n`);
  },
});
