import { z } from 'zod';
import { Comment } from './comments.ts';
import { DocumentKind, Status } from './documents.ts';
import { ROLES, PersonName, Role } from './people.ts';
import { PublishJob, PublishTarget, StaffToken, TargetConfig, TargetInput, TargetStatus } from './publishing.ts';
import { RevisionLabel } from './revisions.ts';
import { WorkflowAction, WorkflowEvent } from './workflow.ts';

/**
 * The newsroom desk's API (issue #17): what a workstation's back end asks of the desk
 * server, declared once, like shared/contract.ts is for renderer → back end. The desk
 * (desk/server.ts) serves it over HTTP (`POST /api/call/<name>`, JSON, `Authorization:
 * Bearer <session token>`) and pushes `{ "type": "changed", "seq": n }` on its event
 * socket (`GET /api/events`, the token as the WebSocket subprotocol `galley.<token>`);
 * a workstation (electron/services/desk/) is its only client.
 *
 * The desk is the authority for people and roles, documents' shared state, workflow,
 * locks, comments and publishing. Revisions are immutable and content-addressed: a
 * workstation pushes the blocks the desk lacks and revision records that the desk
 * verifies (block hashes, content hash and revision id are all recomputed).
 *
 * `access`:
 *  - 'anyone': no session needed (hello, first setup, sign-in, accepting an invite).
 *  - 'signed-in': any person with a live session.
 *  - 'admin': the desk's administrators (the person who created it, and whoever they make one).
 *  - a list of roles: the caller's role on the desk must be one of them.
 * Every write that a workstation may send from its outbox carries `key`, an idempotency
 * key: the desk stores the answer under it and gives the same answer to a resend.
 */
export const DESK_PROTOCOL = 1;

export type DeskAccess = 'anyone' | 'signed-in' | 'admin' | readonly Role[];

export type DeskOperation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = {
  input: I;
  output: O;
  access: DeskAccess;
  summary: string;
};

const op = <I extends z.ZodType, O extends z.ZodType>(o: DeskOperation<I, O>) => o;

export const Id = z.string().min(1, 'An id is required').max(100);
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 in hex (64 digits)');
/** An idempotency key: the workstation's outbox item id (a UUID). */
export const IdempotencyKey = z.string().min(8).max(100);
const Session = z.string().min(8).max(64);
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Enter a username')
  .max(120, 'A username is at most 120 characters')
  .regex(/^[a-z0-9._@+-]+$/, 'A username is letters, digits and . _ @ + - (an email address works)');
export const Password = z.string().min(10, 'A password is at least 10 characters').max(1_000);
export const DeskName = z.string().trim().min(1, 'Name the desk').max(120);
/** Base64 of bytes (a block's brotli-compressed canonical JSON, a photo's original). */
export const Base64 = z.string().max(70_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Expected base64');

export const DeskPerson = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  role: Role,
  admin: z.boolean(),
  /** Set when an administrator revoked the person: every session of theirs is dead. */
  revokedAt: z.number().nullable(),
  createdAt: z.number(),
});
export type DeskPerson = z.infer<typeof DeskPerson>;

/** What sign-in gives: a session token (shown once, kept sealed by the workstation). */
export const SessionGrant = z.object({
  token: z.string(),
  expiresAt: z.number(),
  person: DeskPerson,
  deskName: z.string(),
});
export type SessionGrant = z.infer<typeof SessionGrant>;

/**
 * A block as it travels: the SHA-256 of its canonical JSON (as db/blocks.ts hashes it)
 * and the brotli-compressed canonical JSON, base64. The receiver decompresses and
 * checks the hash; a mismatch is refused.
 */
export const WireBlock = z.object({ hash: Sha256, data: Base64 });
export type WireBlock = z.infer<typeof WireBlock>;

/**
 * A revision's ordered block list, relative to its parent's: a hash is that block; a
 * pair [start, count] is that run of the parent's list. A one-sentence edit to a
 * 5,000-word story is then two runs and one hash, not a hundred hashes. Without a
 * parent, every entry is a hash.
 */
export const BlockRefs = z.array(z.union([Sha256, z.tuple([z.number().int().nonnegative(), z.number().int().positive()])])).max(20_000);
export type BlockRefs = z.infer<typeof BlockRefs>;

