import { getSetting, setSetting } from '../../db/settings.ts';
import { notificationsFor } from '../../db/workflow.ts';
import type { Output } from '../../shared/contract.ts';
import type { ServiceContext, SignedIn } from './context.ts';

const readKey = (personId: string) => `notifications.readUpTo.${personId}`;

/** A reporter's news: their stories approved or sent back, newest first. */
export function listNotifications(ctx: ServiceContext, caller: SignedIn): Output<'notifications.list'> {
  const readUpTo = Number(getSetting(ctx.db, readKey(caller.person.id)) ?? 0);
  const items = notificationsFor(ctx.db, caller.person.id).map((n) => ({ ...n, unread: n.id > readUpTo }));
  return { items, unread: items.filter((i) => i.unread).length };
}

export function markRead(ctx: ServiceContext, caller: SignedIn): Output<'notifications.list'> {
  const newest = notificationsFor(ctx.db, caller.person.id, 1)[0]?.id ?? 0;
  setSetting(ctx.db, readKey(caller.person.id), String(newest));
  return listNotifications(ctx, caller);
}
