import { dirtyDocuments, lastEditor } from '../../db/documents.ts';
import type { ServiceContext } from './context.ts';
import { cutRevision } from './revisions.ts';

/**
 * When autosave cuts a revision from the working copy (the working copy itself is
 * saved within a second of every keystroke; this decides what becomes history):
 *  - after a pause: `pauseMs` with no further saves to that document;
 *  - during continuous typing: at most `maxIntervalMs` after the last revision;
 *  - after a crash: at start-up, for every document whose working copy is newer than
 *    its last revision.
 * An autosave whose content equals the last revision is not cut.
 */
export type AutosavePolicy = { pauseMs: number; maxIntervalMs: number };
export const DEFAULT_AUTOSAVE: AutosavePolicy = { pauseMs: 10_000, maxIntervalMs: 3 * 60_000 };

export class Autosaver {
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private lastCut = new Map<string, number>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly policy: AutosavePolicy,
  ) {}

  /** Cuts what a crash or a kill left uncut. */
  recover(): number {
    let cut = 0;
    for (const doc of dirtyDocuments(this.ctx.db)) if (this.cut(doc.id)) cut++;
    return cut;
  }

  workingChanged(documentId: string): void {
    const existing = this.timers.get(documentId);
    if (existing) clearTimeout(existing);
    const since = this.ctx.now() - (this.lastCut.get(documentId) ?? this.ctx.now());
    if (!this.lastCut.has(documentId)) this.lastCut.set(documentId, this.ctx.now());
    if (since >= this.policy.maxIntervalMs) {
      this.cut(documentId);
      return;
    }
    const timer = setTimeout(() => this.cut(documentId), this.policy.pauseMs);
    timer.unref?.();
    this.timers.set(documentId, timer);
  }

  /** Cuts pending autosaves now (closing the app). */
  flush(): void {
    for (const id of [...this.timers.keys()]) this.cut(id);
  }

  close(): void {
    this.flush();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private cut(documentId: string): boolean {
    const timer = this.timers.get(documentId);
    if (timer) clearTimeout(timer);
    this.timers.delete(documentId);
    this.lastCut.set(documentId, this.ctx.now());
    try {
      const author = lastEditor(this.ctx.db, documentId);
      if (!author) return false;
      return cutRevision(this.ctx, { documentId, authorId: author, label: 'autosave' }) !== undefined;
    } catch (error) {
      // Autosave runs off any call; a failure is logged and the working copy is untouched.
      console.error(`[galley] autosave of ${documentId} failed:`, error);
      return false;
    }
  }
}
