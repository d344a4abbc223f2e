import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { callApi, expect, expectSaved, firstRun, test } from './fixtures.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function api<T>(page: Page, token: string, name: string, input: unknown): Promise<T> {
  const answer = await callApi<T>(page, token, name, input);
  if (!answer.ok) throw new Error(answer.error?.message);
  return answer.value;
}

test('a reporter saves a version, edits, compares the two, restores the first, and the history survives a restart', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Harbor board approves dredging plan');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('The board voted 5-2 late Tuesday after a four-hour meeting.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Fishermen say the timeline is too tight.');
  await page.getByLabel('Version note').fill('First draft');
  await page.getByRole('button', { name: 'Save version' }).click();
  await expect(page.getByText('Version saved: “First draft”')).toBeVisible();

  // Edit the headline and a paragraph, then save a version with the keyboard.
  await page.getByLabel('Headline').fill('Harbor board rejects dredging plan');
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.locator('p').nth(1).click();
  await page.keyboard.press('End');
  for (let i = 0; i < 'too tight.'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('unrealistic.');
  await page.keyboard.press('Control+s');
  await expect(page.getByText(/^Version saved$/)).toBeVisible();

  await page.getByRole('button', { name: 'History', exact: true }).click();
  const history = page.getByRole('complementary', { name: 'History' });
  const items = history.getByRole('list', { name: 'Revisions' }).getByRole('listitem');
  await expect(items).toHaveCount(2);
  await expect(items.nth(1)).toContainText('First draft');
  await expect(items.nth(1)).toContainText('Amara Osei');
  await items.nth(0).getByRole('checkbox').check();
  await items.nth(1).getByRole('checkbox').check();
  await history.getByRole('button', { name: 'Compare' }).click();

  const comparison = history.getByRole('region', { name: 'Comparison' });
  const headline = comparison.locator('.redline-field').filter({ has: page.getByRole('heading', { name: 'Headline', exact: true }) });
  await expect(headline.locator('del')).toHaveText(['approves']);
  await expect(headline.locator('ins')).toHaveText(['rejects']);
  // The slug followed the headline, and says so.
  await expect(comparison.getByRole('heading', { name: 'Slug', exact: true })).toBeVisible();
  const bodyChanges = comparison.getByRole('group', { name: 'Body changes' });
  await expect(bodyChanges.locator('del')).toHaveText(['too tight']);
  await expect(bodyChanges.locator('ins')).toHaveText(['unrealistic']);
  await comparison.getByRole('button', { name: 'Close comparison' }).click();

  // Restore the first version: its text is back, and history only grew.
  await items.nth(1).getByRole('button', { name: 'Restore this version' }).click();
  await expect(page.getByLabel('Headline')).toHaveValue('Harbor board approves dredging plan');
  await expect(page.getByRole('textbox', { name: 'Body' }).locator('p')).toHaveText([
    'The board voted 5-2 late Tuesday after a four-hour meeting.',
    'Fishermen say the timeline is too tight.',
  ]);
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toContainText('Restored');

  const server = await galley.restart();
  await page.goto(server.url);
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Harbor board approves dredging plan/ }).click();
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toContainText('Restored');
  await expect(items.nth(2)).toContainText('First draft');
});

test('killing the back end mid-typing keeps everything up to the last save, with history and store intact', async ({ page, galley, browser }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Crash test');
  await page.getByRole('textbox', { name: 'Body' }).click();
  const saved = 'Everything in this sentence was saved before the crash. ';
  await page.keyboard.type(saved);
  await expectSaved(page);
  await page.keyboard.press('Control+s');
  await expect(page.getByText(/^Version saved$/)).toBeVisible();

  const rest = 'This part is typed while the back end is killed without warning, so some of it may be lost.';
  const typing = page.keyboard.type(rest, { delay: 25 });
  // Kill once a good part of it is on screen (an outcome, not a time: a busy machine types slower).
  const body = page.getByRole('textbox', { name: 'Body' });
  await expect.poll(async () => ((await body.textContent()) ?? '').length).toBeGreaterThan(saved.length + 30);
  await galley.server.stop('SIGKILL');
  await typing;

  // Check what the store kept, from a fresh browser with nothing of the old window's.
  const server = await galley.restart('SIGKILL');
  const fresh = await browser.newPage();
  await fresh.goto(server.url);
  const [doc] = await api<{ id: string }[]>(fresh, server.token, 'documents.list', {});
  const stored = await api<{ content: { body: { content: { content?: { text: string }[] }[] } } }>(fresh, server.token, 'documents.get', { id: doc!.id });
  const text = stored.content.body.content.map((p) => (p.content ?? []).map((t) => t.text).join('')).join('\n');
  expect(text.startsWith(saved.trim())).toBe(true);
  expect((saved + rest).startsWith(text)).toBe(true);
  const history = await api<{ label: string }[]>(fresh, server.token, 'revisions.list', { documentId: doc!.id });
  expect(history.map((r) => r.label)).toContain('checkpoint');
  await fresh.close();

  const check = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db-check.ts', '--data-dir', galley.dataDir], { cwd: ROOT, encoding: 'utf8' });
  expect(check.stdout).toContain('Result: the store is sound.');
  expect(check.status).toBe(0);
});

test('search finds stories by their words and marks the match', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Ferry timetable changes');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('The winter timetable drops the late sailing to Gull Island.');
  await expectSaved(page);
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Council budget vote delayed');
  await expectSaved(page);

  await page.getByRole('searchbox', { name: 'Search stories' }).fill('gull sailing');
  const stories = page.getByRole('list', { name: 'Stories' }).getByRole('listitem');
  await expect(stories).toHaveCount(1);
  await expect(stories.locator('mark')).toHaveText(['sailing', 'Gull']);
  await page.getByRole('searchbox', { name: 'Search stories' }).fill('nothing-like-this');
  await expect(page.getByText('No stories match')).toBeVisible();
});
