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
