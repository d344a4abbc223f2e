import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { callApi, expect, expectSaved, firstRun, test } from './fixtures.ts';

/** Issue #18, items 11–13: Publish asks once, Undo notices, cut captions on import. */

const fixture = (name: string) => readFileSync(new URL(`../fixtures/content/${name}`, import.meta.url), 'utf8');

async function api<T>(page: Page, token: string, name: string, input: unknown): Promise<T> {
  const answer = await callApi<T>(page, token, name, input);
  if (!answer.ok) throw new Error(answer.error?.message);
  return answer.value;
}

/** The editor's own bio, so the byline passes the pre-publish checks. */
async function bioFor(page: Page, token: string, name: string) {
  const bio = await api<{ id: string; version: number; content: { fields: Record<string, unknown>; body: unknown } }>(page, token, 'documents.create', { kind: 'bio' });
  await api(page, token, 'documents.saveWorking', {
    id: bio.id,
    version: bio.version,
    content: { ...bio.content, fields: { ...bio.content.fields, name, email: 'rosa@example.org' }, body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `${name} edits the city desk.` }] }] } },
  });
}

async function approvedStory(page: Page, token: string, headline: string, text: string) {
  await bioFor(page, token, 'Rosa Imbert');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill(headline);
  await page.getByLabel('Byline').fill('Rosa Imbert');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type(text);
  await expectSaved(page);
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByText(/^Approved by Rosa Imbert at .* — revision [0-9a-f]{10}$/)).toBeVisible();
  const [story] = await api<{ id: string }[]>(page, token, 'documents.list', { kind: 'article' });
  return api<{ id: string; approvedRevisionId: string }>(page, token, 'documents.get', { id: story!.id });
}

