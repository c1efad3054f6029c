/**
 * The VS Code client for `blockcheck-lsp`: starts the server over stdio for JS/TS files, pulls diagnostics,
 * and shows the server's `blockcheck/status` (last validation time) in the status bar.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { findServer } from './server-path';

interface StatusParams {
  uri: string;
  state: 'ok' | 'error';
  durationMs: number;
  findings: number;
  message?: string;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 0);
  status.name = 'blockcheck';
  context.subscriptions.push(status);
  context.subscriptions.push(
    vscode.commands.registerCommand('blockcheck.restartServer', async () => {
      await stop();
      await start(context, status);
    }),
  );
  await start(context, status);
}

export function deactivate(): Promise<void> {
  return stop();
}

async function start(context: vscode.ExtensionContext, status: vscode.StatusBarItem): Promise<void> {
  const configured = vscode.workspace.getConfiguration('blockcheck').get<string>('server.path', '');
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const server = findServer(configured, folders);
  if (!server) {
    void vscode.window.showWarningMessage(
      configured !== ''
        ? `blockcheck: blockcheck.server.path (${configured}) does not exist.`
        : 'blockcheck: install blockcheck in the workspace (npm install --save-dev blockcheck) or set blockcheck.server.path.',
    );
    return;
  }
  const serverOptions: ServerOptions = {
    run: { module: server, transport: TransportKind.stdio },
    debug: { module: server, transport: TransportKind.stdio, options: { execArgv: ['--inspect=6012'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((language) => ({ scheme: 'file', language })),
    diagnosticPullOptions: { onChange: true, onSave: true },
  };
  client = new LanguageClient('blockcheck', 'blockcheck', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onNotification('blockcheck/status', (params: StatusParams) => {
      status.text = params.state === 'ok' ? `$(pulse) blockcheck ${params.durationMs} ms` : '$(warning) blockcheck';
      status.tooltip =
        params.state === 'ok'
          ? `${params.findings} finding(s) in ${vscode.workspace.asRelativePath(vscode.Uri.parse(params.uri))}, validated in ${params.durationMs} ms`
          : `blockcheck could not analyse ${params.uri}: ${params.message ?? 'unknown error'}`;
      status.show();
    }),
  );
  await client.start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}