/**
 * A revision record as it travels. `id` is the SHA-256 of canonicalJson({ documentId,
 * parentId, contentHash, authorId, createdAt, label, note }), `contentHash` the SHA-256
 * of `${kind}\n${block hashes joined by \n}` (electron/services/revisions.ts): the desk
 * recomputes both.
 */
export const WireRevision = z.object({
  id: Sha256,
  documentId: Id,
  parentId: Sha256.nullable(),
  authorId: Id,
  createdAt: z.number().int().nonnegative(),
  label: RevisionLabel,
  note: z.string().max(2_000).nullable(),
  contentHash: Sha256,
  words: z.number().int().nonnegative(),
  wordsAdded: z.number().int().nonnegative(),
  wordsRemoved: z.number().int().nonnegative(),
  blocks: BlockRefs,
  /**
   * Saved with the person's explicit Unlock slug: the desk takes a changed slug of a
   * story live on its sites only from such a revision. Optional (absent is "no"), so a
   * workstation from before it still pushes; not part of the id (revisionIdOf).
   */
  slugUnlocked: z.literal(true).optional(),
});
export type WireRevision = z.infer<typeof WireRevision>;

/** A revision as the desk holds it: `aside` when it did not land on the story's line (see sync.push). */
export const DeskRevision = WireRevision.extend({ aside: z.boolean(), seq: z.number() });
export type DeskRevision = z.infer<typeof DeskRevision>;

/** A document the desk has not seen yet: pushed with its first revision. */
export const DocumentHeader = z.object({ id: Id, kind: DocumentKind, ownerId: Id, createdAt: z.number().int().nonnegative() });
export type DocumentHeader = z.infer<typeof DocumentHeader>;

export const PublishedOn = z.object({
  targetId: z.string(),
  revisionId: z.string().nullable(),
  url: z.string(),
  status: z.enum(['published', 'scheduled', 'withdrawn']),
});

/** A document's shared state on the desk. Title, slug and word count come from its head revision. */
export const DeskDocument = z.object({
  id: z.string(),
  kind: DocumentKind,
  status: Status,
  ownerId: z.string(),
  assigneeId: z.string().nullable(),
  title: z.string(),
  slug: z.string(),
  wordCount: z.number(),
  headRevisionId: z.string().nullable(),
  approvedRevisionId: z.string().nullable(),
  published: z.array(PublishedOn),
  /**
   * The latest publish time of its Publish and Schedule steps not cancelled (null: none
   * scheduled). Ahead of now, the story publishes later (a workstation's "published
   * unchanged" then does not hold). Optional: an older desk does not send it.
   */
  publishAt: z.number().nullable().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  trashedAt: z.number().nullable(),
});
export type DeskDocument = z.infer<typeof DeskDocument>;

export const DeskAsset = z.object({ sha256: Sha256, fileName: z.string(), mime: z.string(), size: z.number(), createdAt: z.number(), uploadedBy: z.string() });
export type DeskAsset = z.infer<typeof DeskAsset>;

export const LockState = z.object({
  held: z.boolean(),
  holderName: z.string(),
  /** The holder's person id ('' when nobody holds it). */
  holderId: z.string(),
  since: z.number(),
  /** Held by the same person in another window or workstation. */
  elsewhere: z.boolean(),
});
export type LockState = z.infer<typeof LockState>;

/**
 * One entry of the desk's change feed, in the order the desk committed them. `seq` is
 * the cursor: a workstation pulls with the last `seq` it applied. A document appears
 * with its state as of the pull (so several changes to it may arrive as one).
 */
export const Change = z.discriminatedUnion('type', [
  z.object({ seq: z.number(), type: z.literal('person'), person: DeskPerson }),
  z.object({ seq: z.number(), type: z.literal('document'), document: DeskDocument }),
  z.object({ seq: z.number(), type: z.literal('revision'), revision: DeskRevision }),
  z.object({ seq: z.number(), type: z.literal('comment'), comment: Comment }),
  z.object({ seq: z.number(), type: z.literal('event'), event: WorkflowEvent }),
  z.object({ seq: z.number(), type: z.literal('asset'), asset: DeskAsset }),
  /** A publishing job or remote post of this document changed (ask publishing.status). */
  z.object({ seq: z.number(), type: z.literal('publishing'), documentId: z.string() }),
]);
export type Change = z.infer<typeof Change>;

