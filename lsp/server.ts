#!/usr/bin/env node
/**
 * `blockcheck-lsp`: the blockcheck language server. Talks LSP over stdio (`--stdio`), Node IPC (`--node-ipc`),
 * a socket (`--socket=<port>`) or a named pipe (`--pipe=<name>`).
 */
import { Console } from 'node:console';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { TOOL_VERSION } from '../engine/package-info.js';
import { installExitGuard } from './server/exit-guard.js';
import { FramingRepair } from './server/framing.js';
import { describeTypeScript, useClassicTypeScript } from '../engine/typescript-runtime.js';

const USAGE = 'Usage: blockcheck-lsp --stdio | --node-ipc | --socket=<port> | --pipe=<name>';
const args = process.argv.slice(2);

if (args.includes('--version')) {
  process.stdout.write(`${TOOL_VERSION}\n`);
} else if (args.includes('--help')) {
  process.stdout.write(`${USAGE}\n`);
} else if (!args.some((arg) => /^--(stdio|node-ipc|socket|pipe)(=|$)/.test(arg))) {
  process.stderr.write(`blockcheck-lsp: no transport given. ${USAGE}\n`);
  process.exitCode = 2;
} else {
  installExitGuard();
  // Before anything imports 'typescript': in a project on TypeScript 7 the server runs on blockcheck's own 6.
  const typescript = useClassicTypeScript();
  const connection = connect();
  // A bug in one request must not take down the editor's diagnostics: log it in one line and keep serving.
  process.on('uncaughtException', (error) => connection.console.error(`blockcheck: internal error: ${error.message.split('\n')[0]}`));
  process.on('unhandledRejection', (reason) =>
    connection.console.error(`blockcheck: internal error: ${(reason instanceof Error ? reason.message : String(reason)).split('\n')[0]}`),
  );
  connection.console.info(`blockcheck: ${describeTypeScript(typescript)}`);
  const { startLanguageServer } = await import('./server/language-server.js');
  startLanguageServer(connection);
}

function connect(): Connection {
  if (!args.includes('--stdio')) return createConnection(ProposedFeatures.all);
  // stdout carries the protocol: whatever the server or code it loads prints goes to stderr instead, which
  // editors show in the server's log (the library does the same only when it opens stdio itself).
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  const input = process.stdin.pipe(new FramingRepair((message) => process.stderr.write(`${message}\n`)));
  return createConnection(ProposedFeatures.all, input, process.stdout);
}
