import { DOMParser as PMDOMParser, DOMSerializer, Node as PMNode } from '@tiptap/pm/model';
import { cleanPastedDocument } from '../../shared/editor/paste.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { emptyDocument, sharedDocument } from '../dom.ts';
import { editorSchema } from './richtext.ts';

/**
 * HTML in the back end, with the same schema the editor uses: what was approved is
 * what is sent. Rendering goes through ProseMirror's serializer (never string
 * concatenation), so text is always escaped and only the schema's own elements and
 * attributes appear. Parsing uses jsdom (a spec-compliant HTML parser) with scripts
 * off — jsdom runs none unless asked — and whatever the schema does not know is
 * dropped.
 */
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
