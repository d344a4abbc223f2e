import { z } from 'zod';
import { DocumentContent, DocumentKind, DocumentRecord, DocumentSummary, Status } from './documents.ts';
import { Person, PersonName, ROLES, Role } from './people.ts';
import { Redline, Retention, RevisionSummary } from './revisions.ts';
import { Appearance } from './appearance.ts';
import { Asset, ImageSize } from './photos.ts';
import { StyleConfig } from './style/houseStyle.ts';
import { ParsedImport } from './import/textImport.ts';
import { WorkflowAction, WorkflowEvent } from './workflow.ts';
import { PrePublishCheck } from './prepublish.ts';
import { Comment, CommentAnchor } from './comments.ts';
import { PublishJob, PublishPreview, PublishTarget, StaffToken, TargetConfig, TargetInput, TargetStatus } from './publishing.ts';
import { ErrorBody } from './errors.ts';
import { QueueItem } from './reviewQueue.ts';
import { WorkingDelta } from './workingDelta.ts';
import { DeskName, DeskPerson, DeskState, Notifications, Password, Username } from './desk.ts';

/**
 * Every operation the renderer can ask of the back end, declared once: its input and
 * output schemas and who may call it. Electron IPC, browser-mode HTTP and the
 * in-process test client all carry these same calls (electron/dispatch.ts), so no
 * method is written twice. Add an operation here and a handler in electron/handlers.ts.
 *
 * `roles`:
 *  - 'nobody-yet': callable before anyone has said who is at the keyboard (first run).
 *  - a list of roles: the current person must hold one of them.
 */
export type Access = 'nobody-yet' | readonly Role[];

export type Operation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = {
  input: I;
  output: O;
  roles: Access;
  summary: string;
};


const LockState = z.object({
  held: z.boolean(),
  holderName: z.string(),
  since: z.number(),
  /** Held by the same person in another window. */
  elsewhere: z.boolean(),
});
/** One editor window's identity, so one person's two windows do not clash either. */
const Session = z.string().min(8).max(64);

const op = <I extends z.ZodType, O extends z.ZodType>(o: Operation<I, O>) => o;

/**
 * The workstation's link to the newsroom desk (Settings → Newsroom desk, and the top
 * bar): `alone` with no desk configured, else connected, offline (actions wait in the
 * outbox) or signed out.
 */
export const DeskLink = z.object({
  state: DeskState,
  address: z.string().nullable(),
  deskName: z.string().nullable(),
  /** The desk has no administrator yet: the first person to sign up creates it. */
  needsSetup: z.boolean(),
  /** Who is signed in to the desk (also the workstation's current person). */
  person: DeskPerson.nullable(),
  /** Actions in the local outbox not yet accepted by the desk ("Waiting to send"). */
  waiting: z.number(),
  /** The last thing that went wrong talking to the desk, in words for a person. */
  lastError: z.string().nullable(),
  lastSyncAt: z.number().nullable(),
});
export type DeskLink = z.infer<typeof DeskLink>;

export const DeskOutboxItem = z.object({
  id: z.string(),
  /** The desk operation it will call (workflow.act, comments.add, sync.push…). */
  operation: z.string(),
  /** What it is, for a person: "Submit for edit: <headline>". */
  summary: z.string(),
  documentId: z.string().nullable(),
  state: z.enum(['waiting', 'refused']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
});
export type DeskOutboxItem = z.infer<typeof DeskOutboxItem>;

const DeskAddress = z
  .string()
  .trim()
  .min(1, 'Enter the desk address')
  .max(2_000)
  .refine((u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'http:' || p === 'https:';
    } catch {
      return false;
    }
  }, 'Expected a desk address starting with http:// or https://');

