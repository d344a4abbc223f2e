import type { EditorView } from '@tiptap/pm/view';

/**
 * Reads the browser's caret before a key edits the text.
 *
 * Keys that the browser handles itself (Ctrl+End, Page Up, arrows, a click) move the
 * caret at once, but ProseMirror learns of it only on the browser's next
 * `selectionchange` event, which comes after any key already waiting. A reporter who
 * typed straight after Ctrl+End got the words in the right place, but undo history
 * recorded the caret where it had been before: Ctrl+Z then put the caret back there,
 * and the next words went into the wrong paragraph. Enter or Backspace in that moment
 * would act on the old place outright. So before a key that edits, ProseMirror reads
 * the selection now (a comparison, when nothing moved).
 */
export function syncSelectionBeforeEdit(view: EditorView, event: KeyboardEvent): false {
  if (edits(event)) readSelectionNow(view);
  return false;
}

/** Has ProseMirror take in the browser's caret (and any DOM change) now rather than on its next event. */
export function readSelectionNow(view: EditorView): void {
  (view as unknown as { domObserver?: { flush(): void } }).domObserver?.flush();
}

function edits(event: KeyboardEvent): boolean {
  if (event.isComposing) return false;
  if (event.key === 'Enter' || event.key === 'Backspace' || event.key === 'Delete' || event.key === 'Tab') return true;
  // A character, or a shortcut that changes the text (Ctrl+B, Ctrl+Z…).
  return event.key.length === 1;
}
