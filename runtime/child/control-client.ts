/**
 * The app process's end of the control socket. It is unref'd: the probe must never keep an app alive
 * (or stop it from exiting) by being connected; but its closing ends the app.
 */
import net from 'node:net';
import type { ChildMessage, ParentMessage } from '../protocol.js';

export interface ControlClient {
  send(message: ChildMessage): void;
}

/** Connects and authenticates with `token` (the first line, before any message). */
export function connectControl(port: number, token: string, onMessage: (message: ParentMessage) => void): ControlClient {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.write(`${token}\n`);
  socket.unref();
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  // The probe owns this process: if the probe dies (even by SIGKILL, with no chance to clean up), the app
  // must not live on as an orphan.
  socket.on('close', () => process.exit(1));
  let buffered = '';
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line) onMessage(JSON.parse(line) as ParentMessage);
    }
  });
  return {
    send(message) {
      socket.write(`${JSON.stringify(message)}\n`);
    },
  };
}
