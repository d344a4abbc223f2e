import type { Page } from '@playwright/test';
import { callApi, expect, expectSaved, firstRun, pasteHtml, publishConfirmed, test } from './fixtures.ts';

/** The copy desk's day: typography as typed, house style on every prose field, a frozen slug. */

type Doc = { id: string; version: number; revisionId: string | null; approvedRevisionId: string | null; content: { fields: Record<string, unknown> } };

async function api<T>(page: Page, token: string, name: string, input: unknown): Promise<T> {
  const r = await callApi<T>(page, token, name, input);
  expect(r.ok, `${name}: ${r.error?.message}`).toBe(true);
  return r.value;
}

async function onlyArticle(page: Page, token: string): Promise<Doc> {
  const list = await api<{ id: string }[]>(page, token, 'documents.list', { kind: 'article' });
  return api<Doc>(page, token, 'documents.get', { id: list[0]!.id });
}

test('quotes, apostrophes and dashes turn curly as a reporter types, and Ctrl+Z gives back the one straight quote', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.click();
  await page.keyboard.type(`"We don't know," she said -- twice...`);
  await expect(body).toHaveText('\u201cWe don\u2019t know,\u201d she said \u2014 twice\u2026');
  await page.keyboard.type(` He said "`);
  await expect(body).toHaveText('\u201cWe don\u2019t know,\u201d she said \u2014 twice\u2026 He said \u201c');
  // Undo right after a replacement: only the replacement goes.
  await page.keyboard.press('Control+z');
  await expect(body).toHaveText('\u201cWe don\u2019t know,\u201d she said \u2014 twice\u2026 He said "');
  await page.keyboard.press('Control+z');
  await expect(body).not.toContainText('He said');
  await expect(body).toContainText('\u201cWe don\u2019t know,\u201d');

  // The headline box, a plain textarea, does the same, caret and undo included.
  const headline = page.getByLabel('Headline');
  await headline.click();
  await page.keyboard.type(`Council's "`);
  await expect(headline).toHaveValue('Council\u2019s \u201c');
  await page.keyboard.press('Control+z');
  await expect(headline).toHaveValue('Council\u2019s "');
  await page.keyboard.type(`late" vote`);
  await expect(headline).toHaveValue('Council\u2019s "late\u201d vote');
  await page.keyboard.press('Home');
  await page.keyboard.type(`'90s: `);
  await expect(headline).toHaveValue('\u201990s: Council\u2019s "late\u201d vote');
  // The caret stayed where the person was typing.
  expect(await headline.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(6);
  await page.keyboard.press('End');
  await page.keyboard.type(' -- again');
  await expect(headline).toHaveValue('\u201990s: Council\u2019s "late\u201d vote \u2014 again');
  await expectSaved(page);
  const saved = await onlyArticle(page, galley.server.token);
  expect(saved.content.fields.headline).toBe('\u201990s: Council\u2019s "late\u201d vote \u2014 again');
  // The slug follows the headline, curly or straight.
  expect(saved.content.fields.slug).toBe('90s-councils-late-vote-again');
});

