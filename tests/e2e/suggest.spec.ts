import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { addPerson, callApi, expect, expectSaved, firstRun, publishConfirmed, switchTo, test } from './fixtures.ts';

/**
 * Suggest edits: an editor proposes changes in the body instead of making them; the
 * reporter sees each one with who made it and when, accepts or rejects it; History's
 * compare and the pre-publish check name them; the published page carries none.
 */

/** The reporter's bio (the byline needs one) and a submitted story, made through the calls the UI makes. */
async function submittedStory(page: Page, token: string): Promise<string> {
  const api = async <T,>(name: string, input: unknown) => {
    const r = await callApi<T>(page, token, name, input);
    expect(r.ok, `${name}: ${r.error?.message}`).toBe(true);
    return r.value;
  };
  const bio = await api<{ id: string; version: number; content: { fields: Record<string, unknown> } }>('documents.create', { kind: 'bio' });
  await api('documents.saveWorking', {
    id: bio.id,
    version: bio.version,
    content: { kind: 'bio', fields: { ...bio.content.fields, name: 'Amara Osei', email: 'amara@example.org' }, body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Amara covers the harbour.' }] }] } },
  });
  const article = await api<{ id: string; version: number; content: { fields: Record<string, unknown> } }>('documents.create', { kind: 'article' });
  await api('documents.saveWorking', {
    id: article.id,
    version: article.version,
    content: {
      kind: 'article',
      fields: { ...article.content.fields, headline: 'Harbour dredging starts', dek: 'Ships wait.', byline: 'Amara Osei', section: 'Local', tags: ['harbour'] },
      body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Dredging starts in May. It costs millions.' }] }] },
    },
  });
  await api('workflow.transition', { documentId: article.id, action: 'submit' });
  return article.id;
}

const openStory = (page: Page, headline: string) => page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: new RegExp(headline) }).click();

