import { DOMSerializer, Node as PMNode } from '@tiptap/pm/model';
import type { RichNode } from '../../shared/richtext.ts';
import { sharedDocument } from '../dom.ts';
import { editorSchema } from './richtext.ts';

/**
 * The HTML a CMS receives: the approved revision's body rendered with the editor
 * schema (so text is escaped and only the schema's elements appear), then each
 * figure filled in from its caption document: `<figure><img><figcaption>caption
 * <span class="credit">…</span></figcaption></figure>`. Semantic, no inline styles,
 * nothing executable; the figure's Galley-only attributes are removed.
 */
export type FigureFill = {
  src: string;
  alt: string;
  width: number;
  height: number;
  /** The caption document's text as HTML (rendered with the schema). */
  captionHtml: string;
  /** A caption override for every use (each figure's own override wins). */
  override: string | null;
  creditLine: string;
};

export function renderPublishHtml(body: RichNode, figures: Map<string, FigureFill>): string {
  const schema = editorSchema();
  const document = sharedDocument();
  const wrap = document.createElement('div');
  DOMSerializer.fromSchema(schema).serializeFragment(PMNode.fromJSON(schema, body).content, { document }, wrap);
  for (const figure of Array.from(wrap.querySelectorAll('figure[data-caption-id]'))) {
    const fill = figures.get(figure.getAttribute('data-caption-id') ?? '');
    if (!fill) {
      // A figure whose caption is gone: the pre-publish checks refuse this, but never send an empty box.
      figure.remove();
      continue;
    }
    // The per-use override travels on the figure itself (the schema renders it as a marked figcaption).
    const override = figure.querySelector('figcaption[data-override]')?.textContent || fill.override;
    figure.replaceChildren();
    for (const name of Array.from(figure.getAttributeNames())) figure.removeAttribute(name);
    const img = document.createElement('img');
    if (fill.src) img.setAttribute('src', fill.src);
    img.setAttribute('alt', fill.alt);
    if (fill.width) img.setAttribute('width', String(fill.width));
    if (fill.height) img.setAttribute('height', String(fill.height));
    const caption = document.createElement('figcaption');
    if (override) caption.textContent = override;
    else {
      // The caption's own HTML comes from the same schema serializer: its paragraphs'
      // inline content is kept, the paragraph wrappers are not (figcaption is phrasing).
      const tmp = document.createElement('div');
      tmp.innerHTML = fill.captionHtml;
      const parts = Array.from(tmp.querySelectorAll('p')).map((p) => p.innerHTML);
      caption.innerHTML = (parts.length ? parts : [tmp.innerHTML]).join(' ');
    }
    if (fill.creditLine) {
      const credit = document.createElement('span');
      credit.className = 'credit';
      credit.textContent = fill.creditLine;
      if (caption.textContent) caption.append(' ');
      caption.append(credit);
    }
    figure.append(img, caption);
  }
  return wrap.innerHTML;
}
