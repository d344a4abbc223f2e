import { DOMParser as PMDOMParser, DOMSerializer, Node as PMNode } from '@tiptap/pm/model';
import { JSDOM } from 'jsdom';
import { cleanPastedDocument } from '../../shared/editor/paste.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { editorSchema } from './richtext.ts';

/**
 * HTML in the back end, with the same schema the editor uses: what was approved is
 * what is sent. Rendering goes through ProseMirror's serializer (never string
 * concatenation), so text is always escaped and only the schema's own elements and
 * attributes appear. Parsing uses jsdom (a spec-compliant HTML parser) with scripts
 * off — jsdom runs none unless asked — and whatever the schema does not know is
 * dropped.
 */
function emptyDocument(html = ''): Document {
  return new JSDOM(html).window.document;
}

/**
 * One document for rendering, made once: building a jsdom window costs tens of
 * milliseconds, and rendering only creates detached elements in it, so it is safe to
 * share (the back end is single-threaded).
 */
let renderDocument: Document | null = null;
export function sharedDocument(): Document {
  renderDocument ??= emptyDocument();
  return renderDocument;
}

export function renderHtml(body: RichNode): string {
  const schema = editorSchema();
  const document = sharedDocument();
  const wrap = document.createElement('div');
  DOMSerializer.fromSchema(schema).serializeFragment(PMNode.fromJSON(schema, body).content, { document }, wrap);
  return wrap.innerHTML;
}

export function parseHtml(html: string): RichNode {
  const document = emptyDocument(html);
  cleanPastedDocument(document);
  return PMDOMParser.fromSchema(editorSchema()).parse(document.body).toJSON() as RichNode;
}
