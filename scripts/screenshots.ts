/**
 * Takes the README's screenshots: the photo desk's caption, the editor (light and dark)
 * and review mode:
 * browser mode in headless Chromium, on the sample story in tests/fixtures/content.
 * Run after `npx vite build`: npx tsx scripts/screenshots.ts [folder]
 * Writes photo-desk.png, editor-light.png, editor-dark.png and review.png (default docs/screenshots).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium.ts';
import { startWebServer } from '../tests/support/webServer.ts';

const outDir = process.argv[2] ?? 'docs/screenshots';
mkdirSync(outDir, { recursive: true });
const fixture = (name: string) => readFileSync(new URL(`../tests/fixtures/content/${name}`, import.meta.url), 'utf8');
const image = (name: string) => new URL(`../tests/fixtures/images/${name}`, import.meta.url).pathname;

/** A fixture story's front matter (one-line values) and its body paragraphs as HTML (figures left out). */
function story(name: string) {
  const [, front = '', body = ''] = fixture(name).split(/^---$/m);
  const field = (key: string) => front.match(new RegExp(`^${key}: (.*)$`, 'm'))?.[1]?.replace(/^\[|\]$/g, '') ?? '';
  const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const html = body
    .replace(/^::: figure[\s\S]*?^:::$/gm, '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (p.startsWith('> ') ? `<blockquote><p>${escape(p.slice(2))}</p></blockquote>` : `<p>${escape(p)}</p>`))
    .join('');
  return { headline: field('headline'), dek: field('dek'), byline: field('byline'), section: field('section'), tags: field('tags'), html };
}

/** Replaces the focused editor's text the way a paste does (as a person pasting the copy). */
async function pasteInto(page: Page, html: string) {
  await page.keyboard.press('Control+a');
  await page.evaluate((h) => {
    const dt = new DataTransfer();
    dt.setData('text/html', h);
    dt.setData('text/plain', h.replace(/<[^>]+>/g, ''));
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, html);
}

async function switchUser(page: Page, name: string, role: string, isNew: boolean) {
  await page.getByRole('button', { name: 'Switch user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch user' });
  if (isNew) {
    await dialog.getByLabel('Your name').fill(name);
    await dialog.getByLabel('Role').selectOption({ label: role });
    await dialog.getByRole('button', { name: 'Start' }).click();
  } else {
    await dialog.getByRole('button', { name: `${name} — ${role}` }).click();
  }
  await page.getByLabel('Current person').getByText(`${name} · ${role}`).waitFor();
}

const status = (page: Page, text: string) => page.locator('.status-line').getByText(text, { exact: true }).waitFor();
const saved = (page: Page) => page.getByRole('status').getByText('Saved', { exact: true }).waitFor();

const dataDir = mkdtempSync(join(tmpdir(), 'galley-shots-'));
const server = await startWebServer({ dataDir });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 850 } });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await page.getByLabel('Your name').fill('Lena Ortiz');
  await page.getByLabel('Role').selectOption({ label: 'Photo desk' });
  await page.getByRole('button', { name: 'Start' }).click();

  // The photo desk's caption, prefilled from the photo's IPTC/XMP.
  await page.getByRole('button', { name: 'New caption' }).click();
  await page.getByLabel('Photo file').setInputFiles(image('harbor-dawn.jpg'));
  await page.getByLabel('Credit').and(page.locator('[value="Lena Ortiz/Northwind Photo"]')).waitFor();
  await saved(page);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(outDir, 'photo-desk.png') });

  // The reporter's article from the sample story, with the photo as a figure.
  await switchUser(page, 'Amara Osei', 'Reporter', true);
  const first = story('harbor-vote.article.md');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill(first.headline);
  await page.getByLabel('Dek').fill(first.dek);
  await page.getByLabel('Byline').fill(first.byline);
  await page.getByLabel('Section').fill(first.section);
  await page.getByLabel('Tags').fill(first.tags);
  await page.getByLabel('Word budget').fill('450');
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.click();
  await pasteInto(page, first.html);
  // The caret at the end of the fourth paragraph (End would stop at a wrapped line's end).
  await body.locator('p').nth(3).click();
  await body.locator('p').nth(3).evaluate((p) => {
    const range = document.createRange();
    range.selectNodeContents(p);
    range.collapse(false);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  });
  await page.getByRole('button', { name: 'Insert photo' }).click();
  await page.getByRole('dialog', { name: 'Insert photo' }).getByRole('button', { name: /^Insert / }).first().click();
  await page.locator('figure.figure-view img').waitFor();
  await saved(page);
  await page.getByRole('list', { name: 'Stories' }).getByText(first.headline).waitFor();
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(outDir, 'editor-light.png') });

  // The same, in dark mode (Settings → Appearance).
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByLabel('Appearance').selectOption({ label: 'Dark' });
  await settings.getByRole('button', { name: 'Close' }).click();
  await page.screenshot({ path: join(outDir, 'editor-dark.png') });
  await page.getByRole('button', { name: 'Settings' }).click();
  await settings.getByLabel('Appearance').selectOption({ label: 'System' });
  await settings.getByRole('button', { name: 'Close' }).click();

  // Review: submitted, sent back by an editor, copy-edited and submitted again; the
  // editor opens it and sees what changed since they sent it back.
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await status(page, 'Submitted');
  await switchUser(page, 'Rosa Imbert', 'Editor', true);
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: new RegExp(first.headline.slice(0, 30)) }).first().click();
  await page.getByLabel('Note', { exact: true }).fill('Tighten the top and check the jobs figure.');
  await page.getByRole('button', { name: 'Request changes' }).click();
  await status(page, 'Changes requested');

  await switchUser(page, 'Amara Osei', 'Reporter', false);
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: new RegExp(first.headline.slice(0, 30)) }).first().click();
  const second = story('harbor-vote.edited.md');
  await page.getByLabel('Headline').fill(second.headline);
  await page.getByLabel('Dek').fill(second.dek);
  await page.getByRole('textbox', { name: 'Body' }).click();
  await pasteInto(page, second.html);
  await saved(page);
  await page.getByLabel('Note', { exact: true }).fill('Tightened the top; jobs figure is “about 300”, per the authority.');
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await status(page, 'Submitted');

  await switchUser(page, 'Rosa Imbert', 'Editor', false);
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: new RegExp(second.headline.slice(0, 30)) }).first().click();
  await page.getByRole('textbox', { name: 'Body' }).waitFor();
  await page.locator('.redline ins, .redline del').first().waitFor();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(outDir, 'review.png') });
  console.log(`wrote photo-desk.png, editor-light.png, editor-dark.png and review.png in ${outDir}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
