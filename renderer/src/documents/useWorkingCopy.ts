import { useCallback, useEffect, useRef } from 'react';
import type { GalleyClient } from '../../../shared/contract.ts';
import type { DocumentContent, DocumentRecord } from '../../../shared/documents.ts';
import { GalleyError } from '../../../shared/errors.ts';
import type { RichNode } from '../../../shared/richtext.ts';
import type { CommentAnchor } from '../../../shared/comments.ts';
import { describeError } from '../errors.ts';
import { afterIdle } from '../idle.ts';
import { deltaBase, type DeltaBase } from '../../../shared/workingDelta.ts';
import { sendWorking } from './workingSave.ts';

/** Save this long after the last keystroke… */
export const SAVE_DELAY_MS = 400;
/**
 * …and at least this often while someone types without pause, so a kill loses about a
 * second of typing at most: this, the wait for an idle moment and the save's trip. A
 * save carries only the blocks that changed (see workingSave.ts), so saving this often
 * costs a 20,000-word story little more than a short one.
 */
export const SAVE_MAX_WAIT_MS = 750;
/**
 * A save waits for an idle moment at most this long. While someone types on a busy
 * machine idle moments are scarce, and the old 1 s added up to a second to what a kill
 * lost (measured by tests/e2e/workingCopy.spec.ts); a delta save costs the window a
 * fraction of a millisecond, so it no longer needs a long wait for one.
 */
const SAVE_IDLE_DEADLINE_MS = 250;
const RETRY_MS = 2_000;

/** `locked`: refused only because someone else holds the edit lock (sent once it is ours). */
export type SaveState =
  | { kind: 'saved' }
  | { kind: 'saving' }
  | { kind: 'offline' }
  | { kind: 'disk-full' }
  | { kind: 'failed'; message: string; locked?: boolean };

const backupKey = (id: string) => `galley.unsaved.${id}`;
/** `personId`: who typed it (absent in backups from before it was recorded). */
type Backup = { version: number; content: DocumentContent; personId?: string };

/**
 * If the back end went away before a save reached it, the last text is in this
 * window's storage. It is offered back only if the document has not been saved since
 * (same version), so it never overwrites newer work, and only to the person who typed
 * it: after Switch user it waits for them instead of being saved in someone else's name.
 */
export function takeBackup(record: DocumentRecord, personId: string): DocumentContent | null {
  const raw = localStorage.getItem(backupKey(record.id));
  if (!raw) return null;
  try {
    const backup = JSON.parse(raw) as Backup;
    if (backup.personId !== undefined && backup.personId !== personId) return null;
    if (backup.version === record.version && backup.content.kind === record.kind) {
      if (JSON.stringify(backup.content) !== JSON.stringify(record.content)) return backup.content;
    }
  } catch {
    /* a damaged backup is ignored */
  }
  localStorage.removeItem(backupKey(record.id));
  return null;
}

export type WorkingCopyOptions = {
  /** Who is typing: their backups are offered back only to them (see takeBackup). */
  personId: string;
  /** The text starts out unsaved (a recovered backup): never shown as saved before it is. */
  unsaved?: boolean;
  /** A save was refused because someone else holds the lock: check who, and go read-only. */
  onLocked?: () => void;
};

/**
 * The working copy's save loop: debounced while typing, one save in flight at a time,
 * retried while the back end is unreachable, and flushed when the window hides or
 * closes. Text the back end has not confirmed is kept in this window's storage when a
 * save fails and when the window hides or closes. A save refused for the lock is sent
 * again by `resume` once the lock is this window's.
 */
