import { Extension } from '@tiptap/core';
import type { EditorState } from '@tiptap/pm/state';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

const offscreenKey = new PluginKey<DecorationSet>('offscreen');

/** The class that keeps a block rendered; every other top-level block may be skipped. */
const CARET_BLOCK_CLASS = 'caret-block';

/**
 * Long stories type faster when Chromium skips the layout and paint of body blocks far
 * off screen (`content-visibility: auto` in styles.css): about a quarter of every
 * keystroke's cost in the 20,000-word benchmark story.
 *
 * But Chromium decides what is on screen only at its next frame, and a block it has not
 * yet decided about is treated as skipped. A paragraph just made by Enter was such a
 * block, and Chromium put the caret in the wrong place inside it: typing fast came out
 * scrambled ("ine 12 ends here.L"). So the blocks the selection touches, and one on
 * either side (where Enter, Backspace or an arrow key takes the caret next), are marked
 * to always render. The mark is part of the same transaction as the edit that moves the
 * caret, so a new paragraph is born rendered.
 *
 * Keys the browser itself uses to move the caret far (Ctrl+Home/End, Page Up/Down and
 * the Mac's equivalents) would land it in a skipped block, where Chromium computes the
 * wrong place (Ctrl+End went to the start of the last paragraph). For those, the whole
 * story renders until the caret has settled and its block is marked: one full layout
 * per jump, never per typed character.
 */
export const OffscreenBlocks = Extension.create({
  name: 'offscreenBlocks',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: offscreenKey,
        state: {
          init: (_config, state) => caretBlocks(state),
          apply: (tr, previous: DecorationSet, _old, state) => (tr.docChanged || tr.selectionSet ? caretBlocks(state) : previous),
        },
        props: {
          decorations: (state) => offscreenKey.getState(state),
          handleKeyDown: (view, event) => {
            if (jumpsFar(event)) renderAllFor(view.dom as HTMLElement);
            return false;
          },
        },
      }),
    ];
  },
});

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Keys with which the browser moves the caret more than a block away. */
function jumpsFar(event: KeyboardEvent): boolean {
  if (event.key === 'PageUp' || event.key === 'PageDown') return true;
  if ((event.key === 'Home' || event.key === 'End') && (event.ctrlKey || event.metaKey)) return true;
  // macOS: Cmd+Up/Down go to the ends of the document; Alt+Up/Down by paragraph (often several).
  return MAC && (event.key === 'ArrowUp' || event.key === 'ArrowDown') && (event.metaKey || event.altKey);
}

const SETTLE_MS = 250;
const renderAllTimers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

/**
 * Renders every block (a data attribute: ProseMirror owns the editor's class list) until
 * SETTLE_MS after the last jump key, by which time ProseMirror has read the new
 * selection and marked its blocks. Held keys keep it on.
 */
function renderAllFor(dom: HTMLElement) {
  dom.dataset.renderAll = '';
  const previous = renderAllTimers.get(dom);
  if (previous) clearTimeout(previous);
  renderAllTimers.set(
    dom,
    setTimeout(() => {
      renderAllTimers.delete(dom);
      delete dom.dataset.renderAll;
    }, SETTLE_MS),
  );
}

/**
 * Node decorations on the top-level blocks from the one before the selection's first to
 * the one after its last. Rebuilt on every edit or caret move: a walk over at most the
 * blocks up to the caret and a set of three decorations, which ProseMirror compares by
 * value, so the DOM is touched only when the blocks change.
 */
function caretBlocks(state: EditorState): DecorationSet {
  const { doc, selection } = state;
  if (doc.childCount === 0) return DecorationSet.empty;
  const first = Math.max(0, doc.resolve(selection.from).index(0) - 1);
  const last = Math.min(doc.childCount - 1, doc.resolve(selection.to).index(0) + 1);
  const decorations: Decoration[] = [];
  let pos = 0;
  for (let i = 0; i <= last; i++) {
    const size = doc.child(i).nodeSize;
    if (i >= first) decorations.push(Decoration.node(pos, pos + size, { class: CARET_BLOCK_CLASS }));
    pos += size;
  }
  return DecorationSet.create(doc, decorations);
}
