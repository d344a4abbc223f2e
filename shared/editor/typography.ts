import { Extension, InputRule } from '@tiptap/core';
import { typographyMatch } from '../typography.ts';

/**
 * Curly quotes, apostrophes, dashes and the ellipsis as a person types in any rich
 * text (body, caption, bio): the rules of shared/typography.ts as tiptap input rules,
 * modelled on tiptap's Typography extension (MIT; see that file for why it is ours).
 *
 * Tiptap's input rules dispatch the typed character first and the replacement as a
 * history step of its own, so Ctrl+Z right after a replacement gives back the straight
 * quote (or the two hyphens) and Backspace does the same (undoInputRule, in the core
 * keymap). They do not run inside code (a code node or mark) nor while composing.
 */
export const Typography = Extension.create({
  name: 'galleyTypography',
  addInputRules() {
    return [
      new InputRule({
        // The match runs from the replaced text to the caret: the handler's range
        // starts where the replacement does.
        find: (textBefore) => {
          const match = typographyMatch(textBefore);
          return match ? { index: match.from, text: textBefore.slice(match.from), data: { insert: match.insert, length: match.to - match.from } } : null;
        },
        handler: ({ state, range, match }) => {
          const { insert, length } = match.data as { insert: string; length: number };
          state.tr.insertText(insert, range.from, range.from + length);
        },
      }),
    ];
  },
});
