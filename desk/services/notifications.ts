import type { DeskOutput } from '../../shared/desk.ts';
import type { DeskCaller, DeskContext } from '../context.ts';
import { signedIn } from '../dispatch.ts';

type Notifications = DeskOutput<'notifications.list'>;

/** The same window as a workstation's list (db/workflow.ts notificationsFor). */
const MOST = 30;

/**
 * A person's news, derived from the audit trail as on a workstation: their stories (owned
 * or assigned) approved or sent back by someone else, newest first. What they have read
 * is one number per person (the newest event id seen).
 */
export async function list(ctx: DeskContext, caller: DeskCaller): Promise<Notifications> {
  const person = signedIn(caller);
  const { rows: read } = await ctx.pool.query<{ read_upto: number }>('SELECT read_upto FROM notification_reads WHERE person_id = $1', [person.id]);
  const readUpTo = read[0]?.read_upto ?? 0;
  const { rows } = await ctx.pool.query<{ id: number; document_id: string; title: string; kind: string; action: string; actor_name: string; note: string | null; created_at: number }>(
    `SELECT e.id, e.document_id, d.title, d.kind, e.action, p.name AS actor_name, e.note, e.created_at
       FROM workflow_events e
       JOIN documents d ON d.id = e.document_id
       JOIN people p ON p.id = e.actor_id
      WHERE (d.owner_id = $1 OR d.assignee_id = $1) AND e.actor_id <> $1 AND e.action IN ('approve', 'requestChanges')
      ORDER BY e.id DESC LIMIT $2`,
    [person.id, MOST],
  );
  const items = rows.map((r) => ({
    id: r.id,
    documentId: r.document_id,
    title: r.title,
    kind: r.kind,
    action: r.action,
    actorName: r.actor_name,
    note: r.note,
    createdAt: r.created_at,
    unread: r.id > readUpTo,
  }));
  return { items, unread: items.filter((i) => i.unread).length };
}

export async function markRead(ctx: DeskContext, caller: DeskCaller): Promise<Notifications> {
  const person = signedIn(caller);
  const newest = (await list(ctx, caller)).items[0]?.id ?? 0;
  // GREATEST: a markRead racing a newer one never moves the mark backwards.
  await ctx.pool.query(
    `INSERT INTO notification_reads (person_id, read_upto) VALUES ($1, $2)
     ON CONFLICT (person_id) DO UPDATE SET read_upto = GREATEST(notification_reads.read_upto, EXCLUDED.read_upto)`,
    [person.id, newest],
  );
  return list(ctx, caller);
}
