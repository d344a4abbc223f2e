// Bundled by the editor benchmark into a page of its own: tiptap with StarterKit and
// nothing else, the reference point for what Galley's editor adds.
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';

const w = window as unknown as { __paragraphs: string[]; __editor: Editor };
const element = document.getElementById('bare')!;
w.__editor = new Editor({
  element,
  extensions: [StarterKit],
  content: { type: 'doc', content: w.__paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) },
});
