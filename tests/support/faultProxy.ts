import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy between an adapter and a real CMS that misbehaves on request, so
 * tests see what a flaky network does to a publish: faults are queued and each is
 * used once, by the first request that matches it (method and/or a substring of the
 * path and query); requests no fault matches pass through untouched.
 *
 * - dropBeforeForward: close the connection; the CMS never sees the request.
 * - dropAfterForward: let the CMS do the work, then close without answering.
 * - delay: hold the request `ms` (longer than the client's timeout), then forward
 *   it anyway, so the work may still happen after the client gave up.
 * - status: answer `status` (500, 503, 429…) with an optional Retry-After, without forwarding.
 * - truncate: forward, send the CMS's headers and only the first `bytes` of its body, then close.
 * - stripAuthorization: forward without the Authorization header (a misconfigured web server).
 */

export type FaultKind = 'dropBeforeForward' | 'dropAfterForward' | 'delay' | 'status' | 'truncate' | 'stripAuthorization';

export type Fault = {
  kind: FaultKind;
  /** Only a request with this method (e.g. 'POST'). */
  method?: string;
  /** Only a request whose path+query contains this (e.g. '/wp/v2/media', URL-decoded). */
  path?: string;
  /** delay: how long to hold the request. */
  ms?: number;
  /** status: what to answer (default 503). */
  status?: number;
  /** status: the Retry-After header, e.g. '7'. */
  retryAfter?: string;
  /** truncate: how many body bytes to let through (default: half). */
  bytes?: number;
};

export type ProxiedRequest = { method: string; path: string; fault: FaultKind | null; status: number | null };

export type FaultProxy = {
  url: string;
  /** Faults still waiting for a request; push more at any time. */
  faults: Fault[];
  /** Every request the proxy received, in order. */
  requests: ProxiedRequest[];
  /** Resolves when every forwarded (also delayed) request has been answered by the CMS. */
  settled(): Promise<void>;
  close(): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path) {
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // keep the raw path
    }
    if (!decoded.includes(fault.path) && !path.includes(fault.path)) return false;
  }
  return true;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const faults: Fault[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const pending = new Set<Promise<unknown>>();

  /** Sends the request to the CMS and reads its whole answer. */
  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port || 80,
          method,
          path,
          // Host as the CMS knows itself; nothing else is rewritten.
          headers: { ...headers, host: upstream.host, connection: 'close', 'content-length': String(body.length) },
        },
        (incoming: IncomingMessage) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks) }));
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.add(promise);
    void promise.catch(() => undefined).finally(() => pending.delete(promise));
    return promise;
  };

  const answer = (res: ServerResponse, result: { status: number; headers: IncomingHttpHeaders; body: Buffer }) => {
    const headers = { ...result.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    headers['content-length'] = String(result.body.length);
    res.writeHead(result.status, headers);
    res.end(result.body);
  };

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const index = faults.findIndex((fault) => matches(fault, method, path));
    const fault = index >= 0 ? faults.splice(index, 1)[0]! : null;
    const entry: ProxiedRequest = { method, path, fault: fault?.kind ?? null, status: null };
    requests.push(entry);

    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers };
      const handle = async () => {
        switch (fault?.kind) {
          case 'dropBeforeForward':
            req.socket.destroy();
            return;
          case 'status': {
            const status = fault.status ?? 503;
            entry.status = status;
            const text = JSON.stringify({ code: 'fault_proxy', message: `Injected ${status} by the test proxy`, data: { status } });
            res.writeHead(status, {
              'content-type': 'application/json; charset=UTF-8',
              'content-length': String(Buffer.byteLength(text)),
              ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
            });
            res.end(text);
            return;
          }
          case 'delay':
            await sleep(fault.ms ?? 2000);
            break;
          case 'stripAuthorization':
            delete headers.authorization;
            break;
          default:
            break;
        }
        const result = await track(forward(method, path, headers, body));
        entry.status = result.status;
        if (fault?.kind === 'dropAfterForward') {
          req.socket.destroy();
          return;
        }
        if (fault?.kind === 'truncate') {
          const headersOut = { ...result.headers };
          delete headersOut['transfer-encoding'];
          delete headersOut.connection;
          headersOut['content-length'] = String(result.body.length);
          res.writeHead(result.status, headersOut);
          const keep = Math.min(fault.bytes ?? Math.floor(result.body.length / 2), Math.max(0, result.body.length - 1));
          res.write(result.body.subarray(0, keep), () => setTimeout(() => req.socket.destroy(), 20));
          return;
        }
        if (req.socket.destroyed) return; // the client gave up (delay)
        answer(res, result);
      };
      handle().catch((error: Error) => {
        if (!res.headersSent && !req.socket.destroyed) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`fault proxy: ${error.message}`);
        }
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    async settled() {
      // A delayed request is forwarded only after its sleep; wait for it to be in flight too.
      for (let i = 0; i < 200; i++) {
        if (pending.size === 0 && !requests.some((r) => r.fault === 'delay' && r.status === null)) return;
        await Promise.allSettled([...pending]);
        if (pending.size === 0) await sleep(25);
      }
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
