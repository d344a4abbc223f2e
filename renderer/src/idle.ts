/**
 * Runs `work` when the window is next idle, or after `deadlineMs` at the latest.
 * Returns a function that cancels it.
 *
 * Why not a plain timer: Chromium holds back timers that fall due while a key press is
 * being handled until that key's frame has been drawn, then runs them, oldest first,
 * ahead of whatever the keystroke itself queued. A save's few milliseconds of
 * serialization, due by chance during a keystroke, were paid inside it. An idle
 * callback runs only once input, frames and timers are done with.
 */
export function afterIdle(work: () => void, deadlineMs = 1_000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(() => work(), { timeout: deadlineMs });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(work, 0);
  return () => clearTimeout(handle);
}
