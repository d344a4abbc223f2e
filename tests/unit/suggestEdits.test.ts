// @vitest-environment jsdom
import { Editor } from '@tiptap/core';
import { afterEach, describe, expect, it } from 'vitest';
import { editorExtensions } from '../../shared/editor/extensions.ts';
import { acceptAll, hasSuggestions, rejectAll, setSuggesting, SuggestEdits, suggestionsIn } from '../../renderer/src/editor/suggest.ts';

const rosa = { id: 'p-rosa', name: 'Rosa Imbert' };
let editor: Editor;
afterEach(() => editor?.destroy());

function newEditor(content: object) {
  editor = new Editor({ extensions: [...editorExtensions(), SuggestEdits({ author: rosa })], content });
  return editor;
}

const paragraphs = (...texts: string[]) => ({ type: 'doc', content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });

/** Types at the end of paragraph `n` (0-based), one key at a time. */
function typeAtEnd(e: Editor, n: number, text: string) {
  let pos = 0;
  e.state.doc.forEach((node, offset, i) => {
    if (i === n) pos = offset + node.nodeSize - 1;
  });
  e.commands.setTextSelection(pos);
  for (const key of text) {
    const { from, to } = e.state.selection;
    e.view.dispatch(e.state.tr.insertText(key, from, to));
  }
}

const insertionIds = (e: Editor) => {
  const ids: unknown[] = [];
  e.state.doc.descendants((node) => {
    for (const m of node.marks) if (m.type.name === 'insertion' && !ids.includes(m.attrs.id)) ids.push(m.attrs.id);
  });
  return ids;
};

describe('suggesting in the body', () => {
  it('numbers suggestions as the package does, without its walk: one id per run of typing, a new one elsewhere', () => {
    const e = newEditor(paragraphs('Dredging starts in May.', 'It costs millions.', 'Ships wait.'));
    setSuggesting(e, true);
    expect(hasSuggestions(e.state)).toBe(false);
    typeAtEnd(e, 0, ' Maybe');
    expect(hasSuggestions(e.state)).toBe(true);
    typeAtEnd(e, 2, ' Long');
    expect(insertionIds(e)).toEqual([1, 2]);
    typeAtEnd(e, 1, ' x');
    expect(insertionIds(e)).toEqual([1, 3, 2]);
    const list = suggestionsIn(e.state.doc);
    expect(list.map((s) => [s.id, s.text, s.authorNames])).toEqual([
      [1, 'Maybe', ['Rosa Imbert']],
      [3, 'x', ['Rosa Imbert']],
      [2, 'Long', ['Rosa Imbert']],
    ]);
  });

  it('continues from the highest id a loaded story holds, and never reuses one after a suggestion is accepted', () => {
    const who = { authorId: 'p-ada', authorName: 'Ada', time: 1_800_000_000_000 };
    const e = newEditor({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Dredging ' }, { type: 'text', text: 'soon', marks: [{ type: 'insertion', attrs: { id: 7, ...who } }] }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Ships wait.' }] },
      ],
    });
    expect(hasSuggestions(e.state)).toBe(true);
    setSuggesting(e, true);
    typeAtEnd(e, 1, ' Long');
    expect(insertionIds(e)).toEqual([7, 8]);
    acceptAll(e);
    expect(hasSuggestions(e.state)).toBe(false);
    typeAtEnd(e, 1, '!');
    expect(insertionIds(e)).toEqual([9]);
  });

  it('knows when the last suggestion is gone, by rejecting or by deleting the suggested words', () => {
    const e = newEditor(paragraphs('Dredging starts in May.', 'Ships wait.'));
    setSuggesting(e, true);
    typeAtEnd(e, 1, ' Yes');
    expect(hasSuggestions(e.state)).toBe(true);
    rejectAll(e);
    expect(hasSuggestions(e.state)).toBe(false);
    expect(e.state.doc.textContent).toBe('Dredging starts in May.Ships wait.');
    typeAtEnd(e, 0, ' No');
    expect(hasSuggestions(e.state)).toBe(true);
    // Deleting one's own suggested words while suggesting removes them for real.
    const end = e.state.selection.from;
    e.view.dispatch(e.state.tr.delete(end - 3, end));
    expect(e.state.doc.textContent).toBe('Dredging starts in May.Ships wait.');
    expect(hasSuggestions(e.state)).toBe(false);
    // A suggestion pasted in (suggested text copied from elsewhere) is noticed too.
    setSuggesting(e, false);
    const mark = e.state.schema.marks.deletion!.create({ id: 4, authorId: 'p-ada', authorName: 'Ada', time: 1 });
    e.view.dispatch(e.state.tr.insert(1, e.state.schema.text('cut ', [mark])));
    expect(hasSuggestions(e.state)).toBe(true);
    expect(suggestionsIn(e.state.doc).map((s) => [s.id, s.kind])).toEqual([[4, 'deletion']]);
  });
});
