import type { ServiceContext } from '../context.ts';
import type { DeskCaller } from './types.ts';

/**
 * The workstation's sync with the desk (issue #17, item 6): push what the desk lacks,
 * pull what changed since the cursor and apply it to the local store.
 * Placeholders until the sync engine lands.
 */
export async function pushRevisions(_ctx: ServiceContext, _desk: DeskCaller): Promise<{ pushed: number; aside: string[] }> {
  return { pushed: 0, aside: [] };
}

export async function pullChanges(_ctx: ServiceContext, _desk: DeskCaller): Promise<{ applied: number; cursor: number }> {
  return { applied: 0, cursor: 0 };
}

/** Revisions cut here that the desk has not accepted yet (part of "Waiting to send"). */
export function pendingRevisionCount(_ctx: ServiceContext): number {
  return 0;
}
