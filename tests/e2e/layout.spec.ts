import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { addPerson, expect, expectSaved, firstRun, test } from './fixtures.ts';

// Issue #18: content first (the story leads, Story settings beside it), dark mode, focus.

const image = (name: string) => fileURLToPath(new URL(`../fixtures/images/${name}`, import.meta.url));

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not laid out');
  return b;
}
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The page's own background colour's lightness (0 black … 255 white), as painted. */
async function pageLightness(page: Page): Promise<number> {
  const colour = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const [r, g, b] = colour.match(/[\d.]+/g)!.map(Number);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

async function newArticle(page: Page, url: string) {
  await page.goto(url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await expect(page.getByRole('textbox', { name: 'Body' })).toBeVisible();
}

const panel = (page: Page) => page.getByRole('complementary', { name: 'Story settings' });

test('an article opens with the headline, dek and body leading; the metadata, workflow and Publishing sit in Story settings', async ({ page, galley }) => {
  await newArticle(page, galley.server.url);
  // New article: the caret is in Headline, ready to type.
  await expect(page.getByLabel('Headline')).toBeFocused();
  await page.keyboard.type('Harbor vote delayed');
  await expect(page.getByLabel('Headline')).toHaveValue('Harbor vote delayed');

  const settings = panel(page);
  for (const label of ['Slug', 'Byline', 'Section', 'Tags', 'Contributor line', 'Word budget', 'Version note']) {
    await expect(settings.getByLabel(label, { exact: true })).toBeVisible();
  }
  for (const name of ['Save version', 'History', 'Submit for edit', 'Move to trash']) {
    await expect(settings.getByRole('button', { name, exact: true })).toBeVisible();
  }
  await expect(settings.getByRole('region', { name: 'Publishing' })).toContainText('Not published yet.');
  await expect(settings.getByRole('region', { name: 'House style' })).toBeVisible();
  // The story's own words are not in the panel, and they come first: left of it, Headline above Dek above Body.
  await expect(settings.getByLabel('Headline')).toHaveCount(0);
  await expect(settings.getByRole('textbox', { name: 'Body' })).toHaveCount(0);
  const headline = await box(page.getByLabel('Headline'));
  const dek = await box(page.getByLabel('Dek'));
  const body = await box(page.getByRole('textbox', { name: 'Body' }));
  const side = await box(settings);
  expect(headline.y).toBeLessThan(dek.y);
  expect(dek.y).toBeLessThan(body.y);
  expect(body.x + body.width).toBeLessThanOrEqual(side.x);
  expect(headline.y).toBeLessThan(side.y + 120);
});

test('a caption and a bio keep their words first, and each has a Publishing region in Story settings', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Lena Ortiz', 'Photo desk');
  await page.getByRole('button', { name: 'New caption' }).click();
  await page.getByLabel('Photo file').setInputFiles(image('harbor-dawn.jpg'));
  await expect(page.getByLabel('Credit')).toHaveValue('Lena Ortiz/Northwind Photo');
  await expect(panel(page).getByRole('region', { name: 'Publishing' })).toBeVisible();
  await expect(panel(page).getByRole('list', { name: 'Checks' }).or(panel(page).getByText('All checks pass.'))).toBeVisible();
  // The photo, then its caption, lead; the credit is there with them, not in the panel.
  const photo = await box(page.locator('.photo-area'));
  const caption = await box(page.getByRole('textbox', { name: 'Caption' }));
  expect(photo.y).toBeLessThan(caption.y);
  await expect(panel(page).getByLabel('Credit')).toHaveCount(0);

  await addPerson(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New bio' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  await expect(panel(page).getByRole('region', { name: 'Publishing' })).toBeVisible();
  await expect(panel(page).getByLabel('Email')).toBeVisible();
  const name = await box(page.getByLabel('Name', { exact: true }));
  const bio = await box(page.getByRole('textbox', { name: 'Bio' }));
  expect(name.y).toBeLessThan(bio.y);
});

test('the writing column is wider at 1920 px than at 1280 px', async ({ page, galley }) => {
  await newArticle(page, galley.server.url);
  // The story's column (the body keeps room beside it for comments in the margin).
  const body = page.getByRole('article', { name: 'Article editor' });
  const at1280 = (await box(body)).width;
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect.poll(async () => (await box(body)).width).toBeGreaterThan(at1280 + 200);
  // Still beside the panel, not under it.
  expect((await box(body)).x + (await box(body)).width).toBeLessThanOrEqual((await box(panel(page))).x);
});

test('at 1024 × 700 the headline, body and Story settings are all reachable, nothing overlaps or runs off the side', async ({ page, galley }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await newArticle(page, galley.server.url);
  const headline = page.getByLabel('Headline');
  const body = page.getByRole('textbox', { name: 'Body' });
  await headline.fill('Harbor vote delayed');
  await body.click();
  await page.keyboard.type('The council postponed its vote.');
  await expectSaved(page);
  const settings = panel(page);
  for (const control of [headline, body, settings.getByLabel('Slug'), settings.getByRole('button', { name: 'Submit for edit' }), settings.getByRole('button', { name: 'Move to trash' })]) {
    await control.scrollIntoViewIfNeeded();
    await expect(control).toBeInViewport();
  }
  await settings.getByLabel('Section').fill('Local');
  await expect(settings.getByLabel('Section')).toHaveValue('Local');
  expect(overlaps(await box(page.getByRole('article', { name: 'Article editor' })), await box(settings))).toBe(false);
  expect(overlaps(await box(page.locator('.desk')), await box(body))).toBe(false);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
});

test('the Headline box grows with a long headline instead of scrolling inside', async ({ page, galley }) => {
  await newArticle(page, galley.server.url);
  const headline = page.getByLabel('Headline');
  await headline.fill('Council delays vote');
  const short = (await box(headline)).height;
  await headline.fill(
    'Portmere council delays vote on harbor expansion as fishers push back, and the state’s environmental review, due in November, now decides when the town votes again',
  );
  await expect.poll(async () => (await box(headline)).height).toBeGreaterThan(short * 1.5);
  expect(await headline.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
});

test('at 1400 px with History open, the body toolbar stays on one row', async ({ page, galley }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await newArticle(page, galley.server.url);
  await panel(page).getByRole('button', { name: 'History', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'History' })).toBeVisible();
  const buttons = page.getByRole('toolbar', { name: 'Body formatting' }).getByRole('button');
  expect(await buttons.count()).toBeGreaterThan(8);
  const tops = new Set<number>();
  for (const b of await buttons.all()) tops.add(Math.round((await box(b)).y));
  expect([...tops]).toHaveLength(1);
  await page.getByRole('button', { name: 'Close history' }).click();
  await expect(page.getByRole('complementary', { name: 'History' })).toHaveCount(0);
});

test('dark mode follows the system, and Settings → Appearance pins Light or Dark at once and after a restart', async ({ page, galley }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await newArticle(page, galley.server.url);
  expect(await pageLightness(page)).toBeGreaterThan(200);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => pageLightness(page)).toBeLessThan(60);
  // Form controls follow too (color-scheme), not only Galley's own colours.
  expect(await page.getByLabel('Headline').evaluate((el) => getComputedStyle(el).colorScheme)).toContain('dark');

  // Pinned to Light while the system is dark; applied without a reload.
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  const appearance = settings.getByLabel('Appearance');
  await expect(appearance).toHaveValue('system');
  await expect(appearance.getByRole('option')).toHaveText(['System', 'Light', 'Dark']);
  await appearance.selectOption({ label: 'Light' });
  await expect.poll(() => pageLightness(page)).toBeGreaterThan(200);
  await appearance.selectOption({ label: 'Dark' });
  await settings.getByRole('button', { name: 'Close' }).click();
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => pageLightness(page)).toBeLessThan(60);

  // Stored with the workstation's settings: a fresh window (no local copy) opens dark.
  await page.evaluate(() => localStorage.clear());
  await galley.restart();
  await page.goto(galley.server.url);
  await expect(page.getByLabel('Current person')).toHaveText('Amara Osei · Reporter');
  await expect.poll(() => pageLightness(page)).toBeLessThan(60);
});

