/**
 * Wires the LSP connection to the workspace: document sync, pull and push diagnostics, code actions, hover,
 * commands, watched files, settings and warm-up. Every handler turns failures into one log line and an empty
 * answer; nothing a user's files or config do may stop the server.
 */
import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  WatchKind,
  type ClientCapabilities,
  type Connection,
  type FileSystemWatcher,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isDeclarationFile, isSourceFile, SOURCE_FILES_GLOB } from '../../core/index.js';
import { TOOL_VERSION } from '../../engine/package-info.js';
import { AuditReports } from './audit-report.js';
import { codeActionsFor } from './code-actions.js';
import { executeCommand } from './commands.js';
import { DiagnosticsService, oneLine } from './diagnostics-service.js';
import { ProcessExitAttempt } from './exit-guard.js';
import { hoverFor } from './hover.js';
import { isProjectConfig, uriToFileName } from './paths.js';
import { ProjectRegistry } from './project-registry.js';
import { Commands } from './protocol.js';
import { parseInitializationOptions } from './settings.js';
import { LARGE_FILE_CHARS, SourceStore } from './sources.js';
import { warmUp } from './warmup.js';
import { holdsWatchedFiles } from './watched-folders.js';
import { Workspace } from './workspace.js';

const WATCHED: FileSystemWatcher[] = [
  ...[SOURCE_FILES_GLOB, '**/{tsconfig,jsconfig}*.json', '**/package.json', '**/eslint.config.*'].map((globPattern) => ({ globPattern })),
  // A folder created, deleted or renamed may be reported as that one path, which no pattern above matches.
  { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
];

export function startLanguageServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const sources = new SourceStore(LARGE_FILE_CHARS);
  const projects = new ProjectRegistry(sources);
  const log = {
    info: (message: string) => connection.console.info(message),
    warn: (message: string) => connection.console.warn(message),
    error: (message: string) => connection.console.error(message),
  };
  const audits = new AuditReports(log.warn);
  let capabilities: ClientCapabilities = {};
  let workspace: Workspace | undefined;
  let diagnostics: DiagnosticsService | undefined;

  const useDocumentChanges = () => capabilities.workspace?.workspaceEdit?.documentChanges === true;
  /** Requests before `initialize` get ServerNotInitialized, as the protocol asks (notifications are dropped). */
  const ready = () => {
    if (!workspace || !diagnostics) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'the server is not initialized: send initialize first');
    return { workspace, diagnostics };
  };
  const initialized = () => workspace !== undefined;
  /** Log a failure in one line and answer with `fallback` instead of an error the user cannot act on. */
  const safely = async <T>(what: string, fallback: T, task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } catch (error) {
      const message = error instanceof ProcessExitAttempt ? error.message : oneLine(error);
      log.error(`blockcheck: ${what} failed: ${message}`);
      return fallback;
    }
  };

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities;
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- rootUri: the folder of a client that sends no workspace folders
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    projects.setWorkspaceFolders(folders.map(uriToFileName).filter((folder): folder is string => folder !== undefined));
    workspace = new Workspace(connection, documents, sources, projects, {
      clientAnswersConfiguration: capabilities.workspace?.configuration === true,
      loadEslintConfig: parseInitializationOptions(params.initializationOptions, log.warn).loadEslintConfig,
      log,
    });
    diagnostics = new DiagnosticsService(workspace, {
      pull: capabilities.textDocument?.diagnostic !== undefined,
      refresh: capabilities.workspace?.diagnostics?.refreshSupport === true,
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        diagnosticProvider: { identifier: 'blockcheck', interFileDependencies: true, workspaceDiagnostics: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        executeCommandProvider: { commands: [Commands.applyFix, Commands.showDocumentation] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'blockcheck-lsp', version: TOOL_VERSION },
    };
  });

  connection.onInitialized(() => {
    const { workspace } = ready();
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED });
    }
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'blockcheck' });
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const current = new Set(projects.workspaceFolders());
        for (const removed of event.removed) current.delete(uriToFileName(removed.uri) ?? '');
        for (const added of event.added) current.add(uriToFileName(added.uri) ?? '');
        current.delete('');
        projects.setWorkspaceFolders([...current]);
        workspace.settings.invalidate();
        ready().diagnostics.changed();
      });
    }
    void safely('warming up', undefined, async () => {
      const progress = capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
      await warmUp(workspace, progress);
    });
  });

  documents.onDidOpen((event) => {
    if (!initialized()) return;
    void safely(`opening ${event.document.uri}`, undefined, async () => {
      await ready().workspace.syncDocument(event.document, 'open');
      ready().diagnostics.changed();
    });
  });
  documents.onDidChangeContent((event) => {
    if (!initialized()) return;
    void safely(`updating ${event.document.uri}`, undefined, async () => {
      await ready().workspace.syncDocument(event.document, 'change');
      ready().diagnostics.changed();
    });
  });
  documents.onDidSave((event) => {
    if (!initialized()) return;
    void safely(`saving ${event.document.uri}`, undefined, async () => {
      await ready().workspace.syncDocument(event.document, 'save');
      ready().diagnostics.changed();
    });
  });
  documents.onDidClose((event) => {
    if (!initialized()) return;
    const { workspace, diagnostics } = ready();
    workspace.documentClosed(event.document.uri);
    diagnostics.documentClosed(event.document.uri);
    diagnostics.changed();
  });

  connection.languages.diagnostics.on((params, token) => ready().diagnostics.pull(params, token));

  connection.onCodeAction((params) => {
    const { workspace } = ready();
    return safely('code actions', [], async () => {
      const uri = params.textDocument.uri;
      return workspace.queue.run(
        uri,
        async (isCurrent) => {
          const document = documents.get(uri);
          if (!document || !isCurrent()) return [];
          const analyzed = await workspace.analyze(uri);
          return analyzed ? codeActionsFor(analyzed, document, params.range, useDocumentChanges()) : [];
        },
        'codeAction',
      );
    });
  });

  connection.onHover((params) => {
    const { workspace } = ready();
    return safely('hover', null, async () => {
      const uri = params.textDocument.uri;
      return workspace.queue.run(
        uri,
        async (isCurrent) => {
          if (!isCurrent()) return null;
          const analyzed = await workspace.analyze(uri);
          if (!analyzed?.matchesBuffer) return null;
          const folder = projects.workspaceFolderOf(analyzed.fileName);
          const audit = folder === undefined ? undefined : audits.read(path.resolve(folder, analyzed.settings.auditReport));
          return hoverFor(analyzed, params.position, audit) ?? null;
        },
        'hover',
      );
    });
  });

  connection.onExecuteCommand((params) => executeCommand(ready().workspace, params.command, params.arguments ?? [], useDocumentChanges()));

  // Any other request: ServerNotInitialized before `initialize`, MethodNotFound after.
  connection.onRequest((method) => {
    ready();
    throw new ResponseError(ErrorCodes.MethodNotFound, `blockcheck-lsp does not handle ${method}`);
  });

  connection.onDidChangeWatchedFiles((params) => {
    if (!initialized()) return;
    const { workspace, diagnostics } = ready();
    let fileSetChanged = false;
    let relevant = false;
    // Paths created or deleted. Any of them may be a folder reported alone (its name may even look like a
    // source file's: `chart.js/`), whose files' cached text must go.
    const replacedPaths = new Set<string>();
    let folderReplaced = false;
    for (const change of params.changes) {
      const fileName = uriToFileName(change.uri);
      if (!fileName) continue;
      if (change.type !== FileChangeType.Changed) replacedPaths.add(fileName);
      const base = path.basename(fileName);
      if (isProjectConfig(base)) {
        projects.configChanged(fileName);
      } else if (/^eslint\.config\.[cm]?[jt]s$/.test(base)) {
        workspace.rules.invalidate();
      } else if (base === 'package.json') {
        // Its `type`, `exports` and `types` decide module formats and where imports resolve.
        sources.layoutChanged();
      } else if (isSourceFile(fileName) || isDeclarationFile(fileName)) {
        sources.diskChanged(fileName);
        if (change.type !== FileChangeType.Changed) {
          sources.layoutChanged();
          fileSetChanged = true;
        }
      } else if (change.type === FileChangeType.Created && !folderReplaced && holdsWatchedFiles(fileName)) {
        // A folder moved or copied in.
        folderReplaced = true;
      } else {
        // Seen only by the watcher of any path: it matters only if files read before lay under it (below).
        continue;
      }
      relevant = true;
    }
    if (replacedPaths.size > 0 && sources.forgetUnder(replacedPaths)) folderReplaced = true;
    if (folderReplaced) {
      // Sources a tsconfig includes, imports that did not resolve, package.json files and an ESLint config
      // may have come or gone with it, and no event names them.
      sources.layoutChanged();
      workspace.rules.invalidate();
      fileSetChanged = true;
      relevant = true;
    }
    if (fileSetChanged) projects.fileSetChanged();
    if (relevant) {
      workspace.largeFiles.filesChanged();
      diagnostics.changed();
    }
  });

  connection.onDidChangeConfiguration(() => {
    if (!initialized()) return;
    const { workspace, diagnostics } = ready();
    workspace.settings.invalidate();
    workspace.rules.invalidate();
    // Each open buffer may now run in another mode (on type / on save): hand over its current text.
    void safely('reloading settings', undefined, async () => {
      for (const document of documents.all()) await workspace.syncDocument(document, 'open');
      diagnostics.changed();
    });
  });

  connection.onShutdown(() => {
    projects.dispose();
    workspace?.largeFiles.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
