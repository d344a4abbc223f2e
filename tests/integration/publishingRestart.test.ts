import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetStatus } from '../../shared/publishing.ts';
import { tempDir } from '../support/backend.ts';
import { startFakeGhost, type FakeGhost } from '../support/fakeGhost.ts';
import { startWebServer, type RunningServer } from '../support/webServer.ts';

/**
 * A kill during Publish (issue #16, item 12): browser mode as a real child process,
 * publishing one story to two targets (the default Folder and a Ghost), killed with
 * SIGKILL while Ghost has not answered, then started again on the same data folder.
 * Both jobs must finish. The plain kill always recovered; what left the Folder's job
 * queued, past due, was a Schedule before it: the folder's held job (a folder cannot
 * schedule on its side) kept the newer Publish waiting behind it until its time. Ghost is tests/support/fakeGhost.ts (a real Ghost cannot be
 * installed here); everything else is real: the process, SQLite, HTTP, the folder.
 */
let server: RunningServer | null = null;
let ghost: FakeGhost | null = null;
let dir: ReturnType<typeof tempDir> | null = null;
afterEach(async () => {
  await server?.stop('SIGKILL');
  await ghost?.close();
  dir?.remove();
  server = ghost = dir = null;
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const res = await fetch(`${server!.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server!.token}` },
    body: JSON.stringify(input),
  });
  const answer = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!answer.ok) throw new Error(`${name}: ${answer.error?.message}`);
  return answer.value;
}

/** Approve names the revision the editor read: the one holding the text, kept first if none does. */
async function approve(documentId: string): Promise<void> {
  const record = await call<{ version: number; revisionId: string | null }>('documents.get', { id: documentId });
  const revisionId = record.revisionId ?? (await call<{ id: string }>('revisions.checkpoint', { documentId, version: record.version })).id;
  await call('workflow.transition', { documentId, action: 'approve', revisionId });
}

const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });

/** An approved article with a bio for its byline, made through the same calls the UI makes. */
async function approvedStory(): Promise<string> {
  type Doc = { id: string; version: number; content: { fields: Record<string, unknown> } };
  const bio = await call<Doc>('documents.create', { kind: 'bio' });
  await call('documents.saveWorking', {
    id: bio.id,
    version: bio.version,
    content: { kind: 'bio', fields: { ...bio.content.fields, name: 'Amara Osei', email: 'amara@example.org' }, body: { type: 'doc', content: [paragraph('Amara covers the harbour.')] } },
  });
  const photo = readFileSync(new URL('../fixtures/images/harbor-dawn.jpg', import.meta.url)).toString('base64');
  const asset = await call<{ sha256: string }>('assets.import', { fileName: 'harbor-dawn.jpg', data: { $bytes: photo } });
  const caption = await call<{ id: string }>('captions.createFromPhoto', { sha256: asset.sha256 });
  await call('workflow.transition', { documentId: caption.id, action: 'submit' });
  await approve(caption.id);
  const article = await call<Doc>('documents.create', { kind: 'article' });
  await call('documents.saveWorking', {
    id: article.id,
    version: article.version,
    content: {
      kind: 'article',
      fields: { ...article.content.fields, headline: 'Council backs harbour expansion', byline: 'Amara Osei', section: 'Local' },
      body: {
        type: 'doc',
        content: [paragraph('The council voted on Tuesday to expand the harbour.'), { type: 'figure', attrs: { captionId: caption.id, captionOverride: null } }],
      },
    },
  });
  await call('workflow.transition', { documentId: article.id, action: 'submit' });
  await approve(article.id);
  return article.id;
}

/** Polls the Publishing region's data until `ok` (the worker runs in the other process). */
async function until(documentId: string, ok: (rows: TargetStatus[]) => boolean, what: string): Promise<TargetStatus[]> {
  let rows: TargetStatus[] = [];
  // Generous: two processes start on two busy cores; the loop ends as soon as `ok` holds.
  const deadline = Date.now() + 100_000;
  while (Date.now() < deadline) {
    rows = await call<TargetStatus[]>('publishing.status', { documentId });
    if (ok(rows)) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seen = rows.map((r) => ({ target: r.targetName, state: r.job?.state, dueInMs: r.job?.nextAttemptAt ? r.job.nextAttemptAt - Date.now() : null, lastError: r.job?.lastError }));
  throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(seen)}`);
}

const stateOf = (rows: TargetStatus[], name: string) => rows.find((r) => r.targetName === name)?.job?.state;

/** Browser mode with an editor signed in, the default Folder target and a Ghost target. */
async function newsroom(): Promise<void> {
  dir = tempDir('galley-kill-');
  ghost = await startFakeGhost();
  server = await startWebServer({ dataDir: dir.dir });
  const eda = await call<{ id: string }>('people.create', { name: 'Eda Editor', role: 'editor' });
  await call('session.switch', { personId: eda.id });
  await call('publishing.saveTarget', { name: 'Ghost', config: { type: 'ghost', siteUrl: ghost!.url }, secret: ghost!.adminKey });
}

/** Publish now; Ghost takes the next request and never answers, and the app is killed meanwhile. */
async function publishAndKill(documentId: string): Promise<void> {
  const held = ghost!.holdNext({ method: 'GET', path: '/ghost/api/admin/posts/' });
  await call('workflow.transition', { documentId, action: 'publish' });
  await held;
  await server!.stop('SIGKILL');
  server = await startWebServer({ dataDir: dir!.dir });
}

async function expectBothPublished(documentId: string): Promise<void> {
  const rows = await until(documentId, (r) => stateOf(r, 'Folder') === 'done' && stateOf(r, 'Ghost') === 'done', 'both targets to publish');
  expect(rows.map((r) => [r.targetName, r.job?.state, r.remoteStatus])).toEqual([
    ['Folder', 'done', 'published'],
    ['Ghost', 'done', 'published'],
  ]);
  expect(existsSync(join(dir!.dir, 'published', 'council-backs-harbour-expansion.html'))).toBe(true);
  expect(ghost!.posts().map((p) => [p.title, p.status])).toEqual([['Council backs harbour expansion', 'published']]);
}

describe('a kill during Publish', () => {
  it('an editor publishes to the Folder and Ghost, the app is killed before Ghost answers, and after a restart both are published', async () => {
    await newsroom();
    const documentId = await approvedStory();
    await publishAndKill(documentId);
    await expectBothPublished(documentId);
  }, 180_000);

  it('an editor schedules a story, then publishes it now; killed before Ghost answers, after a restart both have it now', async () => {
    await newsroom();
    const documentId = await approvedStory();
    await call('workflow.transition', { documentId, action: 'schedule', publishAt: Date.now() + 86_400_000 });
    // Ghost holds the schedule on its side; the folder holds its job until the time.
    await until(documentId, (r) => stateOf(r, 'Folder') === 'scheduled' && stateOf(r, 'Ghost') === 'done', 'the schedule');
    await approve(documentId);
    await publishAndKill(documentId);
    // The held schedule must not keep the folder's Publish queued behind it until tomorrow.
    await expectBothPublished(documentId);
  }, 180_000);
});
