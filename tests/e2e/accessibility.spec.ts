import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { axeViolations, describeViolations } from './axe.ts';
import { addPerson, expect, expectSaved, firstRun, switchTo, test } from './fixtures.ts';

const image = (name: string) => fileURLToPath(new URL(`../fixtures/images/${name}`, import.meta.url));
const content = (name: string) => readFileSync(new URL(`../fixtures/content/${name}`, import.meta.url), 'utf8');

const stories = (page: Page) => page.getByRole('list', { name: 'Stories' });
const openStory = (page: Page, title: RegExp) => stories(page).getByRole('button', { name: title }).click();
const dialog = (page: Page, name: string) => page.getByRole('dialog', { name });

/**
 * A view or dialog to check: `open` brings it up from wherever the previous entry left
 * the app (entries run in order, as the editor Rosa Imbert), `close` puts the app back
 * where the next can start (a dialog closes). Adding a view or dialog is one entry.
 */
type Screen = { name: string; open: (page: Page) => Promise<void>; close?: (page: Page) => Promise<void> };

const closeDialog = (name: string) => async (page: Page) => {
  await page.keyboard.press('Escape');
  await expect(dialog(page, name)).toHaveCount(0);
};

const SCREENS: Screen[] = [
  {
    name: 'the desk (story list), nothing open',
    open: async (page) => {
      await expect(stories(page).getByRole('listitem')).toHaveCount(4);
      await expect(page.getByRole('heading', { name: 'Nothing open' })).toBeVisible();
    },
  },
  {
    name: 'the desk, searching',
    open: async (page) => {
      await page.getByRole('searchbox', { name: 'Search stories' }).fill('dredging');
      await expect(stories(page).locator('mark').first()).toBeVisible();
    },
    close: async (page) => {
      await page.getByRole('searchbox', { name: 'Search stories' }).fill('');
      await expect(stories(page).getByRole('listitem')).toHaveCount(4);
    },
  },
  {
    name: 'an article',
    open: async (page) => {
      await openStory(page, /Harbor board/);
      await expect(page.getByLabel('Headline')).toHaveValue('Harbor board approves dredging plan');
    },
  },
  {
    name: 'the link form',
    open: async (page) => {
      await page.getByRole('textbox', { name: 'Body' }).click();
      await page.keyboard.press('Control+a');
      await page.getByRole('button', { name: 'Link' }).click();
      await expect(page.getByLabel('Link address')).toBeFocused();
    },
    close: async (page) => {
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByLabel('Link address')).toHaveCount(0);
    },
  },
  {
    name: 'the Insert photo dialog',
    open: async (page) => {
      await page.getByRole('button', { name: 'Insert photo' }).click();
      await expect(dialog(page, 'Insert photo').getByRole('list', { name: 'Captions' }).getByRole('listitem')).toHaveCount(1);
    },
    close: closeDialog('Insert photo'),
  },
  {
    name: 'history, comparing two versions (redline shown)',
    open: async (page) => {
      await page.getByRole('button', { name: 'History', exact: true }).click();
      const history = page.getByRole('complementary', { name: 'History' });
      const items = history.getByRole('list', { name: 'Revisions' }).getByRole('listitem');
      await items.nth(0).getByRole('checkbox').check();
      await items.nth(1).getByRole('checkbox').check();
      await history.getByRole('button', { name: 'Compare' }).click();
      await expect(history.getByRole('region', { name: 'Comparison' }).locator('ins').first()).toBeVisible();
    },
    close: async (page) => {
      await page.getByRole('button', { name: 'History', exact: true }).click();
      await expect(page.getByRole('complementary', { name: 'History' })).toHaveCount(0);
    },
  },
  {
    name: 'a caption',
    open: async (page) => {
      await openStory(page, /Fishing boats/);
      await expect(page.getByLabel('Credit')).toHaveValue('Lena Ortiz/Northwind Photo');
    },
  },
  {
    name: 'a bio',
    open: async (page) => {
      await openStory(page, /^Bio Amara Osei/);
      await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Amara Osei');
    },
  },
  {
    name: 'review: an editor opens a submitted story',
    open: async (page) => {
      await openStory(page, /Ferry fares rise/);
      await expect(page.getByRole('button', { name: 'Approve', exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Request changes' })).toBeVisible();
    },
  },
  {
    name: 'the Settings dialog',
    open: async (page) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      await expect(dialog(page, 'Settings').getByRole('region', { name: 'Newsroom desk' })).toBeVisible();
    },
  },
  {
    name: 'Settings: adding a publish target',
    open: async (page) => {
      await dialog(page, 'Settings').getByRole('button', { name: 'Add target' }).click();
      await expect(dialog(page, 'Settings').getByLabel('CMS type')).toBeVisible();
    },
    close: closeDialog('Settings'),
  },
  {
    name: 'the Import text dialog',
    open: async (page) => {
      await page.getByRole('button', { name: 'Import text' }).click();
      await expect(dialog(page, 'Import text').getByLabel('Text to import')).toBeVisible();
    },
  },
  {
    name: 'Import text: its preview',
    open: async (page) => {
      await dialog(page, 'Import text').getByLabel('Text to import').fill(content('scraped-page.txt'));
      await dialog(page, 'Import text').getByRole('button', { name: 'Preview' }).click();
      await expect(dialog(page, 'Import text').getByRole('button', { name: 'Create article' })).toBeVisible();
    },
    close: closeDialog('Import text'),
  },
  {
    name: 'the Switch user dialog',
    open: async (page) => {
      await page.getByRole('button', { name: 'Switch user' }).click();
      await expect(dialog(page, 'Switch user').getByRole('button', { name: 'Amara Osei — Reporter' })).toBeVisible();
    },
    close: closeDialog('Switch user'),
  },
];

/** What the walk needs: an editor and a reporter, two articles (one submitted), a caption, a bio. */
async function newsroom(page: Page) {
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await addPerson(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Ferry fares rise');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('Fares rise in March.');
  await expectSaved(page);
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await expect(page.getByRole('status').first()).toContainText('Submitted');
  await page.getByRole('button', { name: 'New bio' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Amara Osei');
  await expectSaved(page);

  await switchTo(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('button', { name: 'New caption' }).click();
  // The bio is still open until the caption replaces it (it has a Photo file too).
  await expect(page.getByRole('textbox', { name: 'Caption' })).toBeVisible();
  await page.getByLabel('Photo file').setInputFiles(image('harbor-dawn.jpg'));
  await expect(page.getByLabel('Credit')).toHaveValue('Lena Ortiz/Northwind Photo');
  await expectSaved(page);
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Harbor board approves dredging plan');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('The board voted 5-2 late Tuesday.');
  await page.getByRole('button', { name: 'Save version' }).click();
  await expect(page.getByText('Version saved')).toBeVisible();
  await page.keyboard.press('Control+End');
  await page.getByRole('textbox', { name: 'Body' }).press('End');
  await page.keyboard.type(' Fishermen object.');
  await page.getByRole('button', { name: 'Save version' }).click();
  await expectSaved(page);
  // Back to the desk with nothing open: the one way is to reload.
  await page.reload();
  await expect(page.getByLabel('Current person')).toHaveText('Rosa Imbert · Editor');
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds nothing to fix on every view and dialog (${colorScheme} colour scheme)`, async ({ page, galley }) => {
    test.setTimeout(300_000);
    await page.emulateMedia({ colorScheme });
    await page.goto(galley.server.url);
    const found: Record<string, string> = {};
    const check = async (name: string) => {
      const violations = await axeViolations(page);
      if (violations.length) found[name] = describeViolations(violations);
    };
    await check('first run');
    await newsroom(page);
    for (const screen of SCREENS) {
      await test.step(screen.name, async () => {
        await screen.open(page);
        await check(screen.name);
        await screen.close?.(page);
      });
    }
    // The screens with violations; the message says, per screen, which rule, why and where.
    const report = Object.entries(found).map(([name, v]) => `── ${name}\n${v}`).join('\n\n');
    expect(Object.keys(found), `axe violations:\n${report}`).toEqual([]);
  });
}
