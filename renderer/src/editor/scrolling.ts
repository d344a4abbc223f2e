import { NodeSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/** Height of the sticky top bar (styles.css: --topbar-height), in pixels. */
function stickyTop(doc: Document): number {
  const style = getComputedStyle(doc.documentElement);
  const value = style.getPropertyValue('--topbar-height').trim();
  const rootFont = parseFloat(style.fontSize) || 16;
  return value.endsWith('rem') ? parseFloat(value) * rootFont : parseFloat(value) || 0;
}

/** Whether nothing between the editor and the page scrolls or clips (checked once per editor). */
const onlyPageScrolls = new WeakMap<EditorView, boolean>();
function pageIsTheScroller(view: EditorView): boolean {
  let known = onlyPageScrolls.get(view);
  if (known === undefined) {
    known = true;
    const body = view.dom.ownerDocument.body;
    for (let el = view.dom.parentElement; el && el !== body; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.position === 'fixed' || !['visible', 'clip'].includes(style.overflowY) || !['visible', 'clip'].includes(style.overflowX)) {
        known = false;
        break;
      }
    }
    onlyPageScrolls.set(view, known);
  }
  return known;
}

/**
 * How the editor keeps the caret in view. The page scrolls under a sticky top bar, so
 * a caret near the top must count as hidden (threshold) and scrolling leaves room
 * below the bar (margin).
 *
 * After every keystroke ProseMirror scrolls the caret into view by measuring each of
 * the editor's ancestors, a dozen in the app: about 0.5 ms a keystroke in a long
 * story. When only the page scrolls, one measurement (the caret's) says whether the
 * caret is already in view, which it nearly always is while typing; only otherwise
 * does ProseMirror's own scrolling run.
 */
export function scrollingProps(doc: Document) {
  const top = stickyTop(doc);
  const threshold = { top: top + 4, bottom: 4, left: 4, right: 4 };
  return {
    scrollThreshold: threshold,
    scrollMargin: { top: top + 24, bottom: 24, left: 8, right: 8 },
    handleScrollToSelection(view: EditorView): boolean {
      if (view.state.selection instanceof NodeSelection || !pageIsTheScroller(view)) return false;
      const win = view.dom.ownerDocument.defaultView;
      if (!win) return false;
      const caret = view.coordsAtPos(view.state.selection.head, 1);
      return (
        caret.top >= threshold.top &&
        caret.bottom <= win.innerHeight - threshold.bottom &&
        caret.left >= threshold.left &&
        caret.right <= win.innerWidth - threshold.right
      );
    },
  };
}
