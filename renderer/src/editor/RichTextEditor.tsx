import type { Editor } from '@tiptap/core';
import { redoDepth, undoDepth } from '@tiptap/pm/history';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { isSafeHref } from '../../../shared/editor/links.ts';
import { cleanPastedDocument } from '../../../shared/editor/paste.ts';
import type { RichNode } from '../../../shared/richtext.ts';
import { InsertPhotoDialog } from '../assets/InsertPhotoDialog.tsx';
import { CommentAnchors } from './comments.ts';
import { HouseStyle, type StyleHolder } from './houseStyle.ts';
import { NumberedListIcon } from './NumberedListIcon.tsx';
import { holdLayoutBoundary } from './layoutBoundary.ts';
import { warmUpAutolink } from './autolinkWarmUp.ts';
import { OffscreenBlocks } from './offscreen.ts';
import { scrollingProps } from './scrolling.ts';
import { readSelectionNow, syncSelectionBeforeEdit } from './keySelection.ts';
import { rendererExtensions } from './nodeViews.tsx';
import { SuggestEdits, type SuggestAuthor, type SuggestHolder } from './suggest.ts';
import { SuggestionsPanel, SuggestToggle } from './SuggestionsPanel.tsx';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = MAC ? '⌘' : 'Ctrl+';
/** Tiptap's "delete" events (nothing here listens) diff every transaction's steps. One
 * object for every render: useEditor compares options by identity. */
const CORE_EXTENSIONS = { delete: false } as const;

type Props = {
  label: string;
  initial: RichNode;
  editable: boolean;
  /** The article body gets the full toolbar (quotes, photos); captions and bios a short one. */
  full?: boolean;
  /** Called on every change; read the JSON lazily (editor.getJSON()) off the typing path. */
  onChange: (editor: Editor) => void;
  onReady?: (editor: Editor) => void;
  /** House style: the rules to run and where to report findings. */
  style?: StyleHolder;
  /** Suggested edits (an article's body): who is writing, and whether they may switch to suggesting (editors). */
  suggest?: SuggestAuthor & { mayToggle: boolean };
};

/**
 * Pasted HTML is parsed by the browser into an inert document (nothing in it runs),
 * cleaned of word-processor debris, then parsed again by the editor schema, which
 * keeps only what it knows.
 */
function transformPastedHTML(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  cleanPastedDocument(doc);
  return doc.body.innerHTML;
}

export function RichTextEditor({ label, initial, editable, full = false, onChange, onReady, style, suggest }: Props) {
  // Every option keeps its identity between renders. useEditor compares them on each
  // render and, when any differs, calls setOptions — a full view update that also
  // writes ProseMirror's selection back to the DOM. With fresh extension objects that
  // ran on every keystroke (the parent re-renders its counts), costing time and, when
  // it landed between a keystroke and ProseMirror reading it, moving the caret.
  const suggestHolder = useRef<SuggestHolder>({ author: null }).current;
  suggestHolder.author = suggest ? { id: suggest.id, name: suggest.name } : null;
  const suggesting = !!suggest;
  const extensions = useMemo(
    () => [...rendererExtensions(), CommentAnchors, OffscreenBlocks, ...(style ? [HouseStyle(style)] : []), ...(suggesting ? [SuggestEdits(suggestHolder)] : [])],
    [style, suggesting, suggestHolder],
  );
  const editorProps = useMemo(
    () => ({
      attributes: { role: 'textbox', 'aria-label': label, 'aria-multiline': 'true', class: 'rich-text', spellcheck: 'true' },
      transformPastedHTML,
      // Props run before every plugin's keys: the keymaps then see the caret where it is.
      handleKeyDown: syncSelectionBeforeEdit,
      ...scrollingProps(document),
    }),
    [label],
  );
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const editor = useEditor({
    extensions,
    content: initial,
    editable,
    // Tiptap would inject a <style> element, which the CSP refuses; styles.css has it.
    injectCSS: false,
    enableCoreExtensions: CORE_EXTENSIONS,
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    editorProps,
    onUpdate: ({ editor: e }) => onChangeRef.current(e),
  });

  // Before the first paint, so the form below never shows at the wrong height.
  const frameRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => (frameRef.current ? holdLayoutBoundary(frameRef.current) : undefined), []);

  useEffect(() => {
    if (editor) onReady?.(editor);
  }, [editor, onReady]);
  useEffect(() => {
    // No update event: turning read-only (someone else holds the lock) or editable again
    // changes nothing typed, and as an update it sent a save that nobody typed.
    if (editor && editor.isEditable !== editable) editor.setEditable(editable, false);
  }, [editor, editable]);
  useEffect(() => {
    if (!editor) return;
    warmUpAutolink();
    // After tiptap's own destroy handlers (the link extension's resets linkify); the
    // editor drops its listeners when destroyed, so this one is never removed.
    editor.on('destroy', warmUpAutolink);
  }, [editor]);

  return (
    <div className="rich-editor">
      {editable && <Toolbar editor={editor} label={label} full={full} mayToggleSuggest={!!suggest?.mayToggle} />}
      <div className="editor-frame" ref={frameRef}>
        <EditorContent editor={editor} />
      </div>
      {suggest && <SuggestionsPanel editor={editor} editable={editable} />}
    </div>
  );
}

type Tool = { name: string; keys?: string; on?: boolean; run: () => void; glyph: ReactNode; disabled?: boolean };

