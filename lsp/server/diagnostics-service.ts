/**
 * Delivers diagnostics both ways LSP allows: answers `textDocument/diagnostic` pulls (with result ids, so an
 * unchanged file costs the client nothing) and pushes `textDocument/publishDiagnostics` to clients that do not
 * pull. After every analysis it re-checks the other open documents: a change in one file can add or remove
 * findings in another (a chain runs through it), and those documents are refreshed without a restart.
 *
 * Those re-checks (sweeps) are coalesced: a sweep starts only after an event-loop turn in which no change
 * arrived, so a burst of edits already received is applied in full and costs one analysis and one push, not
 * one per edit; one sweep runs at a time, a change during it stops it between documents and starts a new one,
 * and a result a newer edit made stale is not delivered.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Diagnostic,
  type DiagnosticServerCancellationData,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import { StatusNotification } from './protocol.js';
import type { Workspace } from './workspace.js';

interface FileReport {
  resultId: string;
  diagnostics: Diagnostic[];
}

export interface DeliveryMode {
  /** The client pulls (`textDocument.diagnostic` capability); otherwise we push. */
  pull: boolean;
  /** The client accepts `workspace/diagnostic/refresh`. */
  refresh: boolean;
}

export class DiagnosticsService {
  /** Per open document: what the client was last given, and for which buffer version. */
  private readonly delivered = new Map<string, { resultId: string; version: number | undefined }>();
  /** `waiting`: for a turn without changes; `running`: one sweep at a time. */
  private sweepState: 'idle' | 'waiting' | 'running' = 'idle';
  /** A change arrived during the running sweep: its remaining work is superseded by a new sweep. */
  private sweepSuperseded = false;
  /** Bumped by every change, to tell a quiet event-loop turn. */
  private changes = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly mode: DeliveryMode,
  ) {}

  pull(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    return this.workspace.queue.run(params.textDocument.uri, (isCurrent) => this.answerPull(params, token, isCurrent), 'diagnostic');
  }

  private async answerPull(params: DocumentDiagnosticParams, token: CancellationToken, isCurrent: () => boolean): Promise<DocumentDiagnosticReport> {
    const uri = params.textDocument.uri;
    // Let edits and cancellations already queued behind this request arrive before doing any work.
    await new Promise((resolve) => setImmediate(resolve));
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (!isCurrent()) {
      // A newer pull for this document is queued behind us and will answer with the latest text.
      const data: DiagnosticServerCancellationData = { retriggerRequest: false };
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded by a newer request', data);
    }
    const version = this.workspace.documents.get(uri)?.version;
    const report = await this.validate(uri);
    this.delivered.set(uri, { resultId: report.resultId, version });
    this.scheduleSweep();
    if (params.previousResultId === report.resultId) {
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: report.resultId };
    }
    return { kind: DocumentDiagnosticReportKind.Full, resultId: report.resultId, items: report.diagnostics };
  }

  /** An open buffer changed, a file changed on disk, or settings/configs changed. */
  changed(): void {
    this.changes++;
    this.scheduleSweep();
  }

  documentClosed(uri: string): void {
    this.delivered.delete(uri);
    // Pushed diagnostics stay in the client until replaced; clear them with the buffer.
    if (!this.mode.pull) void this.workspace.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private scheduleSweep(): void {
    if (this.sweepState === 'running') this.sweepSuperseded = true;
    if (this.sweepState !== 'idle') return;
    this.sweepState = 'waiting';
    void this.runSweeps().catch((error: unknown) => this.workspace.log.error(`blockcheck: ${oneLine(error)}`));
  }

  private async runSweeps(): Promise<void> {
    try {
      do {
        await this.quietTurn();
        this.sweepState = 'running';
        this.sweepSuperseded = false;
        await this.sweep();
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- changed() sets it while sweep() awaits
      } while (this.sweepSuperseded);
    } finally {
      this.sweepState = 'idle';
    }
  }

  /**
   * Resolves after an event-loop turn in which no change arrived. The protocol library hands over one message
   * per turn, so this waits until the edits already received are all applied. Turns, not a timer: no delay
   * when nothing else is queued.
   */
  private async quietTurn(): Promise<void> {
    let seen: number;
    do {
      seen = this.changes;
      await new Promise((resolve) => setImmediate(resolve));
    } while (seen !== this.changes);
  }

  /** Re-check every open document and deliver what changed; stops early when a newer change supersedes it. */
  private async sweep(): Promise<void> {
    let stale = false;
    for (const [index, document] of this.workspace.documents.all().entries()) {
      if (index > 0) {
        // Let requests (a hover, a pull) in between documents, and stop once a change made this sweep stale.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.sweepSuperseded) break;
      }
      const uri = document.uri;
      const delivered = this.delivered.get(uri);
      if (this.mode.pull) {
        // Documents never pulled, or edited since their last pull, will be pulled by the client anyway.
        if (!delivered || delivered.version !== document.version) continue;
      }
      const report = await this.workspace.queue.run(uri, () => this.validate(uri));
      // Edited during the analysis: the result is already stale, and the next sweep delivers the new one.
      if (this.workspace.documents.get(uri)?.version !== document.version) continue;
      if (delivered?.resultId === report.resultId && delivered.version === document.version) continue;
      // Recorded before the client asks again, so a document the client does not re-pull (not visible)
      // triggers one refresh, not one per sweep.
      this.delivered.set(uri, { resultId: report.resultId, version: document.version });
      if (this.mode.pull) {
        stale = true;
      } else {
        await this.workspace.connection.sendDiagnostics({ uri, version: document.version, diagnostics: report.diagnostics });
      }
    }
    if (stale && this.mode.refresh) await this.workspace.connection.languages.diagnostics.refresh();
  }

  private async validate(uri: string): Promise<FileReport> {
    const started = performance.now();
    let diagnostics: Diagnostic[] = [];
    let failure: string | undefined;
    try {
      const result = await this.workspace.diagnostics(uri);
      if (result) {
        diagnostics = result.diagnostics;
        this.reportTime(uri, performance.now() - started, diagnostics.length, result.settings.slowValidationMs);
      }
    } catch (error) {
      failure = oneLine(error);
      this.workspace.log.error(`blockcheck: could not analyze ${uri}: ${failure}`);
      void this.workspace.connection.sendNotification(StatusNotification, {
        uri,
        state: 'error',
        message: failure,
        durationMs: Math.round(performance.now() - started),
        findings: 0,
      });
    }
    const resultId = createHash('sha1')
      .update(JSON.stringify(diagnostics))
      .update(failure ?? '')
      .digest('base64url');
    return { resultId, diagnostics };
  }

  private reportTime(uri: string, durationMs: number, findings: number, budgetMs: number): void {
    const rounded = Math.round(durationMs);
    void this.workspace.connection.sendNotification(StatusNotification, { uri, state: 'ok', durationMs: rounded, findings });
    if (durationMs > budgetMs) {
      this.workspace.log.warn(`blockcheck: validating ${uri} took ${rounded} ms (budget ${budgetMs} ms)`);
    }
  }
}

export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
