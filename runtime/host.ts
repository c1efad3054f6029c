/**
 * The reference runtime's process entry, the Node analogue of gunicorn's worker classes. It imports an
 * app module and serves its export on 127.0.0.1 as:
 *   event-loop             this process, one event loop;
 *   cluster --workers N    N node:cluster worker processes sharing the port;
 *   thread-pool --workers N  N worker threads, each with its own event loop and a copy of the app; this
 *                          thread accepts connections and relays each one's bytes to a thread.
 *
 *   node dist/runtime/host.js --module <file> --export <name> --port <n> --worker-class cluster --workers 4
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadAppServer } from './host-app.js';
import { serveThreadPool } from './thread-pool.js';

async function listen(modulePath: string, exportName: string, port: number): Promise<void> {
  const server = await loadAppServer(modulePath, exportName);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
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
      return listen(values.module, values.export, port);
    case 'cluster':
      if (cluster.isPrimary) {
        for (let i = 0; i < workers; i++) cluster.fork();
        // A worker that dies takes part of the capacity with it: stop loudly rather than serve degraded.
        cluster.on('exit', (worker, code, signal) => {
          process.stderr.write(`blockcheck host: cluster worker ${worker.process.pid} exited (${signal ?? `code ${code}`})\n`);
          process.exit(1);
        });
        return;
      }
      return listen(values.module, values.export, port);
    case 'thread-pool':
      return serveThreadPool(values.module, values.export, port, workers);
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

main().catch((error: Error) => {
  process.stderr.write(`blockcheck host: ${error.message}\n`);
  process.exit(1);
});
