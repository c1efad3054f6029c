/**
 * Code the server runs on the user's behalf (their ESLint config and the plugins it loads, extra catalog
 * entries) must not be able to take the server down with `process.exit`. Inside `guarded()` such a call throws
 * a ProcessExitAttempt instead; everywhere else (the LSP `exit` notification, a dead parent process) it exits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class ProcessExitAttempt extends Error {
  constructor(
    readonly code: string | number | null | undefined,
    readonly during: string,
  ) {
    super(`process.exit(${code ?? ''}) was called while ${during}; the call was blocked and the server keeps running`);
    this.name = 'ProcessExitAttempt';
  }
}

const context = new AsyncLocalStorage<string>();
let installed = false;

/** Replace process.exit once, at startup. */
export function installExitGuard(): void {
  if (installed) return;
  installed = true;
  const exit = process.exit.bind(process);
  process.exit = (code?: string | number | null) => {
    const during = context.getStore();
    if (during === undefined) return exit(code);
    throw new ProcessExitAttempt(code, during);
  };
}

/** Run `task` (sync or async) with process.exit blocked; `during` says what was running, for the report. */
export function guarded<T>(during: string, task: () => T): T {
  return context.run(during, task);
}
