import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { describeError } from './errors.ts';

/**
 * The Undo notice (issue #18, item 12): after a step that is easy to regret (Restore
 * this version, Move to trash) a line says what happened, with **Undo**. One notice
 * at a time, for the whole window: the step's view is often gone by then (the editor
 * closes on trash, reopens on restore), so the notice lives outside it, in App.
 *
 * It stays until dismissed, or 10 s after the last interaction — never while focus or
 * the pointer is in it, so a keyboard user on its way to Undo does not lose it.
 */
export type UndoRequest = {
  /** What happened, e.g. "Moved “Ferry fares rise” to the trash." */
  message: string;
  /** Undoes it; says what it did ("“Ferry fares rise” is back on the desk."). */
  undo?: () => Promise<string>;
};

type Notice = UndoRequest & { id: number };

const LINGER_MS = 10_000;
let current: Notice | null = null;
let seq = 0;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function showUndo(request: UndoRequest): void {
  current = { ...request, id: ++seq };
  emit();
}

function dismiss(id: number): void {
  if (current?.id !== id) return;
  current = null;
  emit();
}

export function UndoNotice() {
  const notice = useSyncExternalStore(subscribe, () => current);
  const box = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    setBusy(false);
    const el = box.current;
    if (!notice || !el) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hold = () => clearTimeout(timer);
    const arm = () => {
      clearTimeout(timer);
      if (el.contains(document.activeElement) || el.matches(':hover')) return;
      timer = setTimeout(() => dismiss(notice.id), LINGER_MS);
    };
    // focusout fires before focus lands elsewhere: look once it has.
    const armSoon = () => setTimeout(arm, 0);
    arm();
    el.addEventListener('focusin', hold);
    el.addEventListener('pointerenter', hold);
    el.addEventListener('focusout', armSoon);
    el.addEventListener('pointerleave', arm);
    return () => {
      clearTimeout(timer);
      el.removeEventListener('focusin', hold);
      el.removeEventListener('pointerenter', hold);
      el.removeEventListener('focusout', armSoon);
      el.removeEventListener('pointerleave', arm);
    };
  }, [notice]);

  const undo = async (n: Notice) => {
    if (!n.undo) return;
    const hadFocus = box.current?.contains(document.activeElement) ?? false;
    setBusy(true);
    setError(null);
    try {
      const said = await n.undo();
      showUndo({ message: said });
      // Undo is gone from the new notice: keep focus in it rather than dropping it on the page.
      if (hadFocus) requestAnimationFrame(() => box.current?.querySelector<HTMLButtonElement>('button')?.focus());
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  // Hidden while empty: an always-present empty status would be a second "status" next
  // to each story's status line for anyone looking for it by role.
  return (
    <div ref={box} role="status" hidden={!notice} className={notice ? 'undo-notice shown' : 'undo-notice'}>
      {notice && (
        <>
          <span>{notice.message}</span>
          {error && <span className="error"> {error}</span>}
          {notice.undo && (
            <button type="button" disabled={busy} onClick={() => void undo(notice)}>
              Undo
            </button>
          )}
          <button type="button" className="secondary" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
            ×
          </button>
        </>
      )}
    </div>
  );
}
