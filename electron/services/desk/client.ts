import WebSocket from 'ws';
import { z } from 'zod';
import { DESK_TOKEN_PROTOCOL_PREFIX, DeskEvent, deskContract, type DeskOperationName } from '../../../shared/desk.ts';
import { ErrorBody, GalleyError } from '../../../shared/errors.ts';
import type { DeskCaller } from './types.ts';

const Envelope = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ErrorBody })]);

/** A desk that does not answer within this long is treated as unreachable (the work waits). */
export const DESK_CALL_TIMEOUT_MS = 15_000;

/** The desk's event socket: `close()` ends it; `onClose` is told when it ends for any other reason. */
export type DeskEvents = { close(): void };

export type DeskClient = DeskCaller & {
  events(onEvent: (event: DeskEvent) => void, onClose: (why: string) => void): DeskEvents;
};

export function unreachable(address: string): GalleyError {
  return new GalleyError('unavailable', `The desk at ${address} cannot be reached; your work is kept here and will be sent when it answers.`);
}

export function garbled(address: string): GalleyError {
  return new GalleyError('unavailable', `The desk at ${address} answered something Galley does not understand; your work is kept here. Check the desk address, or that the desk runs the same version of Galley.`);
}

/**
 * The desk over HTTP (shared/desk.ts): every answer is checked against the desk contract
 * before anything acts on it, so a desk that is down, slow or answers garbage becomes
 * one plain 'unavailable' error (the caller keeps the work and tries later), and a
 * desk's own refusal arrives as the GalleyError it sent.
 */
export function deskHttp(address: string, token: () => string | null, options: { timeoutMs?: number } = {}): DeskClient {
  const base = address.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DESK_CALL_TIMEOUT_MS;
  return {
    async call(name, input) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const t = token();
      if (t) headers.authorization = `Bearer ${t}`;
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${base}/api/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(input ?? {}),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        text = await response.text();
      } catch {
        // Refused connection, DNS, TLS, a timeout, a reset mid-answer: all "cannot be reached".
        throw unreachable(base);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        // A proxy's HTML error page, a half answer: a 5xx is the desk being down, anything else garbage.
        throw response.status >= 500 ? unreachable(base) : garbled(base);
      }
      // desk/server.ts answers { ok: true, value } or { ok: false, error }, as web.ts does.
      const envelope = Envelope.safeParse(json);
      if (!envelope.success) throw response.status >= 500 ? unreachable(base) : garbled(base);
      if (!envelope.data.ok) throw GalleyError.fromBody(envelope.data.error);
      if (!response.ok) throw garbled(base);
      const out = deskContract[name as DeskOperationName].output.safeParse(envelope.data.value);
      if (!out.success) throw garbled(base);
      return out.data as never;
    },
    events(onEvent, onClose) {
      const t = token();
      const url = `${base.replace(/^http/, 'ws')}/api/events`;
      // The token travels as the subprotocol, never in the URL (which proxies log).
      const socket = new WebSocket(url, t ? [`${DESK_TOKEN_PROTOCOL_PREFIX}${t}`] : [], { handshakeTimeout: timeoutMs });
      let closed = false;
      const end = (why: string) => {
        if (closed) return;
        closed = true;
        onClose(why);
      };
      socket.on('message', (data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(data));
        } catch {
          return;
        }
        const event = DeskEvent.safeParse(parsed);
        // Something the desk sends that this version does not know is ignored, not acted on.
        if (event.success) onEvent(event.data);
      });
      socket.on('error', () => end('error'));
      socket.on('close', (code) => end(`closed (${code})`));
      socket.on('unexpected-response', (_req, res) => {
        end(`refused (${res.statusCode})`);
        socket.terminate();
      });
      return {
        close() {
          closed = true;
          socket.removeAllListeners('close');
          socket.on('error', () => undefined);
          if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
          else socket.close();
        },
      };
    },
  };
}
