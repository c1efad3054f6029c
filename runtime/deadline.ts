/**
 * The probe's overall time limit (`--timeout`). Whatever hangs (a handler that never returns, an app
 * that stops answering its control socket), the probe ends with an error that names what it was waiting
 * for, and everything racing the deadline stops its load through `signal`.
 */
import { ProbeError } from './errors.js';

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export class Deadline {
  /** What the probe waits for now, in words: the error says it if time runs out. */
  waitingFor = 'the app to start';
  private readonly controller = new AbortController();
  private readonly expiry: Promise<never>;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly ms: number) {
    let expire!: (error: ProbeError) => void;
    this.expiry = new Promise<never>((_resolve, reject) => (expire = reject));
    this.expiry.catch(() => {});
    this.timer = setTimeout(() => {
      this.controller.abort();
      expire(
        new ProbeError(
          'timeout',
          `the probe stopped the app after ${ms / 1000} s (--timeout) while waiting for ${this.waitingFor}: a handler that never returns holds the event loop for ever; fix it, or raise --timeout if the app is only slow`,
        ),
      );
    }, ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** `work`, or the timeout error if the deadline comes first. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expiry]);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
