/**
 * How browser mode's event socket carries the launch token: as a WebSocket subprotocol
 * (the Sec-WebSocket-Protocol header), never in the URL. A URL's query is part of the
 * request line, which proxies, servers and browser tooling log; the README promises the
 * token never travels there. The server answers with EVENT_SOCKET_PROTOCOL alone, so
 * the token is not echoed back either.
 */
export const EVENT_SOCKET_PROTOCOL = 'galley.events';
const TOKEN_PREFIX = 'galley.token.';

/** The subprotocols a client offers: the real one, and the token (base64url is a valid header token). */
export function eventSocketProtocols(token: string): string[] {
  return [EVENT_SOCKET_PROTOCOL, `${TOKEN_PREFIX}${token}`];
}

/** The token a client offered, if any. */
export function tokenFromProtocols(offered: Iterable<string>): string | undefined {
  for (const p of offered) if (p.startsWith(TOKEN_PREFIX)) return p.slice(TOKEN_PREFIX.length);
  return undefined;
}
