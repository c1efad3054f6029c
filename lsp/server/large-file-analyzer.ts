/**
 * Analyzes large files (over LARGE_FILE_CHARS) off the request path, in a worker thread: parsing, binding and
 * analyzing a multi-megabyte file takes seconds, and on the main thread every hover, pull and edit of every
 * other file waited for it. The worker has projects of its own that see the large file in full (the main
 * thread's projects see it as empty), reads every other file from disk, and answers with diagnostics; it is
 * started on the first large file and restarted if it dies.
 */
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from 'vscode-languageserver';
import type { RuleSettings } from '../../engine/eslint-config.js';

export interface LargeFileJob {
  fileName: string;
  /** The text to analyze (the buffer's or the file's); undefined: read it from disk. */
  text: string | undefined;
  rules: RuleSettings;
  /** `blockcheck.strict`: also the calls whose target cannot be known. */
  strict: boolean;
  /** Relative paths in messages start here. */
  cwd: string;
  workspaceFolders: readonly string[];
}

export interface LargeFileRequest extends LargeFileJob {
  id: number;
  /** Changes whenever files changed on disk: the worker then drops its projects and reads everything again. */
  diskGeneration: number;
}

export type LargeFileResponse = { id: number; diagnostics: Diagnostic[] } | { id: number; error: string };

interface Pending {
  resolve(diagnostics: Diagnostic[]): void;
  reject(error: Error): void;
}

export class LargeFileAnalyzer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private lastId = 0;
  private diskGeneration = 0;

  /** Files changed on disk, or configs or the project layout did. */
  filesChanged(): void {
    this.diskGeneration++;
  }

  diagnostics(job: LargeFileJob): Promise<Diagnostic[]> {
    const id = ++this.lastId;
    const request: LargeFileRequest = { ...job, id, diskGeneration: this.diskGeneration };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.running().postMessage(request);
    });
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./large-file-worker.js', import.meta.url));
    // The server ends with its connection; a worker busy with a large file must not keep it alive.
    worker.unref();
    worker.on('message', (response: LargeFileResponse) => {
      const pending = this.pending.get(response.id);
      this.pending.delete(response.id);
      if ('error' in response) pending?.reject(new Error(response.error));
      else pending?.resolve(response.diagnostics);
    });
    const failAll = (reason: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const pending of this.pending.values()) pending.reject(new Error(reason));
      this.pending.clear();
    };
    worker.on('error', (error: Error) => failAll(`the large-file worker failed: ${error.message.split('\n')[0]}`));
    worker.on('exit', (code) => failAll(`the large-file worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }
}
