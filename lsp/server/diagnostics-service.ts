/**
 * Delivers diagnostics both ways LSP allows: answers `textDocument/diagnostic` pulls (with result ids, so an
 * unchanged file costs the client nothing) and pushes `textDocument/publishDiagnostics` to clients that do not
 * pull. After every analysis it re-checks the other open documents: a change in one file can add or remove
 * findings in another (a chain runs through it), and those documents are refreshed without a restart.
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
import { toDiagnostic } from './diagnostics.js';
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
  private sweepScheduled = false;

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
    this.scheduleSweep();
  }

  documentClosed(uri: string): void {
    this.delivered.delete(uri);
    // Pushed diagnostics stay in the client until replaced; clear them with the buffer.
    if (!this.mode.pull) void this.workspace.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private scheduleSweep(): void {
    if (this.sweepScheduled) return;
    this.sweepScheduled = true;
    // setImmediate, not a timer: edits that arrived during an analysis are applied first, and a burst of
    // edits costs one sweep.
    setImmediate(() => {
      this.sweepScheduled = false;
      void this.sweep().catch((error: unknown) => this.workspace.log.error(`blockcheck: ${oneLine(error)}`));
    });
  }

  /** Re-check every open document and deliver what changed. */
  private async sweep(): Promise<void> {
    let stale = false;
    for (const document of this.workspace.documents.all()) {
      const uri = document.uri;
      const delivered = this.delivered.get(uri);
      if (this.mode.pull) {
        // Documents never pulled, or edited since their last pull, will be pulled by the client anyway.
        if (!delivered || delivered.version !== document.version) continue;
      }
      const report = await this.workspace.queue.run(uri, () => this.validate(uri));
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
      const analysed = await this.workspace.analyse(uri);
      if (analysed) {
        const { analysis, cwd } = analysed;
        diagnostics = analysis.findings.map((reported) => toDiagnostic(reported, analysis.program, cwd));
        this.reportTime(uri, performance.now() - started, diagnostics.length, analysed.settings.slowValidationMs);
      }
    } catch (error) {
      failure = oneLine(error);
      this.workspace.log.error(`blockcheck: could not analyse ${uri}: ${failure}`);
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
