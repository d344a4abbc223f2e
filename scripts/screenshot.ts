/**
 * Takes the README's screenshot: browser mode in headless Chromium with a sample
 * article from ../shared/fixtures. Run: npx tsx scripts/screenshot.ts [out.png]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium.ts';
import { startWebServer } from '../tests/support/webServer.ts';

const out = process.argv[2] ?? 'docs/screenshot.png';
const dataDir = mkdtempSync(join(tmpdir(), 'galley-shot-'));
const server = await startWebServer({ dataDir });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  page.on('console', (m) => console.log(`[page] ${m.text()}`));
  await page.goto(server.url);
  await page.getByLabel('Your name').fill('Amara Osei');
  await page.getByLabel('Role').selectOption({ label: 'Reporter' });
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'New bio' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Amara Osei');
  await page.getByLabel('Title').fill('City hall reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Harbor board approves dredging plan after four-hour meeting');
  await page.getByLabel('Dek').fill('The 5-2 vote clears the way for work to begin in spring; fishermen say the timeline is too tight.');
  await page.getByLabel('Byline').fill('Amara Osei');
  await page.getByLabel('Section').fill('Local');
  await page.getByLabel('Tags').fill('harbor, council, environment');
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.click();
  await page.keyboard.type('The Port Alder harbor board voted 5-2 late Tuesday to approve a dredging plan that has divided the waterfront for more than a year.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Board chair Rosa Imbert called the decision "the hardest vote of my tenure" and promised monthly updates to residents.');
  await page.getByText('Saved', { exact: true }).waitFor();
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);

  // The history: a saved version, an edit, and the redline between them.
  await page.getByLabel('Version note').fill('First draft');
  await page.getByRole('button', { name: 'Save version' }).click();
  await page.getByText('Version saved: “First draft”').waitFor();
  await page.getByLabel('Headline').fill('Harbor board approves dredging plan after marathon meeting');
  await body.locator('p').nth(1).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' The first barges are due in April.');
  await page.keyboard.press('Control+s');
  await page.getByText(/^Version saved$/).waitFor();
  await page.getByRole('button', { name: 'History' }).click();
  const items = page.getByRole('list', { name: 'Revisions' }).getByRole('listitem');
  await items.nth(0).getByRole('checkbox').check();
  await items.nth(1).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.getByRole('region', { name: 'Comparison' }).waitFor();
  const historyOut = out.replace(/\.png$/, '-history.png');
  await page.screenshot({ path: historyOut });
  console.log(`wrote ${historyOut}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
