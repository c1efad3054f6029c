/**
 * The host's thread-pool worker class. Node cannot hand a socket to another thread, so this thread
 * accepts the connections and relays their bytes: each connection is given to one worker thread
 * (round-robin), where an in-memory socket feeds the app's own http.Server. A thread blocked by a
 * handler only delays the connections it owns.
 */
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import type { WorkerMessage } from './thread-pool-worker.js';

/** Resolves with the port listened on. */
export async function serveThreadPool(modulePath: string, exportName: string, port: number, threads: number): Promise<number> {
  const sockets = new Map<number, net.Socket>();
  const workers = await Promise.all(
    Array.from({ length: threads }, async () => {
      const worker = new Worker(new URL('./thread-pool-worker.js', import.meta.url), { workerData: { modulePath, exportName } });
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') return;
        const socket = sockets.get(message.id);
        if (!socket) return;
        if (message.type === 'data') socket.write(message.chunk);
        else socket.end();
      });
      // A thread that fails to load the app or crashes takes its share of the capacity: stop loudly.
      worker.on('error', (error: Error) => {
        process.stderr.write(`blockcheck host: thread-pool worker failed: ${error.stack ?? error.message}\n`);
        process.exit(1);
      });
      await new Promise<void>((resolve) => worker.once('message', () => resolve()));
      return worker;
    }),
  );

  let nextId = 1;
  const server = net.createServer((socket) => {
    const id = nextId++;
    const worker = workers[id % workers.length]!;
    sockets.set(id, socket);
    worker.postMessage({ type: 'open', id });
    socket.on('data', (chunk) => worker.postMessage({ type: 'data', id, chunk }));
    socket.on('end', () => worker.postMessage({ type: 'end', id }));
    socket.on('close', () => {
      sockets.delete(id);
      worker.postMessage({ type: 'close', id });
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}
