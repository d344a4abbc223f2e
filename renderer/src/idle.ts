/**
 * Runs `work` once `delayMs` have passed and the window is then idle, or `deadlineMs`
 * after the delay at the latest. Returns a function that cancels it, whichever stage
 * it has reached.
 *
 * Why not a plain timer: Chromium holds back timers that fall due while a key press is
 * being handled until that key's frame has been drawn, then runs them, oldest first,
 * ahead of whatever the keystroke itself queued. A save's few milliseconds of
 * serialization, due by chance during a keystroke, were paid inside it. An idle
 * callback runs only once input, frames and timers are done with.
 */
export function afterIdle(work: () => void, { delayMs = 0, deadlineMs = 1_000 } = {}): () => void {
  let cancel = () => {};
  const whenIdle = () => {
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(() => work(), { timeout: deadlineMs });
      cancel = () => cancelIdleCallback(handle);
    } else {
      const handle = setTimeout(work, 0);
      cancel = () => clearTimeout(handle);
    }
  };
  if (delayMs > 0) {
    const handle = setTimeout(whenIdle, delayMs);
    cancel = () => clearTimeout(handle);
  } else {
    whenIdle();
  }
  return () => cancel();
}