const EVERYONE = ROLES;
const Id = z.string().min(1, 'An id is required').max(100);
/** The most documents one documents.getMany call opens. */
export const MOST_DOCUMENTS_PER_CALL = 200;
const Empty = z.object({}).strict();
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 in hex');
/** A revision's id (the SHA-256 of its record, in hex). */
const RevisionId = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a revision id (64 hex digits)');
/** Raw bytes: a Uint8Array over IPC and in-process; HTTP carries them as base64 (see web.ts). */
const Bytes = z.instanceof(Uint8Array, { message: 'Expected file bytes' });

export const contract = {
  'session.get': op({
    summary: 'Who is at the keyboard (null on first run)',
    input: Empty,
    output: z.object({ person: Person.nullable() }),
    roles: 'nobody-yet',
  }),
  'session.switch': op({
    summary: 'Make another person the one at the keyboard',
    input: z.object({ personId: Id }).strict(),
    output: z.object({ person: Person }),
    roles: 'nobody-yet',
  }),
  'people.list': op({
    summary: "The workstation's people",
    input: Empty,
    output: z.array(Person),
    roles: 'nobody-yet',
  }),
  'people.create': op({
    summary: 'Add a person (first run, or Switch user → add)',
    input: z.object({ name: PersonName, role: Role }).strict(),
    output: Person,
    roles: 'nobody-yet',
  }),
  'documents.list': op({
    summary: 'The desk: documents, newest change first',
    input: z
      .object({
        kind: DocumentKind.optional(),
        status: Status.optional(),
        query: z.string().max(500).optional(),
        trashed: z.boolean().optional(),
      })
      .strict(),
    output: z.array(DocumentSummary),
    roles: EVERYONE,
  }),
  'documents.create': op({
    summary: 'Start a new article, caption or bio',
    input: z.object({ kind: DocumentKind }).strict(),
    output: DocumentRecord,
    roles: EVERYONE,
  }),
  'documents.get': op({
    summary: 'Open a document with its working copy',
    input: z.object({ id: Id }).strict(),
    output: DocumentRecord,
    roles: EVERYONE,
  }),
  'documents.getMany': op({
    summary: 'Open several documents at once (the figures of an article); each answer is the record or why not',
    input: z.object({ ids: z.array(Id).min(1).max(MOST_DOCUMENTS_PER_CALL) }).strict(),
    output: z.array(z.union([z.object({ id: z.string(), document: DocumentRecord }), z.object({ id: z.string(), error: ErrorBody })])),
    roles: EVERYONE,
  }),
  'documents.saveWorking': op({
    summary: 'Save the working copy (called while typing, debounced)',
    input: z
      .object({
        id: Id,
        /** The version the editor started from; an older one is refused as a conflict. */
        version: z.number().int().nonnegative(),
        /** The whole content: the first save, a restore, or after a refused delta. */
        content: DocumentContent.optional(),
        /**
         * Or only what changed since the copy saved at `version` (shared/workingDelta.ts).
         * Refused as a conflict naming `delta` when it does not fit that copy; the
         * editor then sends the whole content.
         */
        delta: WorkingDelta.optional(),
        /** The editor window saving (see locks.acquire). */
        session: z.string().min(8).max(64).optional(),
        /** Comment anchors as mapped through the edits in this save. */
        anchors: z.array(CommentAnchor).max(5_000).optional(),
        /** The person unlocked a published story's slug (Unlock slug): it may change. */
        unlockSlug: z.literal(true).optional(),
      })
      .strict()
      .refine((input) => (input.content === undefined) !== (input.delta === undefined), {
        message: 'Send either the whole content or a delta, not both or neither',
        path: ['content'],
      }),
    output: z.object({ version: z.number(), updatedAt: z.number(), title: z.string(), wordCount: z.number() }),
    roles: EVERYONE,
  }),
  'documents.trash': op({
    summary: 'Move a document to the trash (restorable)',
    input: z.object({ id: Id }).strict(),
    output: DocumentSummary,
    roles: EVERYONE,
  }),
  'documents.restore': op({
    summary: 'Bring a document back from the trash',
    input: z.object({ id: Id }).strict(),
    output: DocumentSummary,
    roles: EVERYONE,
  }),
  'documents.slugCheck': op({
    summary: 'Whether another story already uses a slug',
    input: z.object({ slug: z.string().min(1).max(200), exceptId: Id }).strict(),
    output: z.object({ takenBy: z.object({ id: z.string(), title: z.string() }).nullable() }),
    roles: EVERYONE,
  }),
  'documents.assign': op({
    summary: 'Hand a document to a person (or take it back)',
    input: z.object({ id: Id, personId: Id.nullable() }).strict(),
    output: DocumentSummary,
    roles: ['editor'],
  }),
  'workflow.transition': op({
    summary: 'Submit for edit, request changes, approve, publish, schedule or unpublish (with a note where it takes one)',
    input: z
      .object({
        documentId: Id,
        action: WorkflowAction,
        note: z.string().max(2_000).optional(),
        /** Schedule: when the story goes live (milliseconds since 1970, in the future). */
        publishAt: z.number().int().positive().optional(),
        /**
         * Approve and Request changes (required): the revision the editor reviewed;
         * refused if the story has changed since. Publish and Schedule (optional): the
         * approved revision the editor means to send; refused if another was approved.
         */
        revisionId: RevisionId.optional(),
      })
      .strict(),
    output: DocumentRecord,
    roles: EVERYONE,
  }),
  'workflow.events': op({
    summary: "A document's audit trail, newest first",
    input: z.object({ documentId: Id }).strict(),
    output: z.array(WorkflowEvent),
    roles: EVERYONE,
  }),
  'workflow.queue': op({
    summary: "An editor's review queue: what waits for them (assigned to them first, then oldest submission first), then what they acted on lately, marked done",
    input: Empty,
    output: z.array(QueueItem),
    roles: ['editor'],
  }),
  'workflow.prepublish': op({
    summary: 'What must be fixed before this can be published',
    input: z.object({ documentId: Id }).strict(),
    output: z.array(PrePublishCheck),
    roles: EVERYONE,
  }),
  'notifications.list': op({
    summary: 'Your stories approved or sent back, newest first',
    input: Empty,
    output: Notifications,
    roles: EVERYONE,
  }),
  'notifications.markRead': op({
    summary: 'Mark your notifications read',
    input: Empty,
    output: Notifications,
    roles: EVERYONE,
  }),
  'locks.acquire': op({
    summary: 'Start (or keep) editing a document, or learn who is editing it',
    input: z.object({ documentId: Id, session: Session, claim: z.boolean().optional() }).strict(),
    output: LockState,
    roles: EVERYONE,
  }),
  'locks.release': op({
    summary: 'Stop editing a document',
    input: z.object({ documentId: Id, session: Session }).strict(),
    output: z.object({ released: z.boolean() }),
    roles: EVERYONE,
  }),
  'locks.takeOver': op({
    summary: 'Take over a document someone else is editing (their saved work is kept as a revision)',
    input: z.object({ documentId: Id, session: Session }).strict(),
    output: LockState,
    roles: EVERYONE,
  }),
  'comments.list': op({
    summary: 'Comments on a document, oldest first',
    input: z.object({ documentId: Id }).strict(),
    output: z.array(Comment),
    roles: EVERYONE,
  }),
  'comments.add': op({
    summary: 'Comment on a stretch of text',
    input: z
      .object({
        documentId: Id,
        body: z.string().trim().min(1, 'Write the comment').max(5_000),
        quote: z.string().max(2_000),
        from: z.number().int().nonnegative(),
        to: z.number().int().nonnegative(),
      })
      .strict(),
    output: Comment,
    roles: EVERYONE,
  }),
  'comments.reply': op({
    summary: 'Reply to a comment (a reply to a reply joins the same thread)',
    input: z
      .object({
        parentId: Id,
        body: z.string().trim().min(1, 'Write the reply').max(5_000),
      })
      .strict(),
    output: Comment,
    roles: EVERYONE,
  }),
  'comments.resolve': op({
    summary: 'Resolve a comment',
    input: z.object({ id: Id }).strict(),
    output: Comment,
    roles: EVERYONE,
  }),
  'revisions.list': op({
    summary: "A document's history, newest first",
    input: z.object({ documentId: Id }).strict(),
    output: z.array(RevisionSummary),
    roles: EVERYONE,
  }),
  'revisions.checkpoint': op({
    summary: 'Save version: cut a checkpoint of the working copy, with an optional note',
    input: z
      .object({
        documentId: Id,
        note: z.string().max(500, 'A note is at most 500 characters').optional(),
        /** Cut only if the working copy is still this version (the text on the caller's screen). */
        version: z.number().int().nonnegative().optional(),
      })
      .strict(),
    output: RevisionSummary,
    roles: EVERYONE,
  }),
  'revisions.restore': op({
    summary: 'Make a new revision equal to an earlier one and load it',
    input: z.object({ documentId: Id, revisionId: Id }).strict(),
    output: DocumentRecord,
    roles: EVERYONE,
  }),
  'revisions.compare': op({
    summary: 'Redline between two revisions of one document ("working" as toId: the current text)',
    input: z.object({ documentId: Id, fromId: Id, toId: Id }).strict(),
    output: Redline,
    roles: EVERYONE,
  }),
  'revisions.prune': op({
    summary: 'Apply the retention setting now',
    input: Empty,
    output: z.object({ removed: z.number(), blocksFreed: z.number() }),
    roles: ['editor'],
  }),
  'settings.get': op({
    summary: "The workstation's settings",
    input: Empty,
    // A default: answers from a back end that predates Appearance still parse.
    output: z.object({ retention: Retention, appearance: Appearance.default('system') }),
    roles: EVERYONE,
  }),
  'settings.update': op({
    // Anyone may choose the workstation's appearance; only an editor changes retention
    // (the handler refuses it from anyone else).
    summary: "Change the workstation's settings",
    input: z.object({ retention: Retention.optional(), appearance: Appearance.optional() }).strict(),
    output: z.object({ retention: Retention, appearance: Appearance.default('system') }),
    roles: EVERYONE,
  }),
  'imports.preview': op({
    summary: 'What Import text would make of a story copied from a web page',
    input: z.object({ text: z.string().min(1, 'Paste or open the text to import').max(1_000_000) }).strict(),
    output: z.object({ parsed: ParsedImport, bioMatch: z.object({ id: z.string(), title: z.string() }).nullable() }),
    roles: ['reporter', 'editor'],
  }),
  'imports.create': op({
    summary: 'Create the article (with its captions and bio) that Import text previewed',
    input: z.object({ text: z.string().min(1, 'Paste or open the text to import').max(1_000_000) }).strict(),
    output: DocumentRecord,
    roles: ['reporter', 'editor'],
  }),
  'style.config': op({
    summary: 'House-style settings and the newsroom’s own rules (house-style.json)',
    input: Empty,
    output: z.object({ config: StyleConfig, problems: z.array(z.string()), file: z.string() }),
    roles: EVERYONE,
  }),
  'assets.import': op({
    summary: 'Import a photo (JPEG, PNG or WebP, at most 50 MB) into the library',
    input: z.object({ fileName: z.string().min(1).max(255), data: Bytes }).strict(),
    output: Asset,
    roles: EVERYONE,
  }),
  'assets.get': op({
    summary: 'A photo’s size and embedded metadata',
    input: z.object({ sha256: Sha256 }).strict(),
    output: Asset,
    roles: EVERYONE,
  }),
  'assets.image': op({
    summary: 'A thumbnail or preview of a photo',
    input: z.object({ sha256: Sha256, size: ImageSize }).strict(),
    output: z.object({ dataUrl: z.string(), width: z.number(), height: z.number() }),
    roles: EVERYONE,
  }),
  'captions.attachPhoto': op({
    summary: 'Put a photo on a caption document, filling its empty fields from the photo’s metadata',
    input: z.object({ documentId: Id, sha256: Sha256 }).strict(),
    output: DocumentRecord,
    roles: EVERYONE,
  }),
  'captions.createFromPhoto': op({
    summary: 'Start a caption document for a photo, prefilled from its metadata',
    input: z.object({ sha256: Sha256 }).strict(),
    output: DocumentRecord,
    roles: EVERYONE,
  }),
  'publishing.targets': op({
    summary: 'The publish targets (never their secrets) and how secrets are stored',
    input: Empty,
    // 'desk': with a newsroom desk the targets and their secrets live on the desk (issue #17).
    output: z.object({ targets: z.array(PublishTarget), secretStorage: z.enum(['os-keychain', 'key-file', 'desk']) }),
    roles: EVERYONE,
  }),
  'publishing.saveTarget': op({
    summary: 'Add or change a publish target',
    input: TargetInput,
    output: PublishTarget,
    roles: ['editor'],
  }),
  'publishing.removeTarget': op({
    summary: 'Remove a publish target',
    input: z.object({ id: Id }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ['editor'],
  }),
  'publishing.testTarget': op({
    summary: 'Check a publish target’s address and credentials',
    input: z.object({ id: Id.optional(), config: TargetConfig, secret: z.string().max(4_000).optional(), staffToken: z.union([z.literal(''), StaffToken]).optional() }).strict(),
    output: z.object({ ok: z.boolean(), message: z.string(), warnings: z.array(z.string()) }),
    roles: ['editor'],
  }),
  'publishing.setStaffToken': op({
    summary: 'Give a Ghost target the Staff access token its bios need, and send its failed bios again',
    input: z.object({ targetId: Id, staffToken: StaffToken }).strict(),
    output: PublishTarget,
    roles: ['editor'],
  }),
  'publishing.status': op({
    summary: 'Where a document stands on each publish target',
    input: z.object({ documentId: Id }).strict(),
    output: z.array(TargetStatus),
    roles: EVERYONE,
  }),
  'publishing.preview': op({
    summary: 'The approved version as Publish would send it: targets, title, slug, meta and the exact HTML body',
    input: z.object({ documentId: Id, targetId: Id.optional() }).strict(),
    output: PublishPreview,
    roles: ['editor'],
  }),
  'publishing.retry': op({
    summary: 'Send a failed or waiting publishing job again now',
    input: z.object({ jobId: z.number().int().positive() }).strict(),
    output: PublishJob,
    roles: ['editor'],
  }),
  'publishing.cancel': op({
    summary: 'Stop a publishing job',
    input: z.object({ jobId: z.number().int().positive() }).strict(),
    output: PublishJob,
    roles: ['editor'],
  }),
  'publishing.resolve': op({
    summary: 'Decide a conflict (overwrite or keep the CMS’s version) or a missing post (recreate or unlink)',
    input: z.object({ jobId: z.number().int().positive(), choice: z.enum(['overwrite', 'keepRemote', 'recreate', 'unlink']) }).strict(),
    output: PublishJob,
    roles: ['editor'],
  }),
  'desk.status': op({
    summary: 'Whether this workstation works with a newsroom desk, and how that link stands',
    input: Empty,
    output: DeskLink,
    roles: 'nobody-yet',
  }),
  'desk.connect': op({
    summary: 'Use the newsroom desk at this address (checks that it answers; sign in next)',
    input: z.object({ address: DeskAddress }).strict(),
    output: DeskLink,
    roles: 'nobody-yet',
  }),
  'desk.setup': op({
    summary: 'Create the desk at the connected address: you become its administrator (an editor)',
    input: z.object({ deskName: DeskName, name: PersonName, username: Username, password: Password }).strict(),
    output: DeskLink,
    roles: 'nobody-yet',
  }),
  'desk.signIn': op({
    summary: 'Sign in to the newsroom desk',
    input: z.object({ username: Username, password: z.string().min(1, 'Enter the password').max(1_000) }).strict(),
    output: DeskLink,
    roles: 'nobody-yet',
  }),
  'desk.acceptInvite': op({
    summary: 'Join the newsroom desk with the invite code an administrator gave you',
    input: z.object({ code: z.string().trim().min(8, 'Enter the invite code').max(200), password: Password }).strict(),
    output: DeskLink,
    roles: 'nobody-yet',
  }),
  'desk.signOut': op({
    summary: 'Sign out of the newsroom desk (work stays on this workstation and waits to be sent)',
    input: Empty,
    output: DeskLink,
    roles: 'nobody-yet',
  }),
  'desk.disconnect': op({
    summary: 'Stop using the newsroom desk: this workstation works alone again',
    input: Empty,
    output: DeskLink,
    roles: 'nobody-yet',
  }),
  'desk.syncNow': op({
    summary: 'Send what is waiting and fetch what changed on the desk, now',
    input: Empty,
    output: DeskLink,
    roles: EVERYONE,
  }),
  'desk.outbox': op({
    summary: 'What is waiting to be sent to the desk, oldest first',
    input: Empty,
    output: z.array(DeskOutboxItem),
    roles: EVERYONE,
  }),
  'desk.people': op({
    summary: "The newsroom's people on the desk",
    input: Empty,
    output: z.array(DeskPerson),
    roles: EVERYONE,
  }),
  'desk.invite': op({
    summary: 'Invite a person to the desk with a role (administrators): gives the code to pass on',
    input: z.object({ name: PersonName, username: Username, role: Role }).strict(),
    output: z.object({ person: DeskPerson, code: z.string(), expiresAt: z.number() }),
    roles: EVERYONE,
  }),
  'desk.setRole': op({
    summary: "Change a person's role on the desk (administrators)",
    input: z.object({ personId: Id, role: Role }).strict(),
    output: DeskPerson,
    roles: EVERYONE,
  }),
  'desk.revoke': op({
    summary: "Revoke a person's access to the desk (administrators)",
    input: z.object({ personId: Id }).strict(),
    output: DeskPerson,
    roles: EVERYONE,
  }),
} as const satisfies Record<string, Operation>;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type Input<K extends OperationName> = z.input<Contract[K]['input']>;
export type ParsedInput<K extends OperationName> = z.output<Contract[K]['input']>;
export type Output<K extends OperationName> = z.output<Contract[K]['output']>;

export const OPERATION_NAMES = Object.keys(contract) as OperationName[];

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(contract, name);
}

