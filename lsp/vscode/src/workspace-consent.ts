/**
 * Whether the user lets blockcheck run this workspace's code: its own blockcheck (node_modules/blockcheck)
 * and its ESLint config, which is JavaScript that runs when loaded. Asked once per set of workspace folders
 * and remembered in the extension's global storage, never in the workspace (whose settings the workspace's
 * author controls). Only asked in a trusted workspace: an untrusted one never runs workspace code.
 */
import * as vscode from 'vscode';

export type Consent = 'allowed' | 'denied' | undefined;

export class WorkspaceConsent {
  constructor(private readonly state: vscode.Memento) {}

  get(): Consent {
    return this.state.get<Consent>(this.key());
  }

  async set(consent: Exclude<Consent, undefined>): Promise<void> {
    await this.state.update(this.key(), consent);
  }

  /** Asks (without blocking anything: the bundled server runs meanwhile); undefined when the user dismissed it. */
  async ask(): Promise<Consent> {
    const allow = 'Allow';
    const deny = 'Do Not Allow';
    const answer = await vscode.window.showWarningMessage(
      "blockcheck: allow this workspace's code to run? blockcheck would run the workspace's own blockcheck " +
        '(node_modules/blockcheck) and load its ESLint config, which runs JavaScript from the workspace. ' +
        'Until you allow it, the blockcheck bundled with the extension runs with the recommended rules.',
      allow,
      deny,
    );
    const consent: Consent = answer === allow ? 'allowed' : answer === deny ? 'denied' : undefined;
    if (consent) await this.set(consent);
    return consent;
  }

  private key(): string {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString()).sort();
    return `blockcheck.workspaceCode:${folders.join('|')}`;
  }
}
