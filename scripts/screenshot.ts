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
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