function Toolbar({ editor, label, full, mayToggleSuggest }: { editor: Editor; label: string; full: boolean; mayToggleSuggest: boolean }) {
  const [linkOpen, setLinkOpen] = useState(false);
  const [photoOpen, setPhotoOpen] = useState(false);
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      strike: e.isActive('strike'),
      link: e.isActive('link'),
      heading: e.isActive('heading'),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      pull: e.isActive('pullQuote'),
      // Depth lookups are constant-time; can().undo() would dry-run a command per keystroke.
      canUndo: undoDepth(e.state) > 0,
      canRedo: redoDepth(e.state) > 0,
    }),
  });
  const chain = () => editor.chain().focus();
  // A selection made with the keyboard reaches ProseMirror on the browser's next
  // selectionchange; a click on Link can come first. Read the DOM selection now.
  const openLink = () => {
    readSelectionNow(editor.view);
    setLinkOpen((v) => !v);
  };
  const tools: Tool[] = [
    { name: 'Bold', keys: `${MOD}B`, on: active.bold, run: () => chain().toggleBold().run(), glyph: 'B' },
    { name: 'Italic', keys: `${MOD}I`, on: active.italic, run: () => chain().toggleItalic().run(), glyph: 'I' },
    { name: 'Underline', keys: `${MOD}U`, on: active.underline, run: () => chain().toggleUnderline().run(), glyph: 'U' },
    { name: 'Strikethrough', keys: `${MOD}Shift+S`, on: active.strike, run: () => chain().toggleStrike().run(), glyph: 'S' },
    { name: 'Link', keys: `${MOD}K`, on: active.link, run: () => openLink(), glyph: 'Link' },
  ];
  if (full) {
    tools.push(
      { name: 'Heading', keys: `${MOD}Alt+2`, on: active.heading, run: () => chain().toggleHeading({ level: 2 }).run(), glyph: 'H' },
      { name: 'Bulleted list', keys: `${MOD}Shift+8`, on: active.bullet, run: () => chain().toggleBulletList().run(), glyph: '•' },
      { name: 'Numbered list', keys: `${MOD}Shift+7`, on: active.ordered, run: () => chain().toggleOrderedList().run(), glyph: <NumberedListIcon /> },
      { name: 'Quote', keys: `${MOD}Shift+B`, on: active.quote, run: () => chain().toggleBlockquote().run(), glyph: '❝' },
      { name: 'Pull quote', keys: `${MOD}Alt+Q`, on: active.pull, run: () => chain().togglePullQuote().run(), glyph: '❞' },
      { name: 'Insert photo', keys: `${MOD}Alt+P`, run: () => setPhotoOpen(true), glyph: 'Photo' },
    );
  }
  tools.push(
    { name: 'Undo', keys: `${MOD}Z`, run: () => chain().undo().run(), glyph: '↶', disabled: !active.canUndo },
    { name: 'Redo', keys: MAC ? '⌘Shift+Z' : 'Ctrl+Y', run: () => chain().redo().run(), glyph: '↷', disabled: !active.canRedo },
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!editor.isFocused || !(e.ctrlKey || e.metaKey)) return;
      if (e.key.toLowerCase() === 'k' && !e.shiftKey && !e.altKey) {
        e.preventDefault();
        readSelectionNow(editor.view);
        setLinkOpen(true);
      } else if (full && e.altKey && e.code === 'KeyP') {
        e.preventDefault();
        setPhotoOpen(true);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [editor, full]);

  return (
    <>
      <div role="toolbar" aria-label={`${label} formatting`} className="toolbar">
        {tools.map((t) => (
          <button
            key={t.name}
            type="button"
            aria-label={t.name}
            title={t.keys ? `${t.name} (${t.keys})` : t.name}
            aria-keyshortcuts={t.keys?.replace('⌘', 'Meta+').replace('Ctrl+', 'Control+')}
            aria-pressed={t.on === undefined ? undefined : t.on}
            disabled={t.disabled}
            onMouseDown={(e) => e.preventDefault()}
            onClick={t.run}
          >
            {t.glyph}
          </button>
        ))}
        {mayToggleSuggest && <SuggestToggle editor={editor} />}
      </div>
      {linkOpen && <LinkForm editor={editor} onDone={() => setLinkOpen(false)} />}
      {photoOpen && (
        <InsertPhotoDialog
          onClose={() => setPhotoOpen(false)}
          onPick={(captionId) => {
            setPhotoOpen(false);
            chain().insertFigure({ captionId }).run();
          }}
        />
      )}
    </>
  );
}

/** Link address for the selection: web and mail links only (the schema refuses others). */
function LinkForm({ editor, onDone }: { editor: Editor; onDone: () => void }) {
  const [href, setHref] = useState(String(editor.getAttributes('link').href ?? ''));
  const [error, setError] = useState<string | null>(null);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const value = /^[\w.+-]+@[\w-]+\.[\w.-]+$/.test(href.trim()) ? `mailto:${href.trim()}` : href.trim();
    if (!isSafeHref(value)) {
      setError('Use a web address (https://…) or an email address.');
      return;
    }
    editor.chain().focus().extendMarkRange('link').setLink({ href: value }).run();
    onDone();
  };
  return (
    <form className="link-form" onSubmit={apply}>
      <label>
        Link address
        <input value={href} onChange={(e) => setHref(e.target.value)} placeholder="https://" autoFocus />
      </label>
      <button type="submit">Apply link</button>
      {editor.isActive('link') && (
        <button
          type="button"
          onClick={() => {
            editor.chain().focus().extendMarkRange('link').unsetLink().run();
            onDone();
          }}
        >
          Remove link
        </button>
      )}
      <button type="button" className="secondary" onClick={onDone}>
        Cancel
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </form>
  );
}
