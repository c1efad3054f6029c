/**
 * The probe's end of the control socket: a 127.0.0.1 server the preloaded app connects to on its first
 * listen, authenticated by a random token (its first line, checked before anything is parsed) so a stray
 * process can neither pose as the app nor crash the probe.
 */
import net from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChildMessage, ParentMessage } from './protocol.js';

type Hello = Extract<ChildMessage, { type: 'hello' }>;

export interface ControlServer {
  port: number;
  token: string;
  /** Resolves with the app's hello once it listens. */
  hello: Promise<Hello>;
  /** Sends a command and resolves with the next message of type `reply`; rejects if the app disconnects. */
  request<T extends ChildMessage['type']>(command: ParentMessage, reply: T): Promise<Extract<ChildMessage, { type: T }>>;
  close(): void;
}

function sameToken(line: string, token: string): boolean {
  const given = Buffer.from(line);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startControlServer(): Promise<ControlServer> {
  const token = randomBytes(16).toString('hex');
  let socket: net.Socket | null = null;
  let resolveHello!: (hello: Hello) => void;
  const hello = new Promise<Hello>((resolve) => (resolveHello = resolve));
  const waiting: Array<{ type: string; resolve: (message: ChildMessage) => void; reject: (error: Error) => void }> = [];

  const server = net.createServer((connection) => {
    connection.setEncoding('utf8');
    let buffered = '';
    let authenticated = false;
    connection.on('data', (chunk: string) => {
      buffered += chunk;
      // Nothing from a connection is parsed before its first line proves it holds the token: a stray
      // local process gets no further than a string comparison, however much it sends.
      if (!authenticated && buffered.length > token.length + 1 && buffered.indexOf('\n') < 0) {
        connection.destroy();
        return;
      }
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!authenticated) {
          if (socket || !sameToken(line, token)) {
            connection.destroy();
            return;
          }
          authenticated = true;
          socket = connection;
          continue;
        }
        let message: ChildMessage;
        try {
          message = JSON.parse(line) as ChildMessage;
        } catch {
          continue; // Not ours to crash on: the probe waits for the replies it needs, or times out.
        }
        if (message.type === 'hello') {
          resolveHello(message);
          continue;
        }
        const index = waiting.findIndex((wait) => wait.type === message.type);
        if (index >= 0) waiting.splice(index, 1)[0]!.resolve(message);
      }
    });
    connection.on('error', () => {});
    connection.on('close', () => {
      if (connection !== socket) return;
      for (const wait of waiting.splice(0)) wait.reject(new Error('the app closed the control connection'));
    });
  });
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    token,
    hello,
    request(command, reply) {
      return new Promise((resolve, reject) => {
        if (!socket || socket.destroyed) {
          reject(new Error('the app is not connected'));
          return;
        }
        waiting.push({ type: reply, resolve: resolve as (message: ChildMessage) => void, reject });
        socket.write(`${JSON.stringify(command)}\n`);
      });
    },
    close() {
      socket?.destroy();
      server.close();
    },
  };
}
