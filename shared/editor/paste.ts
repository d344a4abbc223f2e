/**
 * Clean-up for HTML pasted from word processors, run before the editor schema parses
 * it. The schema already drops every element, attribute, style and class it does not
 * know (and with them scripts and handlers); this pass fixes what the schema would
 * otherwise misread: Word's lists written as paragraphs with a bullet character, and
 * its empty spacer paragraphs; and it drops link targets that are not web or email
 * addresses.
 *
 * It works on a DOM Document (the browser's when pasting; happy-dom's in the back end)
 * so no HTML is ever assembled from strings.
 */
import { isSafeHref } from './links.ts';

const BULLET = /^[\s\u00a0]*([·•▪◦o§\-–*]|\d{1,3}[.)]|[a-zA-Z][.)])[\s\u00a0]+/;

function isWordListParagraph(el: Element): boolean {
  const cls = el.getAttribute('class') ?? '';
  const style = el.getAttribute('style') ?? '';
  return el.tagName === 'P' && (/MsoListParagraph/i.test(cls) || /mso-list\s*:/i.test(style));
}

function isEmptyParagraph(el: Element): boolean {
  return el.tagName === 'P' && !el.querySelector('img,figure') && (el.textContent ?? '').replace(/[\s\u00a0]/g, '') === '';
}

export function cleanPastedDocument(doc: Document): void {
  const body = doc.body;
  // Office namespace elements (<o:p>) carry nothing but spacing.
  for (const el of [...body.getElementsByTagName('*')]) {
    if (el.tagName.includes(':')) el.replaceWith(...el.childNodes);
  }
  for (const p of [...body.querySelectorAll('p')]) if (isEmptyParagraph(p)) p.remove();
  // A link may point only at the web or an email address; any other href (script,
  // data, a relative path) is dropped here and its text stays as plain words.
  for (const a of [...body.querySelectorAll('a[href]')]) if (!isSafeHref(a.getAttribute('href'))) a.removeAttribute('href');

  // Consecutive Word list paragraphs become one real list.
  let list: HTMLElement | null = null;
  for (const p of [...body.querySelectorAll('p')]) {
    if (!isWordListParagraph(p)) {
      list = null;
      continue;
    }
    // Word writes the bullet as its own run (often in the Symbol font) before the text.
    const marker = p.querySelector('span[style*="Symbol"], span[style*="mso-list"]');
    const text = p.textContent ?? '';
    const ordered = /^[\s\u00a0]*\d{1,3}[.)]/.test(text);
    if (marker && BULLET.test(marker.textContent ?? '')) marker.remove();
    else stripLeadingBullet(p);
    const prev = p.previousElementSibling;
    if (!list || prev !== list) {
      list = doc.createElement(ordered ? 'ol' : 'ul');
      p.before(list);
    }
    const li = doc.createElement('li');
    const para = doc.createElement('p');
    para.append(...p.childNodes);
    li.append(para);
    list.append(li);
    p.remove();
  }
}

function stripLeadingBullet(el: Element): void {
  const walker = el.ownerDocument.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  const first = walker.nextNode();
  if (first && first.textContent) first.textContent = first.textContent.replace(BULLET, '');
}
