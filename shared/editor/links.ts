/**
 * Links in a story may point only at the web or an email address. Anything else
 * (javascript:, data:, vbscript:, file:) is how pasted content would run code, so it
 * is refused wherever a link enters: the editor, pasted HTML, and the back end.
 */
const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

export function isSafeHref(href: unknown): href is string {
  if (typeof href !== 'string' || href.length === 0 || href.length > 2048) return false;
  // Browsers ignore control characters and whitespace inside a scheme ("java\nscript:"),
  // so judge the URL the way a browser would read it.
  const cleaned = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return false; // relative links mean nothing once the story leaves Galley
  }
  return ALLOWED.has(url.protocol);
}

/**
 * A web or email address written without its scheme ("harbor-board.org/vote",
 * "news@harbor-board.org"), which is how autolink finds addresses as they are typed.
 * Autolink then stores the full address (https://… or mailto:…); this only decides
 * whether it may. HTML never gets this leniency: cleanPastedDocument drops every href
 * that isSafeHref refuses before the schema reads it.
 */
export function isBareAddress(text: unknown): boolean {
  // It starts with a name (a host or a mailbox): never a path like "/agenda".
  if (typeof text !== 'string' || !/^[\p{L}\p{N}]/u.test(text) || /\s/.test(text)) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return false; // has a scheme: isSafeHref judges it
  const email = /^[^@/]+@[^@/]+$/.test(text);
  return isSafeHref(`${email ? 'mailto:' : 'https://'}${text}`);
}
