/**
 * Errors the user can act on: a one-line message saying what happened and what to do, plus details
 * (the tail of the app's output) shown under it. The CLI prints `message` and `details`, and the stack
 * only with --debug.
 */
export type ProbeErrorCode = 'app-exited' | 'never-listened' | 'port-taken' | 'crashed-under-load' | 'bad-options' | 'no-routes' | 'timeout';

export class ProbeError extends Error {
  readonly code: ProbeErrorCode;
  readonly details: string;

  constructor(code: ProbeErrorCode, message: string, details = '') {
    super(message);
    this.name = 'ProbeError';
    this.code = code;
    this.details = details;
  }
}
