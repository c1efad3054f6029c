/**
 * The VS Code client for `blockcheck-lsp`: starts the server over stdio for JS/TS files, pulls diagnostics,
 * and shows the server's `blockcheck/status` (last validation time) in the status bar.
 *
 * Nothing from the workspace runs without consent. In an untrusted workspace, and in a trusted one until the
 * user allows it, the client runs the server bundled with the extension and tells it not to load the
 * workspace's ESLint config (the recommended rules apply). Once the workspace is trusted and the user allows
 * it, the client runs the workspace's own blockcheck (or the machine-scoped `blockcheck.server.path`) and
 * lets it load the ESLint config.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { findWorkspaceServer, holdsWorkspaceCode } from './server-path';
import { WorkspaceConsent } from './workspace-consent';

interface StatusParams {
  uri: string;
  state: 'ok' | 'error';
  durationMs: number;
  findings: number;
  message?: string;
}

/** Which server runs, and whether it may load the workspace's ESLint config. */
interface ServerChoice {
  module: string;
  loadEslintConfig: boolean;
  description: string;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('blockcheck', { log: true });
  const status = vscode.window.createStatusBarItem('blockcheck.status', vscode.StatusBarAlignment.Right, 0);
  status.name = 'blockcheck';
  const consent = new WorkspaceConsent(context.globalState);
  const restart = async () => {
    await stop();
    await start(context, output, status, consent);
  };
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('blockcheck.restartServer', restart),
    vscode.commands.registerCommand('blockcheck.showOutputChannel', () => output.show()),
    vscode.commands.registerCommand('blockcheck.manageWorkspaceCode', async () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showInformationMessage(
          'blockcheck: this workspace is not trusted, so none of its code runs. Trust it first (Workspaces: Manage Workspace Trust).',
        );
        return;
      }
      const choice = await vscode.window.showQuickPick(
        [
          { label: 'Allow', description: "run the workspace's blockcheck and load its ESLint config", consent: 'allowed' as const },
          { label: 'Do Not Allow', description: 'use the bundled blockcheck with the recommended rules', consent: 'denied' as const },
        ],
        { title: "blockcheck: run this workspace's code?" },
      );
      if (!choice) return;
      await consent.set(choice.consent);
      await restart();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('blockcheck.server.path')) void restart();
    }),
  );
  await start(context, output, status, consent);
}

export function deactivate(): Promise<void> {
  return stop();
}

function chooseServer(context: vscode.ExtensionContext, consent: WorkspaceConsent): ServerChoice {
  const bundled = { module: context.asAbsolutePath('out/server/server.mjs'), loadEslintConfig: false };
  if (!vscode.workspace.isTrusted) return { ...bundled, description: 'the bundled server (untrusted workspace: no workspace code runs)' };
  if (consent.get() !== 'allowed') return { ...bundled, description: "the bundled server (the workspace's code is not allowed to run)" };
  // Machine scope: only the user's own settings can set it, never the workspace's.
  const configured = vscode.workspace.getConfiguration('blockcheck').get<string>('server.path', '');
  if (configured !== '') return { module: configured, loadEslintConfig: true, description: `blockcheck.server.path (${configured})` };
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const installed = findWorkspaceServer(folders);
  if (installed) return { module: installed, loadEslintConfig: true, description: `the workspace's blockcheck (${installed})` };
  return { module: bundled.module, loadEslintConfig: true, description: 'the bundled server (no blockcheck installed in the workspace)' };
}

async function start(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  status: vscode.StatusBarItem,
  consent: WorkspaceConsent,
): Promise<void> {
  const choice = chooseServer(context, consent);
  output.info(`blockcheck: running ${choice.description}; workspace ESLint config ${choice.loadEslintConfig ? 'loaded' : 'not loaded'}`);
  const serverOptions: ServerOptions = {
    run: { module: choice.module, transport: TransportKind.stdio },
    debug: { module: choice.module, transport: TransportKind.stdio, options: { execArgv: ['--inspect=6012'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((language) => ({ scheme: 'file', language })),
    diagnosticPullOptions: { onChange: true, onSave: true },
    outputChannel: output,
    initializationOptions: { loadEslintConfig: choice.loadEslintConfig },
  };
  client = new LanguageClient('blockcheck', 'blockcheck', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onNotification('blockcheck/status', (params: StatusParams) => {
      status.text = params.state === 'ok' ? `$(pulse) blockcheck ${params.durationMs} ms` : '$(warning) blockcheck';
      status.tooltip =
        params.state === 'ok'
          ? `${params.findings} finding(s) in ${vscode.workspace.asRelativePath(vscode.Uri.parse(params.uri))}, validated in ${params.durationMs} ms by ${choice.description}`
          : `blockcheck could not analyze ${params.uri}: ${params.message ?? 'unknown error'}`;
      status.command = 'blockcheck.showOutputChannel';
      status.show();
    }),
  );
  await client.start();
  if (
    vscode.workspace.isTrusted &&
    consent.get() === undefined &&
    (vscode.workspace.workspaceFolders ?? []).some((folder) => holdsWorkspaceCode(folder.uri.fsPath))
  ) {
    // Not awaited: the bundled server keeps serving while the question is open.
    void consent.ask().then(async (answer) => {
      if (answer === 'allowed') {
        await stop();
        await start(context, output, status, consent);
      }
    });
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}