test('opening a story with a headline puts the caret in its body; Skip to story is the first stop and jumps to the story', async ({ page, galley }) => {
  await newArticle(page, galley.server.url);
  await page.getByLabel('Headline').fill('Harbor vote delayed');
  await expectSaved(page);
  await page.getByRole('button', { name: 'New bio' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Harbor vote delayed/ }).click();
  const body = page.getByRole('textbox', { name: 'Body' });
  await expect(body).toBeFocused();
  await page.keyboard.type('Typed at once.');
  await expect(body).toContainText('Typed at once.');
  await expectSaved(page);

  // Skip to story comes before everything else: back from the top bar's first text is it,
  // shown once focused; it jumps to the story's first field.
  const skip = page.getByRole('link', { name: 'Skip to story' });
  await expect(skip).not.toBeInViewport();
  await page.locator('.topbar .brand').click();
  await page.keyboard.press('Shift+Tab');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Headline')).toBeFocused();
  // On a fresh load, the very first Tab is Skip to story.
  await page.reload();
  await expect(page.getByLabel('Current person')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
});

test('Insert photo shows a thumbnail of each photo, each choice named by its caption', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Lena Ortiz', 'Photo desk');
  for (const [file, credit] of [
    ['harbor-dawn.jpg', 'Lena Ortiz/Northwind Photo'],
    ['council-chamber.jpg', ''],
  ] as const) {
    await page.getByRole('button', { name: 'New caption' }).click();
    await page.getByLabel('Photo file').setInputFiles(image(file));
    if (credit) await expect(page.getByLabel('Credit')).toHaveValue(credit);
    await expect(page.locator('.photo-area img')).toBeVisible();
    await expectSaved(page);
  }
  await addPerson(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.getByRole('button', { name: 'Insert photo' }).click();
  const picker = page.getByRole('dialog', { name: 'Insert photo' });
  const choices = picker.getByRole('list', { name: 'Captions' }).getByRole('listitem');
  await expect(choices).toHaveCount(2);
  await expect(picker.locator('img')).toHaveCount(2);
  for (const img of await picker.locator('img').all()) {
    await expect(img).toBeVisible();
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  }
  await expect(picker.getByRole('button', { name: /^Insert Fishing boats return/ })).toBeVisible();
  await expect(picker.getByText('Lena Ortiz/Northwind Photo')).toBeVisible();
});
