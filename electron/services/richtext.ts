import { getSchema } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { editorExtensions } from '../../shared/editor/extensions.ts';
import { isSafeHref } from '../../shared/editor/links.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { RichNode } from '../../shared/richtext.ts';

let schema: Schema | undefined;

/** The same ProseMirror schema the editor uses, built once per process. */
export function editorSchema(): Schema {
  schema ??= getSchema(editorExtensions());
  return schema;
}

/**
 * A body arriving from any transport must be a document the editor could have made:
 * known nodes and marks, valid nesting, and only web or mail links. The renderer's
 * editor never produces anything else, so a failure here means a broken or hostile
 * client, and the save is refused rather than stored.
 */
export function checkRichDoc(doc: RichNode, field = 'body'): void {
  try {
    editorSchema().nodeFromJSON(doc).check();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new GalleyError('invalid_input', `${field}: not a document the editor can hold (${why})`, [
      { path: `content.${field}`, message: why },
    ]);
  }
  const walk = (n: RichNode) => {
    for (const m of n.marks ?? []) {
      if (m.type === 'link' && !isSafeHref(m.attrs?.href)) {
        throw new GalleyError('invalid_input', `${field}: links may only use http, https or mailto`, [
          { path: `content.${field}`, message: `Refused link target ${JSON.stringify(String(m.attrs?.href)).slice(0, 80)}` },
        ]);
      }
    }
    n.content?.forEach(walk);
  };
  walk(doc);
}
