/** blockcheck's own LSP messages (beyond the standard protocol), shared with the VS Code client by name. */
import { NotificationType } from 'vscode-languageserver';

export interface StatusParams {
  uri: string;
  state: 'ok' | 'error';
  /** Time from request to findings, including the TypeScript program update. */
  durationMs: number;
  findings: number;
  message?: string;
}

/** Sent after every validation: how long it took and what it found (the client shows it in the status bar). */
export const StatusNotification = new NotificationType<StatusParams>('blockcheck/status');

export const Commands = {
  applyFix: 'blockcheck.applyFix',
  showDocumentation: 'blockcheck.showDocumentation',
} as const;
