import type { DocumentKind } from './documents.ts';
import { KIND_LABELS } from './documents.ts';
import { ROLE_LABELS, type Person, type Role } from './people.ts';

/**
 * Who may create and edit which kind (ARCHITECTURE.md, Roles). The back end enforces
 * these on every call; the renderer asks the same functions only to hide what a person
 * cannot do.
 */
const CREATE: Record<Role, readonly DocumentKind[]> = {
  reporter: ['article', 'bio'],
  photo_desk: ['caption', 'bio'],
  editor: ['article', 'caption', 'bio'],
};

export function canCreate(role: Role, kind: DocumentKind): boolean {
  return CREATE[role].includes(kind);
}

export function createRefusal(role: Role, kind: DocumentKind): string {
  return `${ROLE_LABELS[role]} may not create a ${KIND_LABELS[kind].toLowerCase()}; ask an editor or switch user.`;
}

export type DocumentHolder = { kind: DocumentKind; ownerId: string; assigneeId: string | null };

/** Editors edit everything; the photo desk edits captions; everyone edits their own. */
export function canEdit(person: Person, doc: DocumentHolder): boolean {
  if (person.role === 'editor') return true;
  const own = doc.ownerId === person.id || doc.assigneeId === person.id;
  if (doc.kind === 'caption') return person.role === 'photo_desk';
  if (doc.kind === 'article') return person.role === 'reporter' && own;
  return own; // a bio: its writer's own
}

export function editRefusal(person: Person, doc: DocumentHolder): string {
  const role = ROLE_LABELS[person.role];
  if (doc.kind === 'caption') return `${role} may not edit captions; the photo desk or an editor can.`;
  return `${role} may edit only their own ${KIND_LABELS[doc.kind].toLowerCase()}s; this one belongs to someone else.`;
}
