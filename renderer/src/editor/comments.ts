import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { CommentAnchor } from '../../../shared/comments.ts';

type State = { anchors: CommentAnchor[]; decorations: DecorationSet };
export const commentsKey = new PluginKey<State>('comments');

/**
 * Comment anchors live beside the document, not in it (a comment is not content and
 * must not make an approval stale). Every edit maps them; an anchor whose text is
 * deleted collapses and is marked detached, and the comment stays.
 */
export const CommentAnchors = Extension.create({
  name: 'commentAnchors',
  addProseMirrorPlugins() {
    const decorate = (doc: Parameters<typeof DecorationSet.create>[0], anchors: CommentAnchor[]) =>
      DecorationSet.create(
        doc,
        anchors
          .filter((a) => !a.detached && a.to > a.from && a.to <= doc.content.size)
          .map((a) => Decoration.inline(a.from, a.to, { class: 'comment-anchor', 'data-comment': a.id })),
      );
    return [
      new Plugin<State>({
        key: commentsKey,
        state: {
          init: (_config, state) => ({ anchors: [], decorations: DecorationSet.empty }),
          apply: (tr, value, _old, state) => {
            const set = tr.getMeta(commentsKey) as CommentAnchor[] | undefined;
            if (set) return { anchors: set, decorations: decorate(state.doc, set) };
            if (!tr.docChanged || !value.anchors.length) return value;
            const anchors = value.anchors.map((a) => {
              if (a.detached) return a;
              // Typing at either edge stays outside the comment.
              const from = tr.mapping.map(a.from, 1);
              const to = tr.mapping.map(a.to, -1);
              return to <= from ? { ...a, from, to: from, detached: true } : { ...a, from, to };
            });
            return { anchors, decorations: value.decorations.map(tr.mapping, tr.doc) };
          },
        },
        props: { decorations: (state) => commentsKey.getState(state)?.decorations },
      }),
    ];
  },
});
