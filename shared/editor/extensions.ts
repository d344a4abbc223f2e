import type { AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { Figure } from './figure.ts';
import { isBareAddress, isSafeHref } from './links.ts';
import { PullQuote } from './pullQuote.ts';

/**
 * The editor schema, shared by the renderer (editing) and the back end (validating
 * saved JSON; later rendering publishable HTML and search text). Whatever is not in
 * this schema is dropped from pasted HTML by ProseMirror's parser, so nothing pasted
 * can carry script, styles or unknown elements into a document.
 */
export function editorExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      heading: { levels: [2, 3] },
      code: false,
      codeBlock: false,
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ['http', 'https', 'mailto'],
        defaultProtocol: 'https',
        // Asked both of full hrefs (the link form, pasted HTML after cleaning) and of
        // the bare text autolink finds as it is typed, which has no scheme yet.
        isAllowedUri: (url) => isSafeHref(url) || isBareAddress(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
      },
    }),
    PullQuote,
    Figure,
  ];
}
