/**
 * A one-line progress bar on stderr. It appears only on a terminal, only without --quiet, and only once a
 * run has taken a second, so short runs and piped output stay clean.
 */
import type { CommandOutput } from './command.js';

export interface Progress {
  /** Starts (or moves to) a phase with `total` steps. */
  phase(label: string, total: number): void;
  tick(count?: number): void;
  done(): void;
}

const SILENT: Progress = { phase() {}, tick() {}, done() {} };
const DELAY_MS = 1000;
const WIDTH = 24;

export function createProgress(stream: CommandOutput, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  const startedAt = Date.now();
  let label = '';
  let total = 0;
  let done = 0;
  let drawn = false;
  let lastDraw = 0;
  const draw = (force: boolean): void => {
    const now = Date.now();
    if (now - startedAt < DELAY_MS || (!force && now - lastDraw < 80)) return;
    lastDraw = now;
    const filled = total === 0 ? 0 : Math.round((done / total) * WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    stream.write(`\r\x1b[2K${bar} ${done}/${total} files ${label}`);
    drawn = true;
  };
  // Phases that run synchronously for a while (type-checking) still get drawn once the delay has passed.
  const timer = setInterval(() => draw(true), 250);
  timer.unref();
  return {
    phase(nextLabel, nextTotal) {
      label = nextLabel;
      total = nextTotal;
      done = 0;
      draw(true);
    },
    tick(count = 1) {
      done = Math.min(total, done + count);
      draw(false);
    },
    done() {
      clearInterval(timer);
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