export const APP_COMMANDS = ['new-article', 'new-caption', 'new-bio', 'switch-user', 'find'] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];

/** Events the back end pushes to every window (WebSocket in browser mode, IPC in Electron). */
export const events = {
  /**
   * session: set when the change is a working-copy save from that editor window (see
   * documents.saveWorking), which changes only the text, title and word count. Windows
   * use it to skip refetching what such a save cannot have changed; a save that makes
   * an approval stale sends a second event without it.
   */
  'documents.changed': z.object({ id: z.string(), session: z.string().optional() }),
  'session.changed': z.object({ personId: z.string() }),
  'revisions.changed': z.object({ documentId: z.string() }),
  'comments.changed': z.object({ documentId: z.string() }),
  /** A publishing job or target changed; documentId null when it concerns targets. */
  'publishing.changed': z.object({ documentId: z.string().nullable() }),
  /** The link to the newsroom desk changed: state, person, waiting count (ask desk.status). */
  'desk.changed': z.object({}),
  /** A command from the desktop app's menu (File → New article, …). */
  'app.command': z.object({ command: z.enum(APP_COMMANDS) }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** The one function a transport needs; the renderer's client and the test client share it. */
export interface GalleyClient {
  call<K extends OperationName>(name: K, input: Input<K>): Promise<Output<K>>;
  subscribe<E extends EventName>(event: E, fn: (payload: EventPayload<E>) => void): () => void;
}
