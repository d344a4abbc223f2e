import type { CmsAdapter, PublishArticle, PublishPhoto, RemoteRef, RemoteState } from '../../electron/cms/types.ts';
import { CmsError } from '../../electron/cms/types.ts';

/**
 * A CMS in memory, for testing the outbox worker's decisions (retry, pause, conflict,
 * lost responses, crash recovery) one failure at a time and deterministically. It is a
 * test double of the adapter interface, not of any real CMS: the adapters themselves
 * are tested against a real WordPress (wordpress.test.ts), a Ghost Admin API server
 * and a webhook receiver, and the whole path end to end in e2e/publishing.spec.ts.
 *
 * `failNext` queues failures for the next calls of one method; a failure with
 * `after: true` does the work first and then fails, like a response lost on the way
 * back.
 */
export type Post = { id: string; documentId: string; revisionId: string; slug: string; title: string; html: string; status: string; modified: number; publishAt: number | null; featured: string | null };
export type Fault = { method: keyof CmsAdapter; error: CmsError; after?: boolean };

export function memoryCms() {
  const posts = new Map<string, Post>();
  const media = new Map<string, { id: string; sha256: string; caption: string; alt: string }>();
  const bios = new Map<string, string>();
  const faults: Fault[] = [];
  const calls: string[] = [];
  let seq = 0;
  let clock = 1;

  const ref = (p: Post): RemoteRef => ({ remoteId: p.id, url: `https://cms.example/${p.slug}`, modified: String(p.modified) });
  async function guard<T>(method: keyof CmsAdapter, work: () => T): Promise<T> {
    calls.push(method);
    const i = faults.findIndex((f) => f.method === method);
    const fault = i >= 0 ? faults.splice(i, 1)[0] : undefined;
    if (fault && !fault.after) throw fault.error;
    const result = work();
    if (fault) throw fault.error;
    return result;
  }
  const write = (p: Post, a: PublishArticle) => {
    p.revisionId = a.revisionId;
    p.slug = a.slug;
    p.title = a.headline;
    p.html = a.html;
    p.status = a.publishAt && a.publishAt > Date.now() ? 'future' : 'publish';
    p.publishAt = a.publishAt;
    p.featured = a.featured?.media?.remoteId ?? null;
    p.modified = ++clock;
  };

  const adapter: CmsAdapter = {
    verify: () => guard('verify', () => ({ account: 'tester on memory', warnings: [] })),
    findExisting: ({ documentId }) =>
      guard('findExisting', () => {
        const p = [...posts.values()].find((x) => x.documentId === documentId);
        return p ? ref(p) : null;
      }),
    readRemote: (r) =>
      guard('readRemote', (): RemoteState | null => {
        const p = posts.get(r.remoteId);
        return p ? { ...ref(p), title: p.title, html: p.html, status: p.status, galleyRevisionId: p.revisionId } : null;
      }),
    createArticle: (a) =>
      guard('createArticle', () => {
        const p: Post = { id: `post-${++seq}`, documentId: a.documentId, revisionId: '', slug: '', title: '', html: '', status: '', modified: 0, publishAt: null, featured: null };
        write(p, a);
        posts.set(p.id, p);
        return ref(p);
      }),
    updateArticle: (r, a) =>
      guard('updateArticle', () => {
        const p = posts.get(r.remoteId);
        if (!p) throw new CmsError('permanent', 'Invalid post ID.', { status: 404 });
        write(p, a);
        return ref(p);
      }),
    unpublish: (r) =>
      guard('unpublish', () => {
        const p = posts.get(r.remoteId)!;
        p.status = 'draft';
        p.modified = ++clock;
        return ref(p);
      }),
    uploadPhoto: (photo: PublishPhoto) =>
      guard('uploadPhoto', () => {
        const id = `media-${++seq}`;
        media.set(id, { id, sha256: photo.sha256, caption: `${photo.captionText} ${photo.creditLine}`, alt: photo.altText });
        return { remoteId: id, url: `https://cms.example/media/${photo.fileName}` };
      }),
    updatePhoto: (m, photo) =>
      guard('updatePhoto', () => {
        media.set(m.remoteId, { id: m.remoteId, sha256: photo.sha256, caption: `${photo.captionText} ${photo.creditLine}`, alt: photo.altText });
      }),
    updateBio: (bio) =>
      guard('updateBio', () => {
        bios.set(bio.email, bio.bioText);
        return { remoteId: bio.email, url: '', modified: String(++clock) };
      }),
  };

  return {
    adapter,
    posts,
    media,
    bios,
    calls,
    failNext: (...f: Fault[]) => faults.push(...f),
    /** Someone edits the post in the CMS. */
    editInCms: (id: string, title: string) => {
      const p = posts.get(id)!;
      p.title = title;
      p.modified = ++clock;
    },
  };
}
