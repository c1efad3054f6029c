/**
 * The host's thread-pool worker class, run as the recommendation's piscina config runs: a piscina pool of
 * N threads (`maxThreads`), each with its own copy of the app. This thread reads each request and runs it
 * as one piscina task; piscina hands the task to an idle thread, or queues it while every thread is busy,
 * so a handler that blocks one thread delays only the request it serves (not a connection's next ones).
 * The task carries the whole request, since the probe cannot cut the blocking function out of the app
 * into the `worker.js` of the printed config: the pool, its sizing and its queueing are piscina's own.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Piscina } from 'piscina';
import type { PooledRequest, PooledResponse } from './thread-pool-worker.js';

/** Headers about one connection, not the message: each hop sets its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

function endToEndHeaders(rawHeaders: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(rawHeaders[i]!.toLowerCase())) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

async function bodyOf(request: http.IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Resolves with the port listened on, once every thread has loaded the app. */
export async function serveThreadPool(modulePath: string, exportName: string, port: number, threads: number): Promise<number> {
  const pool = new Piscina<PooledRequest | null, PooledResponse | null>({
    filename: new URL('./thread-pool-worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: { modulePath, exportName },
  });
  // A thread that fails to load the app fails its tasks: find out before serving, and stop loudly.
  await Promise.all(Array.from({ length: threads }, () => pool.run(null)));

  const server = http.createServer((request, response) => void relay(request, response));
  async function relay(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    try {
      const answer = await pool.run({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        rawHeaders: endToEndHeaders(request.rawHeaders),
        body: await bodyOf(request),
      });
      response.writeHead(answer!.status, endToEndHeaders(answer!.rawHeaders));
      response.end(answer!.body);
    } catch (error) {
      process.stderr.write(`blockcheck host: thread-pool task failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
