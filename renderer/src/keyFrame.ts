/**
 * Asks for the next frame the moment a key goes down in something editable.
 *
 * Chromium draws on the display's refresh (every 16.7 ms at 60 Hz). The compositor
 * learns that a frame is needed only when the page first changes something, and a
 * keystroke's first change (the character going in) came about a millisecond into the
 * key's handling, after the key and text events had gone through React and every
 * editor plugin. A refresh that fell in that millisecond found nothing to draw and was
 * let go, and the keystroke then waited for the next one: up to 16 ms. In the editor
 * benchmark (tests/bench/editor.ts) that was most of Galley's slowest keystrokes, and
 * the reason it trailed bare tiptap, whose handlers are fewer. A frame asked for here,
 * in the window's first listener, reaches the compositor within about 0.3 ms of the key.
 *
 * The frame is the keystroke's own: it runs after the key has been handled, with its
 * change in it. A key that changes nothing costs one frame with nothing new to draw.
 */
export function askForFrameOnKeys(win: Window): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (isEditable(event.target)) win.requestAnimationFrame(noop);
  };
  win.addEventListener('keydown', onKey, { capture: true, passive: true });
  return () => win.removeEventListener('keydown', onKey, { capture: true });
}

function noop() {}

function isEditable(target: EventTarget | null): boolean {
  if (!target || !(target as Node).nodeType) return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  return tag === 'TEXTAREA' || (tag === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes((el as HTMLInputElement).type));
}
