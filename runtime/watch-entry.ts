/**
 * `node --import blockcheck/runtime/watch app.js`: the low-overhead watch, started before the app, writing
 * one line per block to stderr. BLOCKCHECK_WATCH_THRESHOLD_MS sets the threshold (default 10);
 * BLOCKCHECK_WATCH_WARMUP_MS how long after the first connection blocks are still start-up (default 5000);
 * BLOCKCHECK_WATCH_NAME_FIRST=1 starts the watchdog thread at once, to name the first block too.
 */
import { relative } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { watchEventLoop } from './watch.js';

const thresholdMs = Number(process.env.BLOCKCHECK_WATCH_THRESHOLD_MS ?? 10);
const warmupMs = Number(process.env.BLOCKCHECK_WATCH_WARMUP_MS ?? 5000);
// `--import` also runs in each worker thread the app starts: the loop that serves requests is the main one.
if (isMainThread) {
  watchEventLoop({
    thresholdMs: Number.isFinite(thresholdMs) && thresholdMs > 0 ? thresholdMs : 10,
    warmupMs: Number.isFinite(warmupMs) && warmupMs >= 0 ? warmupMs : 5000,
    nameFirstBlock: process.env.BLOCKCHECK_WATCH_NAME_FIRST === '1',
    onBlock(block) {
      const where = block.site
        ? ` at ${relative(process.cwd(), block.site.file)}:${block.site.line} (${block.site.functionName})`
        : block.startup && block.beforeWatchdog
          ? ' (start-up; line not named: BLOCKCHECK_WATCH_NAME_FIRST=1 names it)'
          : block.beforeWatchdog
            ? ' (line not named: the first block starts the watchdog; BLOCKCHECK_WATCH_NAME_FIRST=1 names it too)'
            : ' (line not named: over before the watchdog saw it)';
      process.stderr.write(`blockcheck: event loop blocked ${block.ms.toFixed(1)} ms${where}\n`);
    },
  });
}
