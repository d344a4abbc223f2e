import { getSchema } from '@tiptap/core';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { editorExtensions } from '../../shared/editor/extensions.ts';
import { isSafeHref } from '../../shared/editor/links.ts';
import { isSuggestionMark, SuggestionAttrs } from '../../shared/editor/suggestions.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { RichNode } from '../../shared/richtext.ts';

let schema: Schema | undefined;

/** The same ProseMirror schema the editor uses, built once per process. */
export function editorSchema(): Schema {
  schema ??= getSchema(editorExtensions());
  return schema;
}

function refuse(field: string, message: string, detail: string): never {
  throw new GalleyError('invalid_input', `${field}: ${message}`, [{ path: `content.${field}`, message: detail }]);
}

/** An attribute is text, a number, true/false or nothing: never an object to be rendered. */
const plainValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Checks what the schema does not (link targets, attribute values) on the JSON as
 * sent, and says whether it holds any attribute the schema does not declare, i.e.
 * whether the stored body must be the schema's rebuilt copy rather than the JSON
 * itself. The editor's own saves never do, and rebuilding a long story's JSON on
 * every save cost about a third more than checking it (600 paragraphs: ~90 ms against
 * ~65 ms, median of 40, on a busy 2-core machine).
 */
function checkJson(doc: RichNode, field: string): boolean {
  const s = editorSchema();
  let undeclared = false;
  const walk = (n: RichNode) => {
    const type = s.nodes[n.type];
    for (const [name, value] of Object.entries(n.attrs ?? {})) {
      if (!type?.spec.attrs || !(name in type.spec.attrs)) undeclared = true;
      else if (!plainValue(value)) refuse(field, `a ${n.type}'s ${name} must be text or a number`, `Refused ${n.type}.${name}`);
    }
    for (const m of n.marks ?? []) {
      // A suggestion says who proposed it and when, and nothing else (no markup, no script to render).
      if (isSuggestionMark(m.type) && !SuggestionAttrs[m.type].safeParse(m.attrs ?? {}).success) {
        refuse(field, `a ${m.type} suggestion must carry its id, author and time, and nothing else`, `Refused ${m.type} attributes`);
      }
      const markType = s.marks[m.type];
      for (const [name, value] of Object.entries(m.attrs ?? {})) {
        if (!markType?.spec.attrs || !(name in markType.spec.attrs)) undeclared = true;
        else if (!plainValue(value)) refuse(field, `a ${m.type} mark's ${name} must be text or a number`, `Refused ${m.type}.${name}`);
      }
      if (m.type === 'link' && !isSafeHref(m.attrs?.href)) {
        refuse(field, 'links may only use http, https or mailto', `Refused link target ${JSON.stringify(String(m.attrs?.href)).slice(0, 80)}`);
      }
    }
    n.content?.forEach(walk);
  };
  walk(doc);
  return undeclared;
}

/**
 * A body as Galley stores it, whichever way it arrived (a save from any transport, a
 * restore, a new document, an import): rebuilt through the editor schema, so only the
 * schema's own attributes survive — a link keeps its address and nothing else (its
 * rel is Galley's, added when it is rendered), an onclick or a class is gone.
 *
 * What the schema does not know at all is refused, not dropped: an unknown node or
 * mark holds text or formatting a person made, and storing the body without it would
 * show as saved what was not. The editor never sends one, so a refusal means a broken
 * or hostile client. Likewise invalid nesting, and links other than web or mail.
 */
export function normaliseRichDoc(doc: RichNode, field = 'body'): RichNode {
  let node: PMNode;
  try {
    node = editorSchema().nodeFromJSON(doc);
    node.check();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    refuse(field, `not a document the editor can hold (${why})`, why);
  }
  return checkJson(doc, field) ? (node.toJSON() as RichNode) : doc;
}
