// @vitest-environment jsdom
import { Editor } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { editorExtensions } from '../../shared/editor/extensions.ts';
import { typesetTyped } from '../../shared/typography.ts';

/** Types `text` into a plain text box one key at a time, as TextField converts it. */
function typeInBox(text: string, start = ''): string {
  let value = start;
  for (const key of text) {
    value += key;
    value = typesetTyped(value, value.length, key)?.value ?? value;
  }
  return value;
}

/** Types `text` into an editor one key at a time, through its input rules as a browser would. */
function typeInEditor(editor: Editor, text: string) {
  for (const key of text) {
    const { from, to } = editor.state.selection;
    const handled = editor.view.someProp('handleTextInput', (f) => f(editor.view, from, to, key, () => editor.view.state.tr.insertText(key, from, to)));
    if (!handled) editor.view.dispatch(editor.state.tr.insertText(key, from, to));
  }
}

function newEditor() {
  return new Editor({ extensions: editorExtensions(), content: '<p></p>' });
}

describe('typography as a reporter types', () => {
  const cases: [string, string][] = [
    [`"Not yet," she said.`, '\u201cNot yet,\u201d she said.'],
    [`She said "no" twice.`, 'She said \u201cno\u201d twice.'],
    [`He said, 'We don't know.'`, 'He said, \u2018We don\u2019t know.\u2019'],
    [`O'Brien's boat`, 'O\u2019Brien\u2019s boat'],
    [`the '90s and '08`, 'the \u201990s and \u201908'],
    [`rock 'n' roll`, 'rock \u2019n\u2019 roll'],
    [`from 1990--1995`, 'from 1990\u20131995'],
    [`pages 10--12`, 'pages 10\u201312'],
    [`The vote--late again--passed.`, 'The vote\u2014late again\u2014passed.'],
    [`It was late -- very late.`, 'It was late \u2014 very late.'],
    [`And then...`, 'And then\u2026'],
    [`("Yes")`, '(\u201cYes\u201d)'],
    [`"'Go,' he said"`, '\u201c\u2018Go,\u2019 he said\u201d'],
  ];

  it.each(cases)('in a text box: %s', (typed, expected) => {
    expect(typeInBox(typed)).toBe(expected);
  });

  it.each(cases)('in the body: %s', (typed, expected) => {
    const editor = newEditor();
    typeInEditor(editor, typed);
    expect(editor.getText()).toBe(expected);
    editor.destroy();
  });

  it('leaves what tiptap would turn into symbols alone: (c), ->, 1/2, !=', () => {
    expect(typeInBox('(c) 2024 -> 1/2 != 3')).toBe('(c) 2024 -> 1/2 != 3');
  });

  it('leaves web and mail addresses being typed as they are', () => {
    expect(typeInBox('See https://harbor.example/a--b...c')).toBe('See https://harbor.example/a--b...c');
    expect(typeInBox('www.harbor.example/x--y')).toBe('www.harbor.example/x--y');
    expect(typeInBox('mail o--brien@harbor.example')).toBe('mail o\u2014brien@harbor.example');
    expect(typeInBox('then -- after the link')).toBe('then \u2014 after the link');
  });

  it('converts only what is typed: a paste or a deletion keeps straight quotes', () => {
    expect(typesetTyped('"pasted"', 8, '"pasted"')).toBeNull();
    expect(typesetTyped('a "b', 4, '')).toBeNull();
  });

  it('keeps the caret where it was, after the replacement', () => {
    // Typed a quote in the middle of the headline: the caret stays after it.
    const r = typesetTyped('Council "delays vote', 9, '"');
    expect(r).toMatchObject({ value: 'Council \u201cdelays vote', caret: 9 });
    const dots = typesetTyped('Wait... for it', 7, '.');
    expect(dots).toMatchObject({ value: 'Wait\u2026 for it', caret: 5 });
  });

  it('Ctrl+Z right after a replacement gives back only the straight quote; Backspace too', () => {
    const editor = newEditor();
    typeInEditor(editor, 'He said "');
    expect(editor.getText()).toBe('He said \u201c');
    editor.commands.undo();
    expect(editor.getText()).toBe('He said "');
    editor.commands.redo();
    expect(editor.getText()).toBe('He said \u201c');
    typeInEditor(editor, 'so--');
    expect(editor.getText()).toBe('He said \u201cso\u2014');
    editor.commands.undoInputRule();
    expect(editor.getText()).toBe('He said \u201cso--');
    editor.destroy();
  });

  it('is part of the schema the back end uses, and adds nothing to stored documents', () => {
    const editor = newEditor();
    typeInEditor(editor, `"Yes"`);
    expect(editor.getJSON()).toEqual({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '\u201cYes\u201d' }] }] });
    editor.destroy();
  });
});
