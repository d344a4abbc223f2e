import { Node, mergeAttributes } from '@tiptap/core';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    figure: {
      /** Inserts a figure that shows the photo and caption of a caption document. */
      insertFigure: (attrs: { captionId: string }) => ReturnType;
    };
  }
}

/**
 * A photo in the body. It refers to a caption document (the photo desk's) by id rather
 * than copying it, so when the photo desk edits the caption or credit every article
 * using the photo shows the change. A per-use override of the caption text is allowed
 * and kept on the figure, marked as such.
 *
 * The stored HTML carries only the reference and any override; the editor's node view
 * and the back end's publishing renderer fill in the photo, caption and credit.
 */
export const Figure = Node.create({
  name: 'figure',
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      captionId: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-caption-id'),
        renderHTML: (attrs) => (attrs.captionId ? { 'data-caption-id': String(attrs.captionId) } : {}),
      },
      captionOverride: {
        default: null,
        parseHTML: (el) => el.querySelector('figcaption[data-override]')?.textContent ?? null,
        renderHTML: () => ({}),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'figure[data-caption-id]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const override = node.attrs.captionOverride as string | null;
    return [
      'figure',
      mergeAttributes(HTMLAttributes, { class: 'figure' }),
      ...(override ? [['figcaption', { 'data-override': 'true' }, override]] : []),
    ] as never;
  },

  addCommands() {
    return {
      insertFigure:
        (attrs) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { captionId: attrs.captionId, captionOverride: null } }),
    };
  },
});