/** Pastes plain text into the focused editor, as from a text editor or a wire feed. */
async function pasteText(page: Page, text: string) {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

test('Fix all fixes the headline and the body in one go, says how many places, and each half undoes; what has no safe fix stays listed', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  // Filled and pasted, not typed: typing would have converted it already.
  const headline = page.getByLabel('Headline');
  await headline.fill('Board says "no"  to ferry fares');
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.click();
  // Plain text: an HTML paste would fold the double space, as a browser does.
  await pasteText(page, 'Fares rise -- again...  the the board said.');
  await expect.poll(() => body.textContent()).toBe('Fares rise -- again...  the the board said.');

  const list = page.getByRole('list', { name: 'House style' });
  // The headline's problems are named as the headline's.
  await expect(list.getByText('Headline: Straight quotation mark', { exact: true })).toHaveCount(2);
  await expect(list.getByText('Headline: Double space', { exact: true })).toBeVisible();
  await expect(list.getByText('Two hyphens for a dash', { exact: true })).toBeVisible();
  await expect(list.getByText('Double space', { exact: true })).toBeVisible();
  await expect(list.getByText('Three dots for an ellipsis', { exact: true })).toBeVisible();
  await expect(list.getByText('Doubled word: “the the”', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Fix all' }).click();
  await expect(headline).toHaveValue('Board says \u201cno\u201d to ferry fares');
  await expect.poll(() => body.textContent()).toBe('Fares rise \u2014 again\u2026 the the board said.');
  // Two quotes and a double space in the headline; a dash, an ellipsis and a double space in the body.
  await expect(page.getByRole('status').filter({ hasText: 'Fixed 6 places.' })).toBeVisible();
  // A doubled word needs a reader (it may be meant): it stays listed; the fixed ones go.
  await expect(list.getByText('Doubled word: “the the”', { exact: true })).toBeVisible();
  await expect(list.getByText('Headline: Straight quotation mark', { exact: true })).toHaveCount(0);
  await expect(list.getByText('Two hyphens for a dash', { exact: true })).toHaveCount(0);

  // One Ctrl+Z in the body gives the body back as it was, and leaves the headline fixed.
  await body.click();
  await page.keyboard.press('Control+z');
  await expect.poll(() => body.textContent()).toBe('Fares rise -- again...  the the board said.');
  await expect(headline).toHaveValue('Board says \u201cno\u201d to ferry fares');
  // Undo Fix all puts the fields back.
  await page.getByRole('button', { name: 'Undo Fix all' }).click();
  await expect(headline).toHaveValue('Board says "no"  to ferry fares');
  await expect.poll(() => body.textContent()).toBe('Fares rise -- again...  the the board said.');
  await expect(list.getByText('Headline: Double space', { exact: true })).toBeVisible();

  // Again, and keep it: after a reload the fixed text is what was saved.
  await page.getByRole('button', { name: 'Fix all' }).click();
  await expect(headline).toHaveValue('Board says \u201cno\u201d to ferry fares');
  await expect.poll(() => body.textContent()).toBe('Fares rise \u2014 again\u2026 the the board said.');
  await expectSaved(page);
  await page.reload();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Board says/ }).click();
  await expect(page.getByLabel('Headline')).toHaveValue('Board says \u201cno\u201d to ferry fares');
  await expect.poll(() => page.getByRole('textbox', { name: 'Body' }).textContent()).toBe('Fares rise \u2014 again\u2026 the the board said.');
  const saved = await onlyArticle(page, galley.server.token);
  expect(saved.content.fields.headline).toBe('Board says \u201cno\u201d to ferry fares');
});

/** The editor's own bio, so the byline passes the pre-publish checks. */
async function bioFor(page: Page, token: string, name: string) {
  const bio = await api<{ id: string; version: number; content: { fields: Record<string, unknown>; body: unknown } }>(page, token, 'documents.create', { kind: 'bio' });
  await api(page, token, 'documents.saveWorking', {
    id: bio.id,
    version: bio.version,
    content: { ...bio.content, fields: { ...bio.content.fields, name, email: 'rosa@example.org' }, body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `${name} edits the city desk.` }] }] } },
  });
}

test('once a story is published its slug stays put when the headline changes, and only Unlock slug, confirmed, lets it change', async ({ page, galley }) => {
  const token = galley.server.token;
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await bioFor(page, token, 'Rosa Imbert');
  await page.getByRole('button', { name: 'New article' }).click();
  const headline = page.getByLabel('Headline');
  const slug = page.getByLabel('Slug');
  await headline.fill('Ferry fares rise');
  await expect(slug).toHaveValue('ferry-fares-rise');
  await page.getByLabel('Byline').fill('Rosa Imbert');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('Fares rise in March.');
  await expectSaved(page);
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByText(/^Approved by Rosa Imbert at .* — revision [0-9a-f]{10}$/)).toBeVisible();
  await publishConfirmed(page);
  const live = 'Published: this is the story’s address on the site, and it is live.';
  await expect(slug).toHaveAccessibleDescription(live);

  // A new headline: the live address stays.
  await headline.fill('Ferry fares rise again in March');
  await expectSaved(page);
  await expect(slug).toHaveValue('ferry-fares-rise');
  await expect(slug).not.toBeEditable();
  const kept = await onlyArticle(page, token);
  expect(kept.content.fields.headline).toBe('Ferry fares rise again in March');
  expect(kept.content.fields.slug).toBe('ferry-fares-rise');

  // Cancel keeps it frozen.
  await page.getByRole('button', { name: 'Unlock slug' }).click();
  const dialog = page.getByRole('dialog', { name: 'Unlock slug' });
  await expect(dialog).toContainText('The story’s address on the site will change; links to it will break.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(slug).not.toBeEditable();
  await expect(slug).toHaveAccessibleDescription(live);

  // Unlock: the slug can change, and the change is kept.
  await page.getByRole('button', { name: 'Unlock slug' }).click();
  await dialog.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(slug).toBeEditable();
  await expect(page.getByRole('button', { name: 'Unlock slug' })).toHaveCount(0);
  await slug.fill('ferry-fares-rise-again');
  await expectSaved(page);
  await page.reload();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise again/ }).click();
  await expect(page.getByLabel('Slug')).toHaveValue('ferry-fares-rise-again');
  expect((await onlyArticle(page, token)).content.fields.slug).toBe('ferry-fares-rise-again');
});
