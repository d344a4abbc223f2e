import { z } from 'zod';
import type { DocumentKind, Status } from './documents.ts';
import { KIND_LABELS, STATUS_LABELS } from './documents.ts';
import { ROLE_LABELS, type Person, type Role } from './people.ts';

/**
 * The workflow as data (ARCHITECTURE.md, Workflow). The back end enforces it; the
 * renderer asks the same function only to decide which buttons to show. Publish,
 * Schedule and Unpublish also add outbox jobs (electron/services/publishing.ts) in
 * the same transaction; an update to a published story is submit → approve → publish
 * again, which updates the same remote post.
 */
export const WORKFLOW_ACTIONS = ['submit', 'requestChanges', 'approve', 'publish', 'schedule', 'unpublish'] as const;
export const WorkflowAction = z.enum(WORKFLOW_ACTIONS);
export type WorkflowAction = z.infer<typeof WorkflowAction>;

type Transition = {
  action: WorkflowAction;
  /** The button's name (UI.md). */
  label: string;
  from: readonly Status[];
  to: Status;
  /** Who may take it, per kind of document. */
  roles: Record<DocumentKind, readonly Role[]>;
  note: 'required' | 'optional';
};

const EDITORS = { article: ['editor'], caption: ['editor'], bio: ['editor'] } as const;

export const TRANSITIONS: Record<WorkflowAction, Transition> = {
  submit: {
    action: 'submit',
    label: 'Submit for edit',
    // A published or withdrawn story is corrected by submitting it again.
    from: ['draft', 'changes_requested', 'published', 'withdrawn'],
    to: 'submitted',
    roles: { article: ['reporter', 'editor'], caption: ['photo_desk', 'editor'], bio: ['reporter', 'photo_desk', 'editor'] },
    note: 'optional',
  },
  requestChanges: {
    action: 'requestChanges',
    label: 'Request changes',
    from: ['submitted', 'approved'],
    to: 'changes_requested',
    roles: EDITORS,
    note: 'required',
  },
  approve: {
    action: 'approve',
    label: 'Approve',
    // A published story stays published while it is corrected; approving the edited
    // text and publishing again updates the same remote post.
    from: ['submitted', 'published'],
    to: 'approved',
    roles: EDITORS,
    note: 'optional',
  },
  publish: {
    action: 'publish',
    label: 'Publish',
    from: ['approved'],
    to: 'published',
    roles: EDITORS,
    note: 'optional',
  },
  schedule: {
    action: 'schedule',
    label: 'Schedule',
    from: ['approved'],
    to: 'published',
    roles: EDITORS,
    note: 'optional',
  },
  unpublish: {
    action: 'unpublish',
    label: 'Unpublish',
    from: ['published'],
    to: 'withdrawn',
    roles: EDITORS,
    note: 'optional',
  },
};

const PAST: Record<WorkflowAction, string> = {
  submit: 'submitted',
  requestChanges: 'sent back',
  approve: 'approved',
  publish: 'published',
  schedule: 'scheduled',
  unpublish: 'unpublished',
};

export type WorkflowDoc = {
  kind: DocumentKind;
  status: Status;
  ownerId: string;
  assigneeId: string | null;
  /** Published, and the text is still exactly what was published (see PUBLISHED_UNCHANGED). */
  publishedUnchanged?: boolean | undefined;
};

/**
 * A published story that nobody has edited has nothing to submit or approve: doing so
 * would only put the same words through the desk again (and a second Publish would
 * "update" the post with no change). Editing it is what starts a correction.
 */
export const PUBLISHED_UNCHANGED = 'It is published exactly as it stands: edit it first, then Submit for edit or Approve the correction.';

/** Why `person` may not take `action` on `doc` now, or null if they may. */
export function transitionRefusal(person: Person, doc: WorkflowDoc, action: WorkflowAction, note?: string | null): string | null {
  const t = TRANSITIONS[action];
  if (!t.roles[doc.kind].includes(person.role)) {
    return `${ROLE_LABELS[person.role]} may not ${t.label.toLowerCase()} a ${KIND_LABELS[doc.kind].toLowerCase()}.`;
  }
  // A reporter submits their own work, not a colleague's.
  if (action === 'submit' && person.role !== 'editor' && doc.kind !== 'caption' && doc.ownerId !== person.id && doc.assigneeId !== person.id) {
    return `Only its writer or an editor may submit this ${KIND_LABELS[doc.kind].toLowerCase()}.`;
  }
  if (!t.from.includes(doc.status)) {
    return `A ${STATUS_LABELS[doc.status].toLowerCase()} document cannot be ${PAST[action]}; it must be ${t.from.map((s) => STATUS_LABELS[s].toLowerCase()).join(' or ')}.`;
  }
  if (doc.status === 'published' && doc.publishedUnchanged && (action === 'submit' || action === 'approve')) return PUBLISHED_UNCHANGED;
  if (t.note === 'required' && !note?.trim()) return `${t.label} needs a note saying what to change.`;
  return null;
}

export function allowedActions(person: Person, doc: WorkflowDoc): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((a) => transitionRefusal(person, doc, a, 'x') === null);
}

export const WorkflowEvent = z.object({
  id: z.number(),
  documentId: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  action: z.string(),
  fromStatus: z.string(),
  toStatus: z.string(),
  revisionId: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.number(),
});
export type WorkflowEvent = z.infer<typeof WorkflowEvent>;
