import type { Node as PMNode } from '@tiptap/pm/model';
import type { RichNode } from '../../../shared/richtext.ts';

/**
 * ProseMirror nodes are immutable and an edit keeps every untouched node, so a
 * top-level block's JSON is made once per node. A save then hands the save loop the
 * same object for each block that did not change: it serializes and sends only the
 * blocks typed in (shared/workingDelta.ts), instead of the whole story every second.
 */
const blockJson = new WeakMap<PMNode, RichNode>();

/** The same JSON as doc.toJSON() (editor.getJSON()), reusing the blocks made before. */
export function bodyJson(doc: PMNode): RichNode {
  const content: RichNode[] = [];
  doc.forEach((block) => {
    let json = blockJson.get(block);
    if (!json) blockJson.set(block, (json = block.toJSON() as RichNode));
    content.push(json);
  });
  const json: RichNode = { type: doc.type.name };
  if (Object.keys(doc.attrs).length) json.attrs = doc.attrs;
  if (content.length) json.content = content;
  return json;
}
