/**
 * Drives the built `blockcheck-lsp` over stdio the way an editor does, with `vscode-languageserver-protocol`:
 * keeps the open buffers, answers the server's requests (configuration, applyEdit, showDocument, progress,
 * registrations) and records what the server sends.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  ConfigurationRequest,
  DiagnosticRefreshRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  RegistrationRequest,
  type Registration,
  ShowDocumentRequest,
  ShutdownRequest,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type DocumentDiagnosticReport,
  type FileChangeType,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowDocumentParams,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const SERVER = fileURLToPath(new URL('../../lsp/server.js', import.meta.url));

export interface ClientOptions {
  rootUri: string;
  /** The `blockcheck` settings section the client answers with. */
  settings?: unknown;
  /** Pull diagnostics (default) or only accept pushed ones. */
  pull?: boolean;
  /** Variables added to the server's environment (the benchmark preloads its heap sampler). */
  env?: NodeJS.ProcessEnv;
  /** `initializationOptions` of the initialize request (`{ loadEslintConfig: true }`: the user consented). */
  initializationOptions?: unknown;
}

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly documents = new Map<string, TextDocument>();
  readonly logs: string[] = [];
  readonly pushed = new Map<string, PublishDiagnosticsParams>();
  /** Every `textDocument/publishDiagnostics` received, for any file. */
  pushCount = 0;
  readonly shownDocuments: ShowDocumentParams[] = [];
  /** `window/showMessage` texts, in arrival order. */
  readonly shownMessages: string[] = [];
  /** What the server registered dynamically (`client/registerCapability`). */
  readonly registrations: Registration[] = [];
  /** `$/progress` values (begin/report/end) in arrival order. */
  readonly progress: Array<{ kind: string; title?: string; message?: string }> = [];
  /** `blockcheck/status` notifications. */
  readonly statuses: Array<{ uri: string; state: string; durationMs: number; findings: number }> = [];
  refreshes = 0;
  settings: unknown;
  stderr = '';
  private readonly waiters: Array<() => void> = [];

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? {};
    process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const reader = new StreamMessageReader(process.stdout);
    // vscode-jsonrpc re-arms a 10 s timer for a message cut short, for ever and even after dispose(): a server
    // killed while writing one kept the test process, and with it the whole run, alive. Nothing here listens
    // for partial messages.
    reader.partialMessageTimeout = 0;
    this.connection = createProtocolConnection(reader, new StreamMessageWriter(process.stdin));
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'blockcheck' ? this.settings : null)));
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      this.notifyWaiters();
    });
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        this.progress.push(value);
        this.notifyWaiters();
      });
    });
    this.connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshes++;
      this.notifyWaiters();
    });
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      this.applyWorkspaceEdit(params.edit);
      return { applied: true };
    });
    this.connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
      this.notifyWaiters();
    });
    this.connection.onNotification(ShowMessageNotification.type, (params) => {
      this.shownMessages.push(params.message);
      this.notifyWaiters();
    });
    this.connection.onNotification('blockcheck/status', (params: LspClient['statuses'][number]) => {
      this.statuses.push(params);
      this.notifyWaiters();
    });
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.pushed.set(params.uri, params);
      this.pushCount++;
      this.notifyWaiters();
    });
    this.connection.listen();
  }

  /** A running server that has not been sent `initialize` yet. */
  static launch(options: ClientOptions): LspClient {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...options.env } });
    return new LspClient(child, options);
  }

  static async start(options: ClientOptions): Promise<{ client: LspClient; initialize: InitializeResult }> {
    const client = LspClient.launch(options);
    const pull = options.pull ?? true;
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        applyEdit: true,
        workspaceEdit: { documentChanges: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
      },
      textDocument: {
        ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        codeAction: { isPreferredSupport: true },
        hover: { contentFormat: ['markdown'] },
      },
      window: { workDoneProgress: true, showDocument: { support: true } },
    };
    const initialize = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- still required by InitializeParams; editors send both
      rootUri: options.rootUri,
      workspaceFolders: [{ uri: options.rootUri, name: 'project' }],
      capabilities,
      ...(options.initializationOptions === undefined ? {} : { initializationOptions: options.initializationOptions }),
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, initialize };
  }

  async open(uri: string, text: string, languageId = 'typescript'): Promise<void> {
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  text(uri: string): string {
    return this.document(uri).getText();
  }

  /** Replace the first occurrence of `search` in the buffer, sent as an incremental change. */
  async replace(uri: string, search: string, replacement: string): Promise<void> {
    const document = this.document(uri);
    const offset = document.getText().indexOf(search);
    if (offset < 0) throw new Error(`"${search}" is not in ${uri}`);
    await this.edit(uri, [{ range: { start: document.positionAt(offset), end: document.positionAt(offset + search.length) }, newText: replacement }]);
  }

  async edit(uri: string, edits: TextEdit[]): Promise<void> {
    const document = this.document(uri);
    const updated = TextDocument.update(
      document,
      edits.map((edit) => ({ range: edit.range, text: edit.newText })),
      document.version + 1,
    );
    this.documents.set(uri, updated);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: updated.version },
      contentChanges: edits.map((edit) => ({ range: edit.range, text: edit.newText })),
    });
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async fileChanged(uri: string, type: FileChangeType): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type }] });
  }

  pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) });
  }

  /** Resolves once `condition` holds, re-checked on every message from the server; rejects after `ms`. */
  async waitFor(what: string, condition: () => boolean, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}; server log:\n${this.logs.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The LSP shutdown handshake; resolves with the server's exit code. */
  async shutdown(): Promise<number | null> {
    const exited = once(this.process, 'exit');
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const [code] = (await exited) as [number | null];
    this.connection.dispose();
    return code;
  }

  /** For tests that end without the handshake (or after a failure). */
  kill(): void {
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }

  private document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }

  private applyWorkspaceEdit(edit: WorkspaceEdit): void {
    const perDocument: Array<[string, TextEdit[]]> = edit.documentChanges
      ? (edit.documentChanges as TextDocumentEdit[]).map((change) => [change.textDocument.uri, change.edits as TextEdit[]])
      : Object.entries(edit.changes ?? {});
    for (const [uri, edits] of perDocument) void this.edit(uri, edits);
  }

  private notifyWaiters(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
