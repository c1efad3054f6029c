/**
 * `node --import blockcheck/runtime/watch app.js`: the low-overhead watch, started before the app, writing
 * one line per block to stderr. BLOCKCHECK_WATCH_THRESHOLD_MS sets the threshold (default 10).
 */
import { relative } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { watchEventLoop } from './watch.js';

const thresholdMs = Number(process.env.BLOCKCHECK_WATCH_THRESHOLD_MS ?? 10);
// `--import` also runs in each worker thread the app starts: the loop that serves requests is the main one.
if (isMainThread) {
  watchEventLoop({
    thresholdMs: Number.isFinite(thresholdMs) && thresholdMs > 0 ? thresholdMs : 10,
    onBlock(block) {
      const where = block.site
        ? ` at ${relative(process.cwd(), block.site.file)}:${block.site.line} (${block.site.functionName})`
        : ' (line not named: over before the watchdog saw it)';
      process.stderr.write(`blockcheck: event loop blocked ${block.ms.toFixed(1)} ms${where}\n`);
    },
  });
}
