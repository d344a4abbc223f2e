import { z } from 'zod';

/**
 * Publish targets and outbox jobs as both sides see them. Secrets never appear here:
 * the renderer sends a secret once when saving a target and only ever learns back
 * whether one is stored (`hasSecret`).
 */
export const CMS_TYPES = ['wordpress', 'ghost', 'webhook', 'folder'] as const;
export const CmsType = z.enum(CMS_TYPES);
export type CmsType = z.infer<typeof CmsType>;

/** The choice **CMS type** in Settings → Publish targets (UI.md). */
export const CMS_TYPE_LABELS: Record<CmsType, string> = {
  wordpress: 'WordPress',
  ghost: 'Ghost',
  webhook: 'Webhook (ninjs)',
  folder: 'Folder',
};

/** What the secret is called for each type (UI.md): the textbox's name. */
export const SECRET_LABELS: Record<CmsType, string | null> = {
  wordpress: 'Application password',
  ghost: 'Admin API key',
  webhook: 'Secret',
  folder: null,
};

/**
 * Ghost's second, optional secret: a staff user's own token (Ghost → your profile →
 * Staff access token). Ghost refuses staff-user edits made with an integration's Admin
 * API key (501), so a bio reaches Ghost only with one of these.
 */
export const STAFF_TOKEN_LABEL = 'Staff access token';

/** A Staff access token as Ghost shows it: `<id>:<hex secret>`, like an Admin API key. */
export const StaffToken = z
  .string()
  .trim()
  .max(4_000)
  .refine((v) => /^[A-Za-z0-9]+:[0-9a-fA-F]{32,}$/.test(v), 'A Staff access token looks like <id>:<secret> (copy it whole from your staff profile in Ghost)');

const httpUrl = z
  .string()
  .trim()
  .min(1, 'A site URL is required')
  .max(2_000)
  .refine((u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'http:' || p === 'https:';
    } catch {
      return false;
    }
  }, 'Expected a web address starting with http:// or https://');

/** The settings a target needs that are not secret. */
export const TargetConfig = z.discriminatedUnion('type', [
  z.object({ type: z.literal('wordpress'), siteUrl: httpUrl, username: z.string().trim().min(1, 'A username is required').max(200) }),
  z.object({ type: z.literal('ghost'), siteUrl: httpUrl }),
  z.object({ type: z.literal('webhook'), siteUrl: httpUrl }),
  z.object({ type: z.literal('folder'), folder: z.string().trim().min(1, 'A folder is required').max(4_000) }),
]);
export type TargetConfig = z.infer<typeof TargetConfig>;

/** A site URL compared as an address: host case, a default port and trailing slashes do not make another site. */
function addressOf(siteUrl: string): string {
  try {
    const u = new URL(siteUrl.trim());
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return siteUrl.trim();
  }
}

/**
 * Whether a stored secret may be used with `next`: only for the same CMS type, site
 * URL and username it was given for. Anything else would send a saved password to an
 * address nobody typed it for (issue #16, item 3), so a change needs the secret again.
 */
export function sameCredentials(stored: TargetConfig, next: TargetConfig): boolean {
  if (stored.type !== next.type) return false;
  if ('siteUrl' in stored && 'siteUrl' in next && addressOf(stored.siteUrl) !== addressOf(next.siteUrl)) return false;
  if (stored.type === 'wordpress' && next.type === 'wordpress' && stored.username.trim() !== next.username.trim()) return false;
  return true;
}

