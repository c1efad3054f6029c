import type { Diagnostic } from 'vscode-languageserver-protocol';

/** A diagnostic's message as text: LSP 3.18 lets a server send markup, whose text is its `value`. */
export function messageText(diagnostic: Diagnostic | undefined): string {
  const message = diagnostic?.message ?? '';
  return typeof message === 'string' ? message : message.value;
}