export const Notifications = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      documentId: z.string(),
      title: z.string(),
      kind: z.string(),
      action: z.string(),
      actorName: z.string(),
      note: z.string().nullable(),
      createdAt: z.number(),
      unread: z.boolean(),
    }),
  ),
  unread: z.number(),
});

/** The most changes one sync.pull returns. */
export const MOST_CHANGES_PER_PULL = 1_000;
/** The most blocks one sync.blocks asks for, or one sync.push carries. */
export const MOST_BLOCKS_PER_CALL = 2_000;

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const deskContract = {
  'desk.hello': op({
    summary: 'What this desk is, and whether it still needs its first administrator',
    input: Empty,
    output: z.object({ deskName: z.string().nullable(), needsSetup: z.boolean(), protocol: z.number(), serverTime: z.number() }),
    access: 'anyone',
  }),
  'desk.setup': op({
    summary: 'Create a new desk: the first person becomes its administrator (an editor)',
    input: z.object({ deskName: DeskName, name: PersonName, username: Username, password: Password }).strict(),
    output: SessionGrant,
    access: 'anyone',
  }),
  'auth.signIn': op({
    summary: 'Sign in with username and password (repeated failures are slowed down)',
    input: z.object({ username: Username, password: z.string().min(1, 'Enter the password').max(1_000), device: z.string().max(200).optional() }).strict(),
    output: SessionGrant,
    access: 'anyone',
  }),
  'auth.acceptInvite': op({
    summary: 'Join the desk with an invite code and choose a password',
    input: z.object({ code: z.string().trim().min(8).max(200), password: Password, device: z.string().max(200).optional() }).strict(),
    output: SessionGrant,
    access: 'anyone',
  }),
  'auth.signOut': op({
    summary: 'End this session (its token stops working)',
    input: Empty,
    output: Ok,
    access: 'signed-in',
  }),
  'auth.me': op({
    summary: 'Who this session belongs to, with their current role',
    input: Empty,
    output: z.object({ person: DeskPerson, deskName: z.string(), expiresAt: z.number() }),
    access: 'signed-in',
  }),
  'people.list': op({
    summary: "The newsroom's people and their roles",
    input: Empty,
    output: z.array(DeskPerson),
    access: 'signed-in',
  }),
  'people.invite': op({
    summary: 'Invite a person with a role; gives a one-time code for them to join (valid 7 days)',
    input: z.object({ name: PersonName, username: Username, role: Role }).strict(),
    output: z.object({ person: DeskPerson, code: z.string(), expiresAt: z.number() }),
    access: 'admin',
  }),
  'people.setRole': op({
    summary: "Change a person's role (takes effect on their next call)",
    input: z.object({ personId: Id, role: Role, admin: z.boolean().optional() }).strict(),
    output: DeskPerson,
    access: 'admin',
  }),
  'people.revoke': op({
    summary: 'Revoke a person: every session of theirs ends now',
    input: z.object({ personId: Id }).strict(),
    output: DeskPerson,
    access: 'admin',
  }),
  'sync.pull': op({
    summary: 'What changed on the desk since a cursor, oldest first',
    input: z.object({ since: z.number().int().nonnegative(), limit: z.number().int().min(1).max(MOST_CHANGES_PER_PULL).optional() }).strict(),
    output: z.object({ changes: z.array(Change), cursor: z.number(), more: z.boolean() }),
    access: 'signed-in',
  }),
  'sync.blocks': op({
    summary: 'Fetch blocks by hash (those the desk lacks are listed as missing)',
    input: z.object({ hashes: z.array(Sha256).min(1).max(MOST_BLOCKS_PER_CALL) }).strict(),
    output: z.object({ blocks: z.array(WireBlock), missing: z.array(Sha256) }),
    access: 'signed-in',
  }),
  'sync.push': op({
    summary:
      'Send new documents, revisions and the blocks the desk lacks. A revision whose parent is the desk head, from someone allowed to edit and not locked out, becomes the head; any other lands aside ("edited offline by …") for the holder to compare and take in',
    input: z
      .object({
        key: IdempotencyKey,
        documents: z.array(DocumentHeader).max(200).default([]),
        revisions: z.array(WireRevision).max(500).default([]),
        blocks: z.array(WireBlock).max(MOST_BLOCKS_PER_CALL).default([]),
      })
      .strict(),
    output: z.object({
      accepted: z.array(z.object({ id: Sha256, aside: z.boolean() })),
      /** Blocks referenced but neither sent nor held: send them and push again. */
      missing: z.array(Sha256),
      refused: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
    }),
    access: 'signed-in',
  }),
  'documents.get': op({
    summary: "A document's shared state",
    input: z.object({ id: Id }).strict(),
    output: DeskDocument,
    access: 'signed-in',
  }),
  'documents.assign': op({
    summary: 'Hand a document to a person (or take it back)',
    input: z.object({ key: IdempotencyKey, id: Id, personId: Id.nullable() }).strict(),
    output: DeskDocument,
    access: ['editor'],
  }),
  'documents.trash': op({
    summary: 'Move a document to the trash',
    input: z.object({ key: IdempotencyKey, id: Id }).strict(),
    output: DeskDocument,
    access: 'signed-in',
  }),
  'documents.restore': op({
    summary: 'Bring a document back from the trash',
    input: z.object({ key: IdempotencyKey, id: Id }).strict(),
    output: DeskDocument,
    access: 'signed-in',
  }),
  'workflow.act': op({
    summary:
      'Submit, request changes, approve, publish, schedule or unpublish. Approve and Request changes name the revision read (must be the head); Submit names the revision submitted; Publish sends exactly the approved revision',
    input: z
      .object({
        key: IdempotencyKey,
        documentId: Id,
        action: WorkflowAction,
        note: z.string().max(2_000).optional(),
        revisionId: Sha256.optional(),
        publishAt: z.number().int().positive().optional(),
      })
      .strict(),
    output: DeskDocument,
    access: 'signed-in',
  }),
  'workflow.events': op({
    summary: "A document's audit trail, newest first",
    input: z.object({ documentId: Id }).strict(),
    output: z.array(WorkflowEvent),
    access: 'signed-in',
  }),
  'comments.add': op({
    summary: 'Comment on a stretch of text, or reply to a comment (the id is made by the workstation)',
    input: z
      .object({
        key: IdempotencyKey,
        id: Id,
        documentId: Id,
        body: z.string().trim().min(1, 'Write the comment').max(5_000),
        quote: z.string().max(2_000),
        from: z.number().int().nonnegative(),
        to: z.number().int().nonnegative(),
        createdAt: z.number().int().nonnegative(),
        /** A reply: the thread's first comment (same document). */
        parentId: Id.optional(),
      })
      .strict(),
    output: Comment,
    access: 'signed-in',
  }),
  'comments.resolve': op({
    summary: 'Resolve a comment',
    input: z.object({ key: IdempotencyKey, id: Id }).strict(),
    output: Comment,
    access: 'signed-in',
  }),
  'locks.acquire': op({
    summary: 'Start (or keep: the heartbeat) editing a document, or learn who is; a lease that lapses after 90 s without a heartbeat',
    input: z.object({ documentId: Id, session: Session, claim: z.boolean().optional() }).strict(),
    output: LockState,
    access: 'signed-in',
  }),
  'locks.release': op({
    summary: 'Stop editing a document',
    input: z.object({ documentId: Id, session: Session }).strict(),
    output: z.object({ released: z.boolean() }),
    access: 'signed-in',
  }),
  'locks.takeOver': op({
    summary: "Take over a document someone else is editing (their pushed work stays as revisions; what they had not pushed arrives aside)",
    input: z.object({ documentId: Id, session: Session }).strict(),
    output: LockState,
    access: 'signed-in',
  }),
  'notifications.list': op({
    summary: 'Your stories approved or sent back, newest first',
    input: Empty,
    output: Notifications,
    access: 'signed-in',
  }),
  'notifications.markRead': op({
    summary: 'Mark your notifications read',
    input: Empty,
    output: Notifications,
    access: 'signed-in',
  }),
  'assets.put': op({
    summary: "Upload a photo's original bytes (checked against its SHA-256)",
    input: z.object({ sha256: Sha256, fileName: z.string().min(1).max(255), mime: z.string().max(100), data: Base64 }).strict(),
    output: DeskAsset,
    access: 'signed-in',
  }),
  'assets.has': op({
    summary: 'Which of these photos the desk holds',
    input: z.object({ sha256s: z.array(Sha256).min(1).max(1_000) }).strict(),
    output: z.object({ held: z.array(Sha256) }),
    access: 'signed-in',
  }),
  'assets.get': op({
    summary: "A photo's original bytes",
    input: z.object({ sha256: Sha256 }).strict(),
    output: DeskAsset.extend({ data: Base64 }),
    access: 'signed-in',
  }),
  'publishing.targets': op({
    summary: "The desk's publish targets (never their secrets)",
    input: Empty,
    output: z.object({ targets: z.array(PublishTarget), secretStorage: z.literal('desk') }),
    access: 'signed-in',
  }),
  'publishing.saveTarget': op({
    summary: 'Add or change a publish target (its secret is sealed on the desk)',
    input: TargetInput,
    output: PublishTarget,
    access: ['editor'],
  }),
  'publishing.removeTarget': op({
    summary: 'Remove a publish target',
    input: z.object({ id: Id }).strict(),
    output: Ok,
    access: ['editor'],
  }),
  'publishing.testTarget': op({
    summary: 'Check a publish target’s address and credentials',
    input: z.object({ id: Id.optional(), config: TargetConfig, secret: z.string().max(4_000).optional(), staffToken: z.union([z.literal(''), StaffToken]).optional() }).strict(),
    output: z.object({ ok: z.boolean(), message: z.string(), warnings: z.array(z.string()) }),
    access: ['editor'],
  }),
  'publishing.status': op({
    summary: 'Where a document stands on each publish target',
    input: z.object({ documentId: Id }).strict(),
    output: z.array(TargetStatus),
    access: 'signed-in',
  }),
  'publishing.retry': op({
    summary: 'Send a failed or waiting publishing job again now',
    input: z.object({ jobId: z.number().int().positive() }).strict(),
    output: PublishJob,
    access: ['editor'],
  }),
  'publishing.cancel': op({
    summary: 'Stop a publishing job',
    input: z.object({ jobId: z.number().int().positive() }).strict(),
    output: PublishJob,
    access: ['editor'],
  }),
  'publishing.resolve': op({
    summary: 'Decide a conflict (overwrite or keep the CMS’s version) or a missing post (recreate or unlink)',
    input: z.object({ jobId: z.number().int().positive(), choice: z.enum(['overwrite', 'keepRemote', 'recreate', 'unlink']) }).strict(),
    output: PublishJob,
    access: ['editor'],
  }),
} as const satisfies Record<string, DeskOperation>;

