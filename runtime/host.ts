/**
 * The reference runtime's process entry, the Node analogue of gunicorn's worker classes. It imports an
 * app module and serves its export on 127.0.0.1 as:
 *   event-loop             this process, one event loop;
 *   cluster --workers N    N node:cluster worker processes sharing the port;
 *   thread-pool --workers N  a piscina pool of N threads, each with a copy of the app; this thread reads
 *                          each request and runs it as a piscina task on an idle thread.
 *
 *   node dist/runtime/host.js --module <file> --export <name> --port <n> --worker-class cluster --workers 4
 */
import cluster from 'node:cluster';
import { closeSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { loadAppServer } from './host-app.js';
import { serveThreadPool } from './thread-pool.js';
import { PORT_FD_ENV } from './protocol.js';

/** The pipe the runtime reads the port from (the host's fd 3); only this process has it, not the app's workers. */
const PORT_FD = process.env[PORT_FD_ENV] === undefined ? null : Number(process.env[PORT_FD_ENV]);
// eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- process.env is the environment, not a map we could replace
delete process.env[PORT_FD_ENV];

/**
 * Tells the runtime the port it listens on: with --port 0 the system picks a free one when the app binds,
 * so no other process can take it between a choice and the bind.
 */
function announce(port: number): void {
  if (PORT_FD === null) return;
  writeSync(PORT_FD, `${port}\n`);
  closeSync(PORT_FD);
}

async function listen(modulePath: string, exportName: string, port: number): Promise<number> {
  const server = await loadAppServer(modulePath, exportName);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  return (server.address() as AddressInfo).port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      module: { type: 'string' },
      export: { type: 'string', default: 'default' },
      port: { type: 'string' },
      'worker-class': { type: 'string', default: 'event-loop' },
      workers: { type: 'string', default: '1' },
    },
  });
  if (!values.module || !values.port) throw new Error('host: --module and --port are required');
  const workers = Math.max(1, Number(values.workers));
  const port = Number(values.port);
  switch (values['worker-class']) {
    case 'event-loop':
      announce(await listen(values.module, values.export, port));
      return;
    case 'cluster':
      if (cluster.isPrimary) {
        // Workers that listen on port 0 share one port that the primary picks. The primary hands connections
        // only to workers that listen, so announcing at the first would send the first load to fewer workers
        // than asked (and keep-alive clients stay bound to them): announce once every worker listens.
        let listening = 0;
        cluster.on('listening', (_worker, address) => {
          if (++listening === workers) announce(address.port);
        });
        for (let i = 0; i < workers; i++) cluster.fork();
        // A worker that dies takes part of the capacity with it: stop loudly rather than serve degraded.
        cluster.on('exit', (worker, code, signal: string | null) => {
          process.stderr.write(`blockcheck host: cluster worker ${worker.process.pid} exited (${signal ?? `code ${code}`})\n`);
          process.exit(1);
        });
        return;
      }
      await listen(values.module, values.export, port);
      return;
    case 'thread-pool':
      announce(await serveThreadPool(values.module, values.export, port, workers));
      return;
    default:
      throw new Error(`unknown worker class "${values['worker-class']}": use event-loop, cluster or thread-pool`);
  }
}

// The runtime that started this host (or the cluster primary, for a worker) may die without cleaning
// up; a host whose parent changed is an orphan, and ends itself.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(1);
}, 500).unref();

main().catch((error: unknown) => {
  process.stderr.write(`blockcheck host: ${(error as Error).message}\n`);
  process.exit(1);
});
