import type { EventName, EventPayload, GalleyClient, Input, OperationName, Output } from '../../../shared/contract.ts';
import { ErrorBody, GalleyError } from '../../../shared/errors.ts';
import { eventSocketProtocols } from '../../../shared/eventSocket.ts';
import './bridge.ts';
import { send, type Reply, type Request } from './send.ts';

/**
 * The renderer's only way to the back end. It does not know which transport it has:
 * the Electron preload bridge when present, otherwise browser mode's HTTP + WebSocket.
 */
export function createClient(): GalleyClient {
  return window.galley ? bridgeClient() : httpClient();
}

function decode(result: unknown): unknown {
  const r = result as { ok?: boolean; value?: unknown; error?: unknown };
  if (r && r.ok === true) return r.value;
  const body = ErrorBody.safeParse(r?.error);
  throw body.success ? GalleyError.fromBody(body.data) : new GalleyError('internal', 'Unexpected answer from the back end');
}

function bridgeClient(): GalleyClient {
  const bridge = window.galley!;
  return {
    async call(name, input) {
      return decode(await bridge.invoke(name, input)) as never;
    },
    subscribe(event, fn) {
      return bridge.subscribe(event, fn as (p: unknown) => void);
    },
  };
}

const TOKEN_KEY = 'galley.token';

/** Reads the launch token from the URL fragment once, then keeps it for reloads of this tab. */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([\w-]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1]!;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** A call that could not reach the back end at all (server stopped, network gone). */
export class Unreachable extends GalleyError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

/** Bytes as base64 for JSON (the server turns {"$bytes": …} back into bytes). */
function encodeBytes(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) {
    let binary = '';
    for (let i = 0; i < value.length; i += 0x8000) binary += String.fromCharCode(...value.subarray(i, i + 0x8000));
    return { $bytes: btoa(binary) };
  }
  return value;
}

/**
 * A request body this long is handed to a worker to send. fetch() copies and encodes its
 * body on the calling thread: about 7 ms for a 20,000-word story's save, which landed on
 * whichever keystroke came next every two seconds while typing. Posting the string to
 * the worker takes about 0.2 ms.
 */
const OFF_THREAD_CHARS = 32_000;
/** undefined: not started yet; null: workers unavailable, send from the window. */
let sender: { worker: Worker; next: number; waiting: Map<number, (reply: Reply | 'resend') => void> } | null | undefined;

function sendOffThread(request: Request): Promise<Reply> {
  if (sender === undefined) {
    try {
      const worker = new Worker(new URL('./sender.worker.ts', import.meta.url), { type: 'module' });
      const current = { worker, next: 1, waiting: new Map<number, (reply: Reply | 'resend') => void>() };
      worker.onmessage = ({ data }: MessageEvent<{ id: number; reply: Reply }>) => {
        const done = current.waiting.get(data.id);
        current.waiting.delete(data.id);
        done?.(data.reply);
      };
      // A worker that cannot start (refused, crashed) sends nothing more: what it held
      // is sent from here, and so is everything after.
      worker.onerror = () => {
        sender = null;
        worker.terminate();
        for (const done of current.waiting.values()) done('resend');
        current.waiting.clear();
      };
      sender = current;
    } catch {
      sender = null;
    }
  }
  if (!sender) return send(request);
  const { worker, waiting } = sender;
  const id = sender.next++;
  return new Promise<Reply | 'resend'>((resolve) => {
    waiting.set(id, resolve);
    worker.postMessage({ id, ...request });
  }).then((reply) => (reply === 'resend' ? send(request) : reply));
}

function httpClient(): GalleyClient {
  const token = takeToken();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;

  const connect = () => {
    if (!token) return;
    const url = new URL('/api/events', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url, eventSocketProtocols(token));
    socket.onopen = () => (retry = 500);
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown };
      listeners.get(event)?.forEach((fn) => fn(payload));
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size) setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  };

  return {
    async call<K extends OperationName>(name: K, input: Input<K>): Promise<Output<K>> {
      if (!token) {
        throw new GalleyError('forbidden', 'This page was opened without its access token. Open the address printed by "npm run web".');
      }
      const body = JSON.stringify(input, encodeBytes);
      const request = { url: new URL(`/api/call/${name}`, window.location.href).href, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body };
      const reply = await (body.length > OFF_THREAD_CHARS ? sendOffThread(request) : send(request));
      if (!reply) {
        throw new Unreachable('Galley’s back end is not answering. Your text is kept in this window; it will be saved when the back end is back.');
      }
      if (reply.status === 401) {
        throw new GalleyError('forbidden', 'This page belongs to an earlier run of Galley. Open the address printed by "npm run web" now.');
      }
      let answer: unknown = null;
      try {
        answer = JSON.parse(reply.text);
      } catch {
        /* named below */
      }
      if (answer === null) throw new Unreachable(`The back end answered ${reply.status} without a readable body.`);
      return decode(answer) as Output<K>;
    },
    subscribe<E extends EventName>(event: E, fn: (payload: EventPayload<E>) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn as (p: unknown) => void);
      if (!socket) connect();
      return () => {
        set.delete(fn as (p: unknown) => void);
        if (!set.size) listeners.delete(event);
      };
    },
  };
}
