import type { Page } from '@playwright/test';
import { callApi, expect, expectSaved, firstRun, pasteHtml, test } from './fixtures.ts';

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
