import { useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { whenTypingPauses } from '../typingPause.ts';
import { saveStateText, type SaveStateStore } from './useWorkingCopy.ts';

/** Says what became of recovered changes, as it happens: never "being saved" when they are not. */
export function RecoveredNote({ store }: { store: SaveStateStore }) {
  const state = useSyncExternalStore(store.subscribe, store.get);
  const what =
    state.kind === 'saved'
      ? 'they are saved.'
      : state.kind === 'saving'
        ? 'they are being saved now.'
        : state.kind === 'offline'
          ? 'they are kept here and saved when the back end is back.'
          : state.kind === 'disk-full'
            ? 'they are kept here and saved once there is room on the disk.'
            : state.locked
            ? 'they are kept here and saved when you can edit it again.'
            : 'they are kept here but could not be saved (see above).';
  return (
    <p className="banner notice" role="note">
      Recovered changes from this window that had not reached the back end; {what}
    </p>
  );
}

/**
 * "Saved" turns into "Saving…" on the first keystroke after every pause. As a React
 * render that commit cost about 1 ms inside that keystroke (React walks the form to
 * find the one changed label), so the label writes its own text: a few microseconds,
 * and still at once, so "Saved" never shows over unsaved text.
 *
 * The way back, "Saving…" to "Saved", waits while the person is still typing (see
 * typingPause.ts): a save that came back between two keystrokes drew a frame of its
 * own for the new label, and the next keystroke then waited up to a display refresh to
 * be drawn. Showing "Saving…" a moment longer never claims more than is true, and the
 * next keystroke would have turned it back to "Saving…" anyway.
 */
export function SaveStateLabel({ store }: { store: SaveStateStore }) {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    let cancel = () => {};
    const show = () => {
      const state = store.get();
      const el = ref.current;
      if (!el) return;
      el.className = `save-state ${state.kind}`;
      el.textContent = saveStateText(state);
    };
    const changed = () => {
      cancel();
      cancel = () => {};
      const showing = ref.current?.classList.contains('saving');
      if (store.get().kind === 'saved' && showing) cancel = whenTypingPauses(show);
      else show();
    };
    show();
    const unsubscribe = store.subscribe(changed);
    return () => {
      cancel();
      unsubscribe();
    };
  }, [store]);
  return <span ref={ref} />;
}
