// Bundled by the editor benchmark into a page of its own: the same StarterKit editor
// as bareTiptap.ts, hosted the way Galley hosts its editor (a React root, tiptap's
// useEditor and EditorContent, a toolbar reading editor state), with nothing of
// Galley's. What React and tiptap's React bindings cost a keystroke, apart from
// anything Galley adds.
import StarterKit from '@tiptap/starter-kit';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';

const w = window as unknown as { __paragraphs: string[] };
const content = { type: 'doc', content: w.__paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) };

function Editor() {
  const editor = useEditor({ extensions: [StarterKit], content, immediatelyRender: true, shouldRerenderOnTransaction: false });
  const bold = useEditorState({ editor, selector: ({ editor: e }) => e.isActive('bold') });
  return h('div', null, h('div', { role: 'toolbar', 'aria-label': 'Formatting' }, h('button', { type: 'button', 'aria-pressed': bold, onClick: () => editor.chain().focus().toggleBold().run() }, 'Bold')), h(EditorContent, { editor }));
}

createRoot(document.getElementById('bare')!).render(h(Editor));