export function useWorkingCopy(
  client: GalleyClient,
  record: DocumentRecord,
  read: () => { fields: DocumentContent['fields']; body: RichNode; anchors?: CommentAnchor[]; unlockSlug?: boolean },
  session: string | undefined,
  options: WorkingCopyOptions,
) {
  // Kept outside React state: the first keystroke after every save turns "Saved" into
  // "Saving…", and as the editor's own state that re-rendered the whole document form
  // (about 30 ms in a long story) under that keystroke. Only the label subscribes, and
  // it writes its own text (SaveStateLabel).
  const store = useRef<SaveStateStore | null>(null);
  store.current ??= saveStateStore(options.unsaved ? { kind: 'saving' } : { kind: 'saved' });
  const setState = (s: SaveState) => store.current!.set(s);
  const version = useRef(record.version);
  // What the back end holds at `version`, for sending only the changes (made at the
  // first save, off the opening path).
  const base = useRef<DeltaBase | null>(null);
  const dirty = useRef(false);
  const stopped = useRef(false);
  // Stopped only until the lock is this window's again (see resume).
  const waitingForLock = useRef(false);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  // Pending saves (each cancels itself when called): after the last keystroke, and the
  // longest wait while typing goes on. They run once the window is idle (see
  // afterIdle): in a long story a save serializes for a few milliseconds, which as a
  // plain timer fell due inside a keystroke about one save in three.
  const nextSave = useRef<(() => void) | null>(null);
  const maxWaitSave = useRef<(() => void) | null>(null);
  const readRef = useRef(read);
  readRef.current = read;

  const cancelSaves = () => {
    nextSave.current?.();
    maxWaitSave.current?.();
    nextSave.current = maxWaitSave.current = null;
  };
  const saveAfter = (delayMs: number) => afterIdle(() => void flush(), { delayMs, deadlineMs: SAVE_IDLE_DEADLINE_MS });

  const current = useRef<Promise<void> | null>(null);

  const readNow = () => {
    const { fields, body, anchors, unlockSlug } = readRef.current();
    return { content: { kind: record.kind, fields, body } as DocumentContent, anchors, unlockSlug };
  };
  /** Keeps text the back end has not confirmed in this window's storage (see takeBackup). */
  const backUp = (from: number, content: DocumentContent) => {
    try {
      const backup: Backup = { version: from, content, personId: optionsRef.current.personId };
      localStorage.setItem(backupKey(record.id), JSON.stringify(backup));
    } catch {
      /* storage full: nothing more this window can do; the editor still holds the text */
    }
  };

  /** Saves now; resolves once everything typed so far has reached the back end. */
  /** `leaving`: the window is hiding or closing, and may not run another task. */
  const flush = useCallback(async (leaving = false): Promise<void> => {
    cancelSaves();
    // A closing window may run no further task, not even the end of a save in flight:
    // what it holds goes to its storage first, at once (refused text too: it is saved
    // when the lock allows, or offered back when the window reopens).
    if (leaving && (dirty.current || current.current)) backUp(version.current, readNow().content);
    while (current.current) await current.current;
    if (!dirty.current || stopped.current) return;
    const run = saveOnce();
    current.current = run;
    try {
      await run;
    } finally {
      current.current = null;
    }
    if (dirty.current && !stopped.current && !nextSave.current) nextSave.current = saveAfter(SAVE_DELAY_MS);
  }, []); // client and record are fixed for this editor's life (it remounts on change)

  const saveOnce = async (): Promise<void> => {
    dirty.current = false;
    const { content, anchors, unlockSlug } = readNow();
    const from = version.current;
    try {
      // The window's storage is written only when a save fails (or the window is
      // leaving), not before every save: in a long story that second serialization
      // cost a few milliseconds and a large allocation every 2 s while someone typed.
      base.current ??= deltaBase(record.version, record.content);
      const sent = await sendWorking(
        client,
        { id: record.id, version: from, content, ...(session ? { session } : {}), ...(anchors?.length ? { anchors } : {}), ...(unlockSlug ? { unlockSlug: true as const } : {}) },
        base.current,
      );
      const saved = sent.saved;
      base.current = sent.base;
      version.current = saved.version;
      if (!dirty.current) {
        localStorage.removeItem(backupKey(record.id));
        setState({ kind: 'saved' });
      }
    } catch (error) {
      dirty.current = true;
      backUp(from, content);
      if (error instanceof GalleyError && (error.code === 'unavailable' || error.code === 'disk_full')) {
        // Both pass: the back end returns, someone frees space. Until then the text
        // stays in the editor and in this window's storage, and the save is retried.
        setState({ kind: error.code === 'unavailable' ? 'offline' : 'disk-full' });
        nextSave.current = saveAfter(RETRY_MS);
      } else if (error instanceof GalleyError && error.code === 'locked') {
        // Retrying would be refused until the holder lets go; the lock check-in says
        // when, and resume sends it then. Meanwhile the editor is read-only.
        stopped.current = true;
        waitingForLock.current = true;
        setState({ kind: 'failed', message: describeError(error), locked: true });
        optionsRef.current.onLocked?.();
      } else {
        // A refusal (conflict, permission, invalid) will not fix itself by retrying.
        stopped.current = true;
        setState({ kind: 'failed', message: describeError(error) });
      }
    }
  };

  const changed = useCallback(() => {
    dirty.current = true;
    if (store.current!.get().kind === 'saved') setState({ kind: 'saving' });
    if (stopped.current) {
      // Nothing is sent while saves are refused, but nothing typed is lost either: the
      // window's storage follows the text (the editor turns read-only at once, so this
      // is at most the keystrokes typed before the refusal arrived).
      nextSave.current?.();
      nextSave.current = afterIdle(() => backUp(version.current, readNow().content), { delayMs: SAVE_DELAY_MS });
      return;
    }
    nextSave.current?.();
    nextSave.current = saveAfter(SAVE_DELAY_MS);
    maxWaitSave.current ??= saveAfter(SAVE_MAX_WAIT_MS);
  }, [flush]);

  /** The lock is this window's again: send what the refusal held back. */
  const resume = useCallback(() => {
    if (!waitingForLock.current) return;
    waitingForLock.current = false;
    stopped.current = false;
    setState({ kind: 'saving' });
    void flush();
  }, [flush]);

  /**
   * Someone else is about to take the keyboard (Switch user): saves what was typed now,
   * as the person who typed it. Resolves true when all of it reached the back end.
   */
  const finish = useCallback(async (): Promise<boolean> => {
    await flush();
    return !dirty.current && !stopped.current && current.current === null;
  }, [flush]);

  useEffect(() => {
    const hide = () => {
      if (document.visibilityState === 'hidden') void flush(true);
    };
    const unload = () => void flush(true);
    document.addEventListener('visibilitychange', hide);
    window.addEventListener('pagehide', unload);
    return () => {
      document.removeEventListener('visibilitychange', hide);
      window.removeEventListener('pagehide', unload);
      void flush();
    };
  }, [flush]);

  return { saveState: store.current, changed, flush, resume, finish, version };
}

export type SaveStateStore = { get(): SaveState; set(state: SaveState): void; subscribe(listener: () => void): () => void };

function saveStateStore(initial: SaveState): SaveStateStore {
  let current: SaveState = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set: (state) => {
      current = state;
      for (const listener of listeners) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function saveStateText(state: SaveState): string {
  switch (state.kind) {
    case 'saved':
      return 'Saved';
    case 'saving':
      return 'Saving…';
    case 'offline':
      return 'Offline — saved locally';
    case 'disk-full':
      return 'Not saved — the disk is full. Free some space; your text stays here and is saved as soon as there is room.';
    case 'failed':
      return `Not saved: ${state.message}`;
  }
}
