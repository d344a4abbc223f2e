import { JSDOM } from 'jsdom';

/**
 * HTML in the back end without a browser. jsdom runs no scripts and loads no
 * resources unless asked, so markup from anywhere (pasted, imported, read back from a
 * CMS) can be parsed safely. Building a jsdom window costs tens of milliseconds, so
 * work that only needs detached elements (rendering, cleaning, reading text) shares
 * one document; the back end is single-threaded, so nothing else uses it meanwhile.
 */
export function emptyDocument(html = ''): Document {
  return new JSDOM(html).window.document;
}

let shared: Document | null = null;
export function sharedDocument(): Document {
  shared ??= emptyDocument();
  return shared;
}

/** Parses an HTML fragment into a detached template (its scripts inert). */
export function parseFragment(html: string): DocumentFragment {
  const template = sharedDocument().createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** The text a person reads in some HTML: entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  return (parseFragment(html).textContent ?? '').replace(/\s+/g, ' ').trim();
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
