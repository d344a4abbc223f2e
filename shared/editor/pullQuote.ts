import { Node, mergeAttributes } from '@tiptap/core';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    pullQuote: {
      /** Turns the current paragraph into a pull quote, or back. */
      togglePullQuote: () => ReturnType;
    };
  }
}

/**
 * A pull quote: display text lifted from the story, with its attribution, rendered as
 * <aside class="pull-quote"><blockquote>…</blockquote><cite>…</cite></aside>. Its own
 * node (not a styled blockquote) so the CMS and the copy desk can tell them apart.
 */
export const PullQuote = Node.create({
  name: 'pullQuote',
  group: 'block',
  content: 'inline*',
  marks: 'bold italic',
  defining: true,

  addAttributes() {
    return {
      attribution: {
        default: '',
        parseHTML: (el) => el.querySelector('cite')?.textContent?.trim() ?? '',
        renderHTML: () => ({}),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'aside.pull-quote', contentElement: 'blockquote' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const attribution = String(node.attrs.attribution ?? '');
    return [
      'aside',
      mergeAttributes(HTMLAttributes, { class: 'pull-quote' }),
      ['blockquote', 0],
      ...(attribution ? [['cite', {}, attribution]] : []),
    ] as never;
  },

  addCommands() {
    return {
      togglePullQuote:
        () =>
        ({ commands }) =>
          commands.toggleNode(this.name, 'paragraph'),
    };
  },

  addKeyboardShortcuts() {
    return { 'Mod-Alt-q': () => this.editor.commands.togglePullQuote() };
  },
});
