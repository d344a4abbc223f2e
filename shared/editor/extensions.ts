import { flattenExtensions, type AnyExtension, type Attribute, type Mark, type Node } from '@tiptap/core';
import StarterKit, { type StarterKitOptions } from '@tiptap/starter-kit';
import { Figure } from './figure.ts';
import { isBareAddress, isSafeHref } from './links.ts';
import { PullQuote } from './pullQuote.ts';
import { Deletion, Insertion, Modification, SUGGESTION_MARK_LIST } from './suggestions.ts';
import { Typography } from './typography.ts';

const LINK: StarterKitOptions['link'] = {
  openOnClick: false,
  autolink: true,
  protocols: ['http', 'https', 'mailto'],
  defaultProtocol: 'https',
  // Asked both of full hrefs (the link form, pasted HTML after cleaning) and of
  // the bare text autolink finds as it is typed, which has no scheme yet.
  isAllowedUri: (url) => isSafeHref(url) || isBareAddress(url),
  // Every link Galley renders (the editor, the CMS's HTML) gets this rel and no target.
  HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
};

/**
 * The starter kit's link, holding nothing but its address. Its own rel, target, class
 * and title attributes came from pasted HTML and were rendered as given, so a pasted
 * rel="opener" reached the published page (reverse tabnabbing): a link's rel is
 * Galley's decision (LINK above), never the document's. Without the attributes in the
 * schema, ProseMirror drops them wherever a document is read (paste, JSON, the back
 * end's normaliser). Taken from the kit rather than imported: the link extension is
 * the kit's dependency, not ours.
 */
function galleyLink(): AnyExtension {
  const link = flattenExtensions([StarterKit.configure({ link: LINK })]).find((e) => e.name === 'link') as Mark;
  return link.extend({
    addAttributes() {
      const inherited = (this.parent?.() ?? {}) as Record<string, Attribute>;
      return { href: inherited.href ?? { default: null } };
    },
  });
}

/**
 * The editor schema, shared by the renderer (editing) and the back end (validating
 * saved JSON; later rendering publishable HTML and search text). Whatever is not in
 * this schema is dropped from pasted HTML by ProseMirror's parser, so nothing pasted
 * can carry script, styles or unknown elements into a document.
 */
export function editorExtensions(): AnyExtension[] {
  return [
    ...allowingBlockSuggestions(
      StarterKit.configure({
        heading: { levels: [2, 3] },
        code: false,
        codeBlock: false,
        link: false,
      }),
    ),
    galleyLink(),
    PullQuote.extend({ marks: `bold italic ${SUGGESTION_MARK_LIST}` }),
    Figure,
    Insertion,
    Deletion,
    Modification,
    Typography,
  ];
}

/** The nodes that hold blocks: a whole paragraph, list item or figure inside them can be suggested. */
const BLOCK_CONTAINERS = new Set(['doc', 'blockquote', 'bulletList', 'orderedList', 'listItem']);

/**
 * A suggested new paragraph (or a cut one) carries its suggestion mark on the block
 * itself, so the node holding it must allow those marks (ProseMirror allows no marks
 * on blocks by default). The kit's own extensions, in the kit's order, with that one change.
 */
function allowingBlockSuggestions(kit: AnyExtension): AnyExtension[] {
  // flattenExtensions lists each bundle (the kit, a keymap with parts) before its
  // parts; keep the kit's direct parts only, or tiptap would add the nested ones twice.
  const all = flattenExtensions([kit]);
  const nested = new Set(all.filter((e) => e !== kit).flatMap((e) => flattenExtensions([e]).slice(1).map((n) => n.name)));
  return all.filter((e) => e !== kit && !nested.has(e.name)).map((e) => (BLOCK_CONTAINERS.has(e.name) && e.type === 'node' ? (e as Node).extend({ marks: SUGGESTION_MARK_LIST }) : e));
}
