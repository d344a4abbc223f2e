import { Fragment, createElement, type ReactNode } from 'react';

/**
 * Shows HTML read-only without ever running or loading anything from it: the markup is
 * parsed by DOMParser (an inert document: no scripts run, nothing is fetched) and
 * rebuilt as React elements from a short list of text elements, keeping no attribute
 * but the few listed. Links do not navigate and photos are named, not loaded (the
 * renderer's CSP would refuse a CMS's address anyway).
 */
const KEEP = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'b', 'i', 'u', 's', 'ul', 'ol', 'li',
  'blockquote', 'figure', 'figcaption', 'br', 'hr', 'span', 'aside', 'code', 'pre', 'sub', 'sup', 'mark', 'div', 'header', 'footer', 'article',
]);
/** Dropped with everything inside: nothing in them is text a reader would see. */
const DROP = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'head', 'title', 'meta', 'link', 'form', 'select', 'textarea', 'button', 'input']);

function rebuild(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  if (DROP.has(tag)) return null;
  const children = Array.from(el.childNodes, (child, i) => rebuild(child, i));
  if (tag === 'img') {
    const alt = el.getAttribute('alt') ?? '';
    return (
      <span key={key} className="preview-photo" role="img" aria-label={alt ? `Photo: ${alt}` : 'Photo'}>
        Photo{alt ? `: ${alt}` : ''}
      </span>
    );
  }
  if (tag === 'a') {
    // Shown as a link would read, with its address as a tooltip; never followed from here.
    return (
      <span key={key} className="preview-link" title={el.getAttribute('href') ?? undefined}>
        {children}
      </span>
    );
  }
  if (!KEEP.has(tag)) return <Fragment key={key}>{children}</Fragment>;
  const className = tag === 'span' || tag === 'aside' || tag === 'p' || tag === 'blockquote' ? (el.getAttribute('class') ?? undefined) : undefined;
  return createElement(tag, { key, className }, ...(tag === 'br' || tag === 'hr' ? [] : children));
}

export function SafeHtml({ html, className }: { html: string; className?: string }) {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  return <div className={className}>{Array.from(body.childNodes, (child, i) => rebuild(child, i))}</div>;
}