test('Publish asks once: the dialog names the target and the approved version, Preview shows the body without running it, Cancel sends nothing, Publish sends it once', async ({ page, galley }) => {
  const token = galley.server.token;
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  // Markup typed into the story is text: the preview shows it and never runs it.
  const story = await approvedStory(page, token, 'Ferry fares rise', 'Fares rise in March. <img src=x onerror=window.pwned=1><script>window.pwned=2</script>');
  const publish = page.getByRole('button', { name: 'Publish', exact: true });

  // Escape cancels, and focus is back on Publish.
  await publish.click();
  const dialog = page.getByRole('dialog', { name: 'Publish this story?' });
  await expect(dialog).toContainText('It goes to Folder (Folder).');
  await expect(dialog).toContainText(new RegExp(`The version approved by Rosa Imbert at .* — revision ${story.approvedRevisionId.slice(0, 10)}`));
  await expect(dialog.getByRole('button', { name: 'Preview' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(publish).toBeFocused();

  // Preview: the page as it will go out.
  await publish.click();
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByRole('region', { name: 'Page preview' });
  await expect(preview.getByRole('heading', { name: 'Ferry fares rise' })).toBeVisible();
  await expect(preview.locator('.preview-body')).toHaveText('Fares rise in March. <img src=x onerror=window.pwned=1><script>window.pwned=2</script>');
  await preview.getByText('HTML sent to the CMS').click();
  await expect(preview.locator('pre')).toContainText('<p>Fares rise in March. &lt;img src=x onerror=window.pwned=1&gt;&lt;script&gt;');
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

  // Cancel publishes nothing.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(publish).toBeFocused();
  expect(await api<unknown[]>(page, token, 'publishing.status', { documentId: story.id })).toEqual([]);
  // The region is there on every kind; until something is sent it says so and lists no job.
  await expect(page.getByRole('region', { name: 'Publishing', exact: true })).toContainText('Not published yet.');

  // Publish, in the dialog, sends it once.
  await publish.click();
  await expect(dialog.getByText(/revision [0-9a-f]{10}/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(dialog).toBeHidden();
  const region = page.getByRole('region', { name: 'Publishing', exact: true });
  await expect(region.getByRole('status')).toHaveText('Published', { timeout: 30_000 });
  const rows = await api<{ job: { revisionId: string } | null }[]>(page, token, 'publishing.status', { documentId: story.id });
  expect(rows).toHaveLength(1);
  expect(rows[0]!.job?.revisionId).toBe(story.approvedRevisionId);
  const events = await api<{ action: string }[]>(page, token, 'workflow.events', { documentId: story.id });
  expect(events.filter((e) => e.action === 'publish')).toHaveLength(1);

  // Published and unedited: nothing to submit or approve, until someone edits it.
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Submit for edit' })).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Commuters object.');
  await expectSaved(page);
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Submit for edit' })).toBeVisible();
});

test('Restore this version says what it restored, and Undo brings back the text that was there', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Harbor board approves dredging plan');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('The board voted 5-2.');
  await page.getByLabel('Version note').fill('First draft');
  await page.getByRole('button', { name: 'Save version' }).click();
  await expect(page.getByText('Version saved: “First draft”')).toBeVisible();
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Fishermen object.');
  await page.keyboard.press('Control+s');
  await expect(page.getByText(/^Version saved$/)).toBeVisible();
  // Typed after the last version: Undo must bring this back too.
  await page.keyboard.type(' The vote is final.');
  await expectSaved(page);

  await page.getByRole('button', { name: 'History', exact: true }).click();
  const items = page.getByRole('complementary', { name: 'History' }).getByRole('list', { name: 'Revisions' }).getByRole('listitem');
  const checkpoint = items.filter({ hasText: 'First draft' });
  await checkpoint.getByRole('button', { name: 'Restore this version' }).click();
  const body = page.getByRole('textbox', { name: 'Body' });
  await expect(body).toHaveText('The board voted 5-2.');
  const notice = page.getByRole('status').filter({ hasText: 'Restored the version of' });
  await expect(notice).toHaveText(/^Restored the version of \d{1,2}:\d{2}( [AP]M)? by Amara Osei\./);

  // Undo, from the keyboard: another restore, of the text that was current before.
  await notice.getByRole('button', { name: 'Undo' }).focus();
  await page.keyboard.press('Enter');
  await expect(body).toHaveText('The board voted 5-2. Fishermen object. The vote is final.');
  await expect(page.getByRole('status').filter({ hasText: 'Restore undone: the text is as it was before.' })).toBeVisible();
  // History was never rewritten: two restores on top of what was there.
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect(items.filter({ hasText: 'Restored' })).toHaveCount(2);
});

test('Move to trash says which story went, and Undo brings it back to the desk', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Ferry fares rise');
  await expectSaved(page);
  await page.getByRole('button', { name: 'Move to trash' }).click();
  await expect(page.getByText('No stories yet')).toBeVisible();
  const notice = page.getByRole('status').filter({ hasText: 'Moved “Ferry fares rise” to the trash.' });
  await expect(notice).toBeVisible();
  await notice.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '“Ferry fares rise” is back on the desk.' })).toBeVisible();
  await page.getByRole('status').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByText('“Ferry fares rise” is back on the desk.')).toHaveCount(0);
});

test('Import text flags captions the source cut short, and the caption’s Checks say so until it is completed', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('button', { name: 'Import text' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import text' });
  await dialog.getByLabel('Text to import').fill(fixture('scraped-page.txt'));
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByRole('region', { name: 'Import preview' });
  // Both photo blocks of the page end in "..." before the credit.
  await expect(preview.locator('figure').filter({ hasText: 'Caption cut short in the source: ask the photo desk to complete it' })).toHaveCount(2);
  await preview.getByRole('button', { name: 'Create article' }).click();
  await expect(page.getByLabel('Headline')).toHaveValue('Ferry Service to Halvard Island Suspended as Storm Damage Is Assessed');

  await page.getByLabel('Kind').selectOption({ label: 'Caption' });
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /A crane barge lifts/ }).click();
  const caption = page.getByRole('textbox', { name: 'Caption' });
  await expect(caption).toHaveText(/take at least a week…$/);
  const checks = page.getByRole('list', { name: 'Checks' });
  await expect(checks).toContainText('The caption was cut short in the source (“…”): complete it.');
  // The photo desk completes it.
  await caption.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(', the authority said.');
  await expectSaved(page);
  await expect(checks).not.toContainText('cut short');
});