export type DeskContract = typeof deskContract;
export type DeskOperationName = keyof DeskContract;
export type DeskInput<K extends DeskOperationName> = z.input<DeskContract[K]['input']>;
export type DeskParsedInput<K extends DeskOperationName> = z.output<DeskContract[K]['input']>;
export type DeskOutput<K extends DeskOperationName> = z.output<DeskContract[K]['output']>;
export const DESK_OPERATION_NAMES = Object.keys(deskContract) as DeskOperationName[];

export function isDeskOperationName(name: string): name is DeskOperationName {
  return Object.hasOwn(deskContract, name);
}

/** What the desk pushes on its event socket. */
export const DeskEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('changed'), seq: z.number() }),
  /** This session was ended (signed out elsewhere, expired, or the person revoked). */
  z.object({ type: z.literal('signedOut'), reason: z.string() }),
]);
export type DeskEvent = z.infer<typeof DeskEvent>;

export const DESK_ROLES = ROLES;

/** The words a workstation shows for its link to the desk (top bar). */
export const DESK_STATES = ['alone', 'connected', 'offline', 'signed-out'] as const;
export const DeskState = z.enum(DESK_STATES);
export type DeskState = z.infer<typeof DeskState>;

/** The WebSocket subprotocol that carries a desk session token (never the URL). */
export const DESK_TOKEN_PROTOCOL_PREFIX = 'galley.';
