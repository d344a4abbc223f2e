/**
 * Takes the README's screenshots: browser mode in headless Chromium with sample
 * newsroom content from tests/fixtures. Run: npx tsx scripts/screenshot.ts [out.png]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium.ts';
import { startWebServer } from '../tests/support/webServer.ts';

const out = process.argv[2] ?? 'docs/screenshot.png';
const named = (suffix: string) => out.replace(/\.png$/, `-${suffix}.png`);
const dataDir = mkdtempSync(join(tmpdir(), 'galley-shot-'));
const server = await startWebServer({ dataDir });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.goto(server.url);
  await page.getByLabel('Your name').fill('Lena Ortiz');
  await page.getByLabel('Role').selectOption({ label: 'Photo desk' });
  await page.getByRole('button', { name: 'Start' }).click();

  // The photo desk: a caption from harbor-dawn.jpg, prefilled from its IPTC/XMP.
  await page.getByRole('button', { name: 'New caption' }).click();
  await page.getByLabel('Photo file').setInputFiles('tests/fixtures/images/harbor-dawn.jpg');
  await page.getByLabel('Credit').and(page.locator('[value="Lena Ortiz/Northwind Photo"]')).waitFor();
  await page.getByLabel('Location').fill('');
  await page.getByText(/Caption does not say where/).waitFor();
  await page.screenshot({ path: named('photo-desk') });
  await page.getByLabel('Location').fill('Portmere, Freedonia');

  // A reporter's article: headline, dek, pull quote, the photo as a figure.
  await page.getByRole('button', { name: 'Switch user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch user' });
  await dialog.getByLabel('Your name').fill('Amara Osei');
  await dialog.getByLabel('Role').selectOption({ label: 'Reporter' });
  await dialog.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Portmere council delays vote on harbor expansion as fishers push back');
  await page.getByLabel('Dek').fill('A packed public hearing ran past midnight; the vote now moves to December.');
  await page.getByLabel('Byline').fill('Amara Osei');
  await page.getByLabel('Section').fill('Local');
  await page.getByLabel('Word budget').fill('600');
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.click();
  await page.keyboard.type('The Portmere City Council on Tuesday postponed its vote on a $48 million harbor expansion, after more than 200 residents packed the the council chamber.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('We are not against growth.');
  await page.getByRole('button', { name: 'Pull quote' }).click();
  await page.getByLabel('Attribution').fill('Tomas Reyes');
  await body.locator('blockquote').click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Insert photo' }).click();
  await page.getByRole('dialog', { name: 'Insert photo' }).getByRole('button', { name: /^Insert / }).first().click();
  await page.locator('figure.figure-view img').waitFor();
  await page.locator('.style-issue').first().waitFor();
  await page.getByText('Saved', { exact: true }).waitFor();
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);

  // The history: a saved version, an edit, and the redline between them.
  await page.getByLabel('Version note').fill('First draft');
  await page.getByRole('button', { name: 'Save version' }).click();
  await page.getByText('Version saved: “First draft”').waitFor();
  await page.getByLabel('Headline').fill('Portmere council delays harbor vote to December as fishers push back');
  await body.locator('p').first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(' The vote is now set for Dec. 9.');
  await page.keyboard.press('Control+s');
  await page.getByText(/^Version saved$/).waitFor();
  await page.getByRole('button', { name: 'History' }).click();
  const items = page.getByRole('list', { name: 'Revisions' }).getByRole('listitem');
  await items.nth(0).getByRole('checkbox').check();
  await items.nth(1).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.getByRole('region', { name: 'Comparison' }).waitFor();
  await page.screenshot({ path: named('history') });
  console.log('wrote the history and photo desk screenshots');
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
