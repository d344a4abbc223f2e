/**
 * For screen updates that can wait until typing pauses.
 *
 * Chromium draws at most one frame per display refresh (about 16.7 ms). A keystroke
 * that comes soon after a frame waits for the next refresh before it is drawn, so
 * every frame drawn between keystrokes (a label changing because a save came back,
 * say) can add up to 16 ms to the key after it: in the editor benchmark these frames
 * were most of Galley's slowest keystrokes. Work queued here runs once no key has gone
 * down for `quietMs`, or at once if none is going down now.
 */

/** A pause this long between keys ends a run of typing (people type a key every 100–300 ms). */
export const TYPING_PAUSE_MS = 400;

let lastKeyAt = -Infinity;
if (typeof window !== 'undefined') window.addEventListener('keydown', () => (lastKeyAt = performance.now()), { capture: true, passive: true });

/** Runs `work` once typing has paused for `quietMs` (at once if it has); returns a cancel. */
export function whenTypingPauses(work: () => void, quietMs = TYPING_PAUSE_MS): () => void {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const wait = lastKeyAt + quietMs - performance.now();
    if (wait <= 0) work();
    else handle = setTimeout(check, wait);
  };
  check();
  return () => clearTimeout(handle);
}
