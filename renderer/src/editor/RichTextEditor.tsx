import type { Editor } from '@tiptap/core';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { useEffect } from 'react';
import { editorExtensions } from '../../../shared/editor/extensions.ts';
import type { RichNode } from '../../../shared/richtext.ts';

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

type Props = {
  label: string;
  initial: RichNode;
  editable: boolean;
  /** Called on every change; read the JSON lazily (editor.getJSON()) off the typing path. */
  onChange: (editor: Editor) => void;
  onReady?: (editor: Editor) => void;
};

export function RichTextEditor({ label, initial, editable, onChange, onReady }: Props) {
  const editor = useEditor({
    extensions: editorExtensions(),
    content: initial,
    editable,
    // Tiptap would inject a <style> element, which the CSP refuses; styles.css has it.
    injectCSS: false,
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    editorProps: {
      attributes: { role: 'textbox', 'aria-label': label, 'aria-multiline': 'true', class: 'rich-text', spellcheck: 'true' },
    },
    onUpdate: ({ editor: e }) => onChange(e),
  });

  useEffect(() => {
    if (editor) onReady?.(editor);
  }, [editor, onReady]);

  return (
    <div className="rich-editor">
      {editable && <Toolbar editor={editor} label={label} />}
      <EditorContent editor={editor} />
    </div>
  );
}

function Toolbar({ editor, label }: { editor: Editor; label: string }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      heading: e.isActive('heading'),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
    }),
  });
  const tools = [
    { name: 'Bold', keys: `${MOD}B`, on: active.bold, run: () => editor.chain().focus().toggleBold().run(), glyph: 'B' },
    { name: 'Italic', keys: `${MOD}I`, on: active.italic, run: () => editor.chain().focus().toggleItalic().run(), glyph: 'I' },
    {
      name: 'Heading',
      keys: `${MOD}Alt+2`,
      on: active.heading,
      run: () => editor.chain().focus().toggleHeading({ level: 2 }).run(),
      glyph: 'H',
    },
    {
      name: 'Bulleted list',
      keys: `${MOD}Shift+8`,
      on: active.bullet,
      run: () => editor.chain().focus().toggleBulletList().run(),
      glyph: '•',
    },
    {
      name: 'Numbered list',
      keys: `${MOD}Shift+7`,
      on: active.ordered,
      run: () => editor.chain().focus().toggleOrderedList().run(),
      glyph: '1.',
    },
  ];
  return (
    <div role="toolbar" aria-label={`${label} formatting`} className="toolbar">
      {tools.map((t) => (
        <button
          key={t.name}
          type="button"
          aria-label={t.name}
          title={`${t.name} (${t.keys})`}
          aria-pressed={t.on}
          onMouseDown={(e) => e.preventDefault()}
          onClick={t.run}
        >
          {t.glyph}
        </button>
      ))}
    </div>
  );
}