test('an editor suggests edits; the reporter sees who made them, accepts one and rejects one; compare and the pre-publish check name them; nothing suggested is published', async ({ page, galley }) => {
  test.setTimeout(150_000);
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await addPerson(page, 'Amara Osei', 'Reporter');
  await submittedStory(page, galley.server.token);

  // The reporter edits normally: no Suggest edits for her.
  await openStory(page, 'Harbour dredging starts');
  await expect(page.getByRole('textbox', { name: 'Body' })).toHaveText('Dredging starts in May. It costs millions.');
  await expect(page.getByRole('button', { name: 'Suggest edits' })).toHaveCount(0);

  // The editor opens the submitted story and switches to suggesting.
  await switchTo(page, 'Rosa Imbert', 'Editor');
  await openStory(page, 'Harbour dredging starts');
  const body = page.getByRole('textbox', { name: 'Body' });
  await expect(body).toHaveText('Dredging starts in May. It costs millions.');
  const toggle = page.getByRole('button', { name: 'Suggest edits' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  // Types at the end (an insertion) and deletes "in May" (a deletion).
  await body.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Ships must wait.');
  await expect(body.locator('ins')).toHaveText(' Ships must wait.');
  await page.evaluate(() => {
    // Select "in May" exactly, as a person would by dragging over it.
    const p = document.querySelector('[aria-label="Body"] p')!;
    const text = p.firstChild!;
    const start = text.textContent!.indexOf('in May');
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + 'in May'.length);
    const sel = window.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
  });
  await page.keyboard.press('Backspace');
  // The deleted words stay, struck through, until someone decides.
  await expect(body.locator('del')).toHaveText('in May');
  await expect(body).toHaveText('Dredging starts in May. It costs millions. Ships must wait.');
  await expect(body.locator('ins')).toHaveAttribute('title', /^Suggested insertion by Rosa Imbert, \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  const suggestions = page.getByRole('list', { name: 'Suggestions' });
  await expect(suggestions.getByRole('listitem')).toHaveCount(2);
  await expectSaved(page);

  // Approving text with suggestions in it is refused, saying why.
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'suggest' })).toContainText('Accept or reject the suggested edits before approving: 2 suggestions not yet accepted or rejected.');

  // The pre-publish check names them.
  await expect(page.getByRole('list', { name: 'Before publishing' })).toContainText('2 suggestions not yet accepted or rejected');

  // History's compare shows them as suggestions, with their author.
  await page.getByLabel('Version note').fill('Desk suggestions');
  await page.getByRole('button', { name: 'Save version' }).click();
  await expect(page.getByText('Version saved: “Desk suggestions”')).toBeVisible();
  const history = page.getByRole('complementary', { name: 'History' });
  // Review mode may have opened History already; otherwise open it.
  if (!(await history.isVisible())) await page.getByRole('button', { name: 'History', exact: true }).click();
  const items = history.getByRole('list', { name: 'Revisions' }).getByRole('listitem');
  await expect(items.first()).toContainText('Desk suggestions');
  await items.nth(0).getByRole('checkbox').check();
  await items.nth(1).getByRole('checkbox').check();
  await history.getByRole('button', { name: 'Compare' }).click();
  const changes = history.getByRole('region', { name: 'Comparison' }).getByRole('group', { name: 'Body changes' });
  await expect(changes).toContainText('(suggested insertion by Rosa Imbert');
  await expect(changes).toContainText('(suggested deletion by Rosa Imbert');
  await expect(changes.locator('.suggested-insertion')).toContainText('Ships must wait.');
  await expect(changes.locator('.suggested-deletion')).toContainText('in May');

  // The reporter sees the suggestions with their author, accepts one and rejects the other.
  await switchTo(page, 'Amara Osei', 'Reporter');
  await openStory(page, 'Harbour dredging starts');
  const mine = page.getByRole('list', { name: 'Suggestions' });
  await expect(mine.getByRole('listitem')).toHaveCount(2);
  const insertion = mine.getByRole('listitem').filter({ hasText: 'Suggested insertion by Rosa Imbert' });
  const deletion = mine.getByRole('listitem').filter({ hasText: 'Suggested deletion by Rosa Imbert' });
  await expect(insertion).toContainText('Ships must wait.');
  await expect(deletion).toContainText('in May');
  await insertion.getByRole('button', { name: 'Accept' }).click();
  await deletion.getByRole('button', { name: 'Reject' }).click();
  await expect(page.getByRole('list', { name: 'Suggestions' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Body' })).toHaveText('Dredging starts in May. It costs millions. Ships must wait.');
  await expect(page.getByRole('textbox', { name: 'Body' }).locator('ins, del')).toHaveCount(0);
  await expectSaved(page);
  // Still submitted: the story waits for the editor with the decisions in it.
  await expect(page.getByRole('status')).toContainText('Submitted');

  // The editor suggests once more, accepts all, approves and publishes to the folder.
  await switchTo(page, 'Rosa Imbert', 'Editor');
  await openStory(page, 'Harbour dredging starts');
  await page.getByRole('button', { name: 'Suggest edits' }).click();
  const body2 = page.getByRole('textbox', { name: 'Body' });
  await body2.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Fishers object.');
  await expect(page.getByRole('list', { name: 'Suggestions' }).getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect(page.getByRole('list', { name: 'Suggestions' })).toHaveCount(0);
  await expectSaved(page);
  await expect(page.getByRole('list', { name: 'Before publishing' })).not.toContainText('not yet accepted');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Approved');
  await publishConfirmed(page);
  const publishing = page.getByRole('region', { name: 'Publishing' });
  await expect(publishing.getByRole('listitem').filter({ hasText: 'Folder' }).getByRole('status')).toHaveText('Published', { timeout: 30_000 });
  const folder = join(galley.dataDir, 'published');
  const pages = readdirSync(folder).filter((f) => f.endsWith('.html'));
  expect(pages).toHaveLength(1);
  const html = readFileSync(join(folder, pages[0]!), 'utf8');
  expect(html).toContain('Dredging starts in May. It costs millions. Ships must wait. Fishers object.');
  expect(html).not.toMatch(/<ins|<del|data-author|suggestion|\u200B/);
});
