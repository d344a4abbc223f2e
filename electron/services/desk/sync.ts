import type { ServiceContext } from '../context.ts';
import { pendingRevisionCount as waiting, pushRevisions as push } from './push.ts';
import { pullChanges as pull } from './pull.ts';
import type { DeskCaller } from './types.ts';

/**
 * The workstation's sync with the desk (issue #17, item 6): push what the desk lacks
 * (push.ts), pull what changed since the cursor and apply it to the local store
 * (pull.ts, apply.ts). The link (h/ws-link) calls these on connect, on every desk
 * `changed` event and before sending workflow actions.
 */
export async function pushRevisions(ctx: ServiceContext, desk: DeskCaller): Promise<{ pushed: number; aside: string[] }> {
  return push(ctx, desk);
}

export async function pullChanges(ctx: ServiceContext, desk: DeskCaller): Promise<{ applied: number; cursor: number }> {
  return pull(ctx, desk);
}

/** Revisions cut here that the desk has not accepted yet (part of "Waiting to send"). */
export function pendingRevisionCount(ctx: ServiceContext): number {
  return waiting(ctx);
}

export { fetchPhoto } from './pull.ts';
