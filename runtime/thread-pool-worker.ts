/**
 * One thread of the host's piscina pool: loads its own copy of the app and serves each task (one whole
 * request) through the app's own http.Server, over an in-memory connection, so the app parses and answers
 * it exactly as it would a socket's.
 */
import http from 'node:http';
import { Duplex } from 'node:stream';
import { workerData } from 'piscina';
import { loadAppServer } from './host-app.js';

export interface PooledRequest {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Uint8Array;
}

export interface PooledResponse {
  status: number;
  rawHeaders: string[];
  body: Uint8Array;
}

const { modulePath, exportName } = workerData as { modulePath: string; exportName: string };
const server = await loadAppServer(modulePath, exportName);

/** The parts of net.Socket that http's server and client call on their connections. */
function asSocket(stream: Duplex): Duplex {
  return Object.assign(stream, {
    remoteAddress: '127.0.0.1',
    remotePort: 0,
    encrypted: false,
    setTimeout: () => stream,
    setNoDelay: () => stream,
    setKeepAlive: () => stream,
    ref: () => stream,
    unref: () => stream,
  });
}

/** Two connected in-memory sockets: what one writes, the other reads. */
function socketPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  for (let side = 0; side < 2; side++) {
    ends.push(
      asSocket(
        new Duplex({
          read() {},
          write(chunk: Buffer, _encoding, callback) {
            ends[1 - side]!.push(chunk);
            callback();
          },
          final(callback) {
            ends[1 - side]!.push(null);
            callback();
          },
        }),
      ),
    );
  }
  return [ends[0]!, ends[1]!];
}

/** The task: `null` only checks that the app loaded (the pool's start-up). */
export default async function serveRequest(request: PooledRequest | null): Promise<PooledResponse | null> {
  if (request === null) return null;
  const [client, served] = socketPair();
  server.emit('connection', served);
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ method: request.method, path: request.url, headers: request.rawHeaders, createConnection: () => client });
    outgoing.once('error', reject);
    outgoing.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () => {
        resolve({ status: response.statusCode ?? 500, rawHeaders: response.rawHeaders, body: Buffer.concat(chunks) });
        served.destroy();
        client.destroy();
      });
    });
    outgoing.end(request.body);
  });
}
