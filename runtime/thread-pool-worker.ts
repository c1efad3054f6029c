/**
 * A thread of the host's thread pool: loads its own copy of the app and serves the connections the main
 * thread relays to it, each through an in-memory duplex the app's http.Server sees as a socket.
 */
import { Duplex } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { loadAppServer } from './host-app.js';

export type WorkerMessage = { type: 'ready' } | { type: 'data'; id: number; chunk: Uint8Array } | { type: 'end'; id: number };

type MainMessage = { type: 'open' | 'end' | 'close'; id: number } | { type: 'data'; id: number; chunk: Uint8Array };

const port = parentPort!;
const { modulePath, exportName } = workerData as { modulePath: string; exportName: string };
const server = await loadAppServer(modulePath, exportName);
const connections = new Map<number, Duplex>();

/** An in-memory socket: what the app writes goes back to the main thread, what the client sent is pushed in. */
function relaySocket(id: number): Duplex {
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      port.postMessage({ type: 'data', id, chunk } satisfies WorkerMessage);
      callback();
    },
    final(callback) {
      port.postMessage({ type: 'end', id } satisfies WorkerMessage);
      callback();
    },
  });
  // The parts of net.Socket that http.Server calls on its connections.
  Object.assign(socket, {
    remoteAddress: '127.0.0.1',
    remotePort: 0,
    encrypted: false,
    setTimeout: () => socket,
    setNoDelay: () => socket,
    setKeepAlive: () => socket,
    ref: () => socket,
    unref: () => socket,
  });
  return socket;
}

port.on('message', (message: MainMessage) => {
  if (message.type === 'open') {
    const socket = relaySocket(message.id);
    connections.set(message.id, socket);
    server.emit('connection', socket);
    return;
  }
  const socket = connections.get(message.id);
  if (!socket) return;
  if (message.type === 'data') socket.push(Buffer.from(message.chunk));
  else if (message.type === 'end') socket.push(null);
  else {
    connections.delete(message.id);
    socket.destroy();
  }
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
