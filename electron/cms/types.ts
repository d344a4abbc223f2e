/**
 * One interface for every CMS (ARCHITECTURE.md, Publishing). The outbox worker
 * (electron/services/publishing.ts) decides what to do and when; an adapter only
 * speaks its CMS's API. Every failure leaves an adapter as a CmsError, so the worker
 * treats WordPress, Ghost, a webhook and a folder the same way.
 */

export type CmsErrorKind =
  /** Try again later: network error, timeout, 408, 429, 5xx. */
  | 'retry'
  /** The CMS refused the credentials (401/403): pause the target and ask for them. */
  | 'auth'
  /** The remote item changed since Galley last wrote it (or a 409 collision). */
  | 'conflict'
  /** Will not work however often it is tried (400, 413, 422, …); show the CMS's message. */
  | 'permanent';

export class CmsError extends Error {
  readonly kind: CmsErrorKind;
  /** The HTTP status, or null for network errors and local (folder) failures. */
  readonly status: number | null;
  /** The CMS's Retry-After, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | null;
  /** The CMS's own words (its JSON `message`, or the start of the body). */
  readonly cmsMessage: string;
  constructor(kind: CmsErrorKind, message: string, opts: { status?: number | null; retryAfterMs?: number | null; cmsMessage?: string } = {}) {
    super(message);
    this.name = 'CmsError';
    this.kind = kind;
    this.status = opts.status ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
    this.cmsMessage = opts.cmsMessage ?? message;
  }
}

/** A photo as published: the asset's bytes plus the caption document's words. */
export type PublishPhoto = {
  sha256: string;
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  /** A safe file name for the upload, e.g. `harbour-fire-3f2a9c1e.jpg`. */
  fileName: string;
  bytes: Uint8Array;
  width: number;
  height: number;
  /** The caption document that describes the photo (Galley's id). */
  captionDocumentId: string;
  /** The caption as plain text and as HTML rendered with the editor schema. */
  captionText: string;
  captionHtml: string;
  credit: string;
  photographer: string;
  copyright: string;
  altText: string;
  /** The credit as the newsroom prints it under a caption, e.g. "Photo: Ana Ruiz/Harbour Times". */
  creditLine: string;
};

/** What the CMS gave back for an uploaded photo. */
export type RemoteMedia = { remoteId: string; url: string };

/** A post on the CMS as Galley last saw it. `modified` is the CMS's modification marker. */
export type RemoteRef = { remoteId: string; url: string; modified: string };

/** What the CMS holds now, for conflict checks and the side-by-side view. */
export type RemoteState = RemoteRef & { title: string; html: string; status: string; galleyRevisionId: string | null };

/** An article ready to send: the approved revision rendered, photos already uploaded. */
export type PublishArticle = {
  documentId: string;
  revisionId: string;
  slug: string;
  headline: string;
  dek: string;
  byline: string;
  section: string;
  tags: string[];
  contributorLine: string;
  /** Semantic HTML of the body, rendered from the approved revision with the figures filled in. */
  html: string;
  /** The body's figures in order, each with what its upload returned (null for targets that embed). */
  figures: { photo: PublishPhoto; media: RemoteMedia | null; captionOverride: string | null }[];
  /** The first figure: WordPress's featured image, Ghost's feature_image. */
  featured: { photo: PublishPhoto; media: RemoteMedia | null } | null;
  /** null: live now. A time in the future: scheduled. */
  publishAt: number | null;
  firstPublishedAt: number | null;
};

export type PublishBio = {
  documentId: string;
  revisionId: string;
  name: string;
  title: string;
  email: string;
  bioText: string;
  bioHtml: string;
};

export type CmsAdapter = {
  /** Checks the credentials and says whose they are ("Signed in as editor on example.org"). */
  verify(): Promise<{ account: string; warnings: string[] }>;
  /** An earlier post for this document (by Galley's document id stored in the post, then by slug). */
  findExisting(article: { documentId: string; slug: string }): Promise<RemoteRef | null>;
  /** Reads the remote post's current state and modification marker; null when it no longer exists. */
  readRemote(ref: RemoteRef): Promise<RemoteState | null>;
  createArticle(article: PublishArticle): Promise<RemoteRef>;
  updateArticle(ref: RemoteRef, article: PublishArticle): Promise<RemoteRef>;
  unpublish(ref: RemoteRef): Promise<RemoteRef>;
  /** Uploads a photo with its caption, credit and alt text. */
  uploadPhoto(photo: PublishPhoto): Promise<RemoteMedia>;
  /** Caption edits after publishing: updates the media item's caption, credit and alt text. */
  updatePhoto(media: RemoteMedia, photo: PublishPhoto): Promise<void>;
  /** Updates the author's bio on the CMS; returns what was updated. */
  updateBio(bio: PublishBio): Promise<RemoteRef>;
};

/** What every adapter is built from: the target's settings and its decrypted secret. */
export type AdapterOptions<C> = {
  config: C;
  secret: string;
  /** Ghost only: a staff user's Staff access token, for bio (staff user) edits. */
  staffToken?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Injected for tests that need a fixed clock (Ghost's JWT). */
  now?: () => number;
};
