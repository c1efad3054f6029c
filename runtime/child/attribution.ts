/**
 * Request attribution in the app's process: the `request` emit of every http.Server runs inside an
 * AsyncLocalStorage context, so a timed call anywhere in the request's continuations knows its request.
 * Callbacks the request's context does not reach (the socket's 'data' and 'end' events, where a body parser
 * runs) are the request's through its socket, until its response finishes. Each synchronous stretch is
 * timed by the stretch log (`stretches.ts`).
 * Lifetimes come from diagnostics_channel, which sees the response finish whatever the framework.
 */
import { AsyncLocalStorage, executionAsyncResource } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestRecord } from '../protocol.js';
import { installStretchLog, type StretchLog } from './stretches.js';

const MAX_REQUESTS = 200_000;
// Held at module level: a channel only lives as long as someone references it.
const responseFinish = diagnosticsChannel.channel('http.server.response.finish');

export interface RequestLog {
  requests: RequestRecord[];
  stretchLog: StretchLog;
  currentRequestId: () => number | null;
  /** Forget what was recorded so far (start of a measurement window). */
  reset(): void;
  /** Resolves once no request is open: each was answered, or its connection closed. */
  whenIdle(): Promise<void>;
}

/** The socket (or its handle) an HTTP callback's async resource stands for: the parser's resource names it. */
function socketOf(resource: object): object {
  return (resource as { socket?: object }).socket ?? resource;
}

/** `thresholdMs`: a shorter stretch holds no block, so its run-queue wait is not read (a system call). */
export function installRequestAttribution(thresholdMs: number): RequestLog {
  const storage = new AsyncLocalStorage<RequestRecord>();
  /** The request whose response is pending on a socket, keyed by the socket and by its handle. */
  const bySocket = new WeakMap<object, RequestRecord>();
  const stretchLog = installStretchLog(thresholdMs, () => storage.getStore() ?? bySocket.get(socketOf(executionAsyncResource())) ?? null);
  let requests: RequestRecord[] = [];
  let nextId = 1;
  const byResponse = new WeakMap<ServerResponse, RequestRecord>();
  let open = 0;
  const idleWaiters: Array<() => void> = [];

  // eslint-disable-next-line @typescript-eslint/unbound-method -- called back with each server as `this` (Reflect.apply below)
  const originalEmit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithAttribution(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event !== 'request') return Reflect.apply(originalEmit, this, [event, ...args]) as boolean;
    const [req, res] = args as [IncomingMessage, ServerResponse];
    const record: RequestRecord = {
      id: nextId++,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      startMs: performance.now(),
      endMs: null,
      status: null,
      busyMs: 0,
      busyRunQueueMs: 0,
    };
    if (requests.length < MAX_REQUESTS) requests.push(record);
    byResponse.set(res, record);
    const socket = req.socket as unknown as { _handle?: object } | null;
    if (socket) bySocket.set(socket, record);
    if (socket?._handle) bySocket.set(socket._handle, record);
    stretchLog.enter(record);
    open++;
    // 'close' comes after the response is sent, or when the client went away first (a load cut at its cap).
    res.once('close', () => {
      if (--open > 0) return;
      for (const resolve of idleWaiters.splice(0)) resolve();
    });
    try {
      return storage.run(record, () => Reflect.apply(originalEmit, this, [event, ...args]) as boolean);
    } finally {
      stretchLog.exit(record);
    }
  } as typeof originalEmit;

  responseFinish.subscribe((message) => {
    const { response } = message as { response: ServerResponse };
    const record = byResponse.get(response);
    if (!record) return;
    record.endMs = performance.now();
    record.status = response.statusCode;
    // Later reads on the socket are the next request's (keep-alive), not this one's.
    const socket = response.socket as unknown as { _handle?: object } | null;
    if (socket && bySocket.get(socket) === record) bySocket.delete(socket);
    if (socket?._handle && bySocket.get(socket._handle) === record) bySocket.delete(socket._handle);
  });

  return {
    get requests() {
      return requests;
    },
    stretchLog,
    currentRequestId: () => storage.getStore()?.id ?? null,
    reset() {
      requests = [];
      stretchLog.reset();
    },
    async whenIdle() {
      // Idle once no request is open after a whole turn of the loop: a request a client sent before it went
      // away may still sit unread in its socket, to be read (and opened) by the next poll.
      for (;;) {
        if (open > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (open === 0) return;
      }
    },
  };
}