export const PublishTarget = z.object({
  id: z.string(),
  name: z.string(),
  config: TargetConfig,
  hasSecret: z.boolean(),
  /** Ghost only: whether a Staff access token is stored (for bios). */
  hasStaffToken: z.boolean(),
  /** Set when the CMS refused the credentials: jobs wait until they are fixed. */
  pausedReason: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type PublishTarget = z.infer<typeof PublishTarget>;

/**
 * Saving a target: `secret` (and Ghost's `staffToken`) omitted keeps the stored one
 * while the type, site URL and username stay the same; an empty string clears it.
 */
export const TargetInput = z
  .object({
    id: z.string().max(100).optional(),
    name: z.string().trim().min(1, 'A name is required').max(200),
    config: TargetConfig,
    secret: z.string().max(4_000).optional(),
    /** Ghost only; an empty string clears it. */
    staffToken: z.union([z.literal(''), StaffToken]).optional(),
  })
  .strict();
export type TargetInput = z.infer<typeof TargetInput>;

export const JOB_ACTIONS = ['publish', 'unpublish', 'caption', 'bio'] as const;
export const JobAction = z.enum(JOB_ACTIONS);
export type JobAction = z.infer<typeof JobAction>;

/**
 * queued → sending → done; sending → retrying → sending …; failed, conflict and
 * paused wait for a person (Retry / Cancel / resolve); cancelled is final.
 */
export const JOB_STATES = ['queued', 'scheduled', 'sending', 'retrying', 'done', 'failed', 'conflict', 'missing', 'paused', 'cancelled'] as const;
export const JobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobState>;

export const PublishJob = z.object({
  id: z.number(),
  documentId: z.string(),
  targetId: z.string(),
  targetName: z.string(),
  action: JobAction,
  revisionId: z.string().nullable(),
  state: JobState,
  attempts: z.number(),
  nextAttemptAt: z.number().nullable(),
  /** When the post should go live (Schedule); null for now. */
  publishAt: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type PublishJob = z.infer<typeof PublishJob>;

/** Where a document stands on one target: its latest job and the remote post. */
export const TargetStatus = z.object({
  targetId: z.string(),
  targetName: z.string(),
  job: PublishJob.nullable(),
  remoteUrl: z.string().nullable(),
  remoteStatus: z.enum(['published', 'scheduled', 'withdrawn']).nullable(),
  publishedRevisionId: z.string().nullable(),
  /** For a conflict: what the CMS holds now and what Galley would send. */
  conflict: z.object({ remoteTitle: z.string(), remoteText: z.string(), localTitle: z.string(), localText: z.string() }).nullable(),
});
export type TargetStatus = z.infer<typeof TargetStatus>;

/** The job state in words, as the Publishing region shows it (UI.md). */
export function jobStateText(job: Pick<PublishJob, 'state' | 'action' | 'lastError' | 'nextAttemptAt' | 'publishAt'>, now: number): string {
  switch (job.state) {
    case 'queued':
      return 'Queued';
    case 'scheduled':
      return `Scheduled for ${new Date(job.publishAt ?? 0).toLocaleString()}`;
    case 'sending':
      return job.action === 'unpublish' ? 'Unpublishing…' : 'Publishing…';
    case 'retrying': {
      const s = Math.max(1, Math.ceil(((job.nextAttemptAt ?? now) - now) / 1000));
      return `Retrying in ${s} s`;
    }
    case 'done':
      return job.action === 'unpublish' ? 'Withdrawn' : job.publishAt && job.publishAt > now ? `Scheduled for ${new Date(job.publishAt).toLocaleString()}` : 'Published';
    case 'failed':
      return `Failed: ${job.lastError ?? 'unknown error'}`;
    case 'conflict':
      return 'Conflict: changed in the CMS';
    case 'missing':
      return 'Failed: the post is gone from the CMS';
    case 'paused':
      return `Paused: ${job.lastError ?? 'the CMS refused the credentials'}`;
    case 'cancelled':
      return 'Cancelled';
  }
}

/** Backoff for retryable failures: exponential with full jitter, capped; Retry-After wins when longer. */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, random = Math.random): number {
  const base = Math.min(5 * 60_000, 2_000 * 2 ** Math.min(attempt - 1, 10));
  const jittered = base / 2 + random() * (base / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** After this many attempts a retryable failure is reported as failed (Retry starts again). */
export const MAX_ATTEMPTS = 8;

/**
 * What Publish's confirm dialog shows before anything is sent (issue #18, item 11):
 * the targets, the approved version, and the story as the CMS will receive it, built
 * by the same functions the outbox uses (electron/services/publishPreview.ts).
 */
export const PublishPreview = z.object({
  documentId: z.string(),
  /** The approved revision Publish sends; the dialog's Publish names exactly it. */
  revisionId: z.string(),
  approval: z.object({ byName: z.string(), at: z.number(), note: z.string().nullable() }).nullable(),
  /** Where it will go. With a newsroom desk: the desk's targets. */
  targets: z.array(z.object({ id: z.string(), name: z.string(), type: CmsType })),
  /** The target whose version `html` is (photo addresses differ per target); null with none. */
  targetId: z.string().nullable(),
  /** The post's title (headline, a bio's name, a caption's start), slug and meta. */
  title: z.string(),
  slug: z.string(),
  meta: z.array(z.object({ name: z.string(), value: z.string() })),
  /**
   * The body exactly as the adapters send it (article.html / bioHtml / captionHtml).
   * A photo not yet uploaded to the target has no address until it is: its img has no src.
   */
  html: z.string(),
  /** A folder target writes a whole page: that page, else null. */
  page: z.string().nullable(),
});
export type PublishPreview = z.infer<typeof PublishPreview>;
