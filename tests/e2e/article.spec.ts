import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { addPerson, callApi, expect, expectSaved, firstRun, newArticleAsReporter, pasteHtml, switchTo, test } from './fixtures.ts';

const image = (name: string) => fileURLToPath(new URL(`../fixtures/images/${name}`, import.meta.url));
const content = (name: string) => readFileSync(new URL(`../fixtures/content/${name}`, import.meta.url), 'utf8');

async function savedBody(page: Page, token: string): Promise<string> {
  const list = await callApi<{ id: string }[]>(page, token, 'documents.list', { kind: 'article' });
  const doc = await callApi<{ content: { body: unknown } }>(page, token, 'documents.get', { id: list.value[0]!.id });
  return JSON.stringify(doc.value.content.body);
}

test('a photo goes into an article as a figure, and the figure follows the photo desk’s edits', async ({ page, galley, context }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Lena Ortiz', 'Photo desk');
  await page.getByRole('button', { name: 'New caption' }).click();
  await page.getByLabel('Photo file').setInputFiles(image('harbor-dawn.jpg'));
  await expect(page.getByLabel('Credit')).toHaveValue('Lena Ortiz/Northwind Photo');
  await expectSaved(page);

  await addPerson(page, 'Rosa Imbert', 'Editor');

  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Council delays harbor vote');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('The council postponed its vote.');
  await page.getByRole('button', { name: 'Insert photo' }).click();
  const picker = page.getByRole('dialog', { name: 'Insert photo' });
  await picker.getByRole('searchbox', { name: 'Search captions' }).fill('fishing boats');
  await picker.getByRole('button', { name: /^Insert Fishing boats return/ }).click();
  const figure = page.locator('figure.figure-view');
  await expect(figure.locator('.caption-text')).toHaveText(/^Fishing boats return to the harbor at dawn/);
  await expect(figure.locator('.credit')).toHaveText('Lena Ortiz/Northwind Photo');
  await expect(figure.getByRole('img')).toBeVisible();
  await expectSaved(page);
  expect(await savedBody(page, galley.server.token)).toMatch(/"type":"figure","attrs":\{"captionId":"[\w-]+","captionOverride":null\}/);

  // A second window keeps the article open while the photo desk edits the caption.
  const reader = await context.newPage();
  await reader.goto(galley.server.url);
  await reader.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Council delays harbor vote/ }).click();
  const readerFigure = reader.locator('figure.figure-view');
  await expect(readerFigure.locator('.credit')).toHaveText('Lena Ortiz/Northwind Photo');

  await switchTo(page, 'Lena Ortiz', 'Photo desk');
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Caption.*Fishing boats return/ }).click();
  await page.getByLabel('Credit').fill('Lena Ortiz/Northwind Photo Agency');
  await expectSaved(page);
  await expect(readerFigure.locator('.credit')).toHaveText('Lena Ortiz/Northwind Photo Agency');
  await reader.close();
});

test('a paste from a word processor keeps paragraphs, bold, italic, links and lists, and drops its debris', async ({ page, galley }) => {
  await newArticleAsReporter(page, galley.server.url);
  await pasteHtml(page, content('pasted-from-word.html'));
  const body = page.getByRole('textbox', { name: 'Body' });
  await expect(body.locator('p strong').first()).toHaveText('Harbor hearing notes');
  await expect(body.locator('ul > li')).toHaveText(['Dredging: 14 months', 'Cost: $48 million, per the authority’s plan']);
  await expect(body.locator('ul em')).toHaveText('$48 million');
  await expect(body.locator('a')).toHaveAttribute('href', 'https://harbor.example/plan.pdf');
  expect(await body.innerHTML()).not.toMatch(/style=|Mso|font-family|·|<span/);
  await expectSaved(page);
  const stored = await savedBody(page, galley.server.token);
  expect(stored).toContain('"bulletList"');
  expect(stored).not.toMatch(/Mso|font-family/);
});

test('hostile paste: nothing runs, and the normal link and bold text survive', async ({ page, galley }) => {
  await newArticleAsReporter(page, galley.server.url);
  await pasteHtml(page, content('hostile-paste.html'));
  const body = page.getByRole('textbox', { name: 'Body' });
  await expect(body.getByRole('link', { name: 'A normal link that should survive' })).toHaveAttribute('href', 'https://example.org/story');
  await expect(body.locator('strong')).toHaveText('bold text that should survive');
  await page.waitForTimeout(500); // give any planted handler (img onerror, autofocus) its chance
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  // The whole window, less Galley's own toolbar icons (an svg of ours, not pasted).
  const html = await page.locator('.app').evaluate((app) => {
    const copy = app.cloneNode(true) as Element;
    copy.querySelectorAll('svg.tool-icon').forEach((icon) => icon.remove());
    return copy.innerHTML;
  });
  expect(html).not.toMatch(/<script|<iframe|<object|<svg|javascript:|onerror|onclick|onload|onfocus/i);
  await expectSaved(page);
  expect(await savedBody(page, galley.server.token)).not.toMatch(/javascript|script|onerror|iframe/i);
});

test('the toolbar makes a pull quote with attribution, a quote and a link', async ({ page, galley }) => {
  await newArticleAsReporter(page, galley.server.url);
  await page.keyboard.type('We are not against growth.');
  await page.getByRole('button', { name: 'Pull quote' }).click();
  await page.getByLabel('Attribution').fill('Tomas Reyes');
  await page.getByRole('textbox', { name: 'Body' }).locator('blockquote').click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('> Quoted paragraph');
  await expect(page.getByRole('textbox', { name: 'Body' }).locator(':scope > blockquote')).toHaveText('Quoted paragraph');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('the plan');
  await page.keyboard.press('Shift+Home');
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe('the plan');
  await page.getByRole('button', { name: 'Link' }).click();
  await page.getByLabel('Link address').fill('javascript:alert(1)');
  await page.getByRole('button', { name: 'Apply link' }).click();
  await expect(page.getByText('Use a web address (https://…) or an email address.')).toBeVisible();
  await page.getByLabel('Link address').fill('https://harbor.example/plan.pdf');
  await page.getByRole('button', { name: 'Apply link' }).click();
  await expect(page.getByRole('textbox', { name: 'Body' }).getByRole('link', { name: 'the plan' })).toHaveAttribute('href', 'https://harbor.example/plan.pdf');
  await expectSaved(page);
  const stored = await savedBody(page, galley.server.token);
  expect(stored).toContain('"type":"pullQuote","attrs":{"attribution":"Tomas Reyes"}');
  expect(stored).toContain('"type":"blockquote"');
});

test('a web or email address typed in the body becomes a link, in every story opened after another', async ({ page, galley }) => {
  const body = await newArticleAsReporter(page, galley.server.url);
  await page.keyboard.type('The agenda is at harbor-board.org/vote today.');
  await expect(body.getByRole('link', { name: 'harbor-board.org/vote' })).toHaveAttribute('href', 'https://harbor-board.org/vote');
  // Stored with its full address, which the back end accepts.
  await expectSaved(page);
  expect(await savedBody(page, galley.server.token)).toContain('"href":"https://harbor-board.org/vote"');
  // Closing an editor resets the link finder that every editor shares (tiptap does);
  // the next story's addresses are still found.
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('Write to news@harbor-board.org with tips.');
  await expect(page.getByRole('textbox', { name: 'Body' }).getByRole('link', { name: 'news@harbor-board.org' })).toHaveAttribute('href', 'mailto:news@harbor-board.org');
  // A word that is not an address stays text.
  await expect(page.getByRole('textbox', { name: 'Body' }).getByRole('link')).toHaveCount(1);
});

test('counts, reading time and the word budget; a slug another story uses is flagged', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New bio' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Amara Osei');
  await expectSaved(page);
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Ferry fares rise');
  await expectSaved(page);

  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Harbor vote');
  await expect(page.getByText('11 characters')).toBeVisible();
  await page.getByLabel('Dek').fill('Short dek');
  await expect(page.getByText('9 characters')).toBeVisible();
  await expect(page.locator('#byline-bios option')).toHaveAttribute('value', 'Amara Osei');
  await page.getByLabel('Word budget').fill('10');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('one two three four five six seven eight nine');
  await expect(page.locator('.counts')).toHaveText('9 words of 10 — nearly at budget · 1 min read');
  await expect(page.locator('.counts')).toHaveClass(/budget-near/);
  await page.keyboard.type(' ten eleven twelve');
  await expect(page.locator('.counts')).toHaveText('12 words of 10 — 2 over budget · 1 min read');
  await expect(page.locator('.counts')).toHaveClass(/budget-over/);

  await page.getByLabel('Slug').fill('ferry-fares-rise');
  await expect(page.getByText('Already used by “Ferry fares rise”: choose another slug')).toBeVisible();
  await page.getByLabel('Slug').fill('harbor-vote-2');
  await expect(page.getByText(/Already used by/)).toHaveCount(0);
});

test('house style marks “the the” with why and a fix, off the typing path', async ({ page, galley }) => {
  await newArticleAsReporter(page, galley.server.url);
  await page.keyboard.type('The council said the the vote is TK.');
  const mark = page.getByRole('textbox', { name: 'Body' }).locator('.style-issue[data-rule="doubled-word"]');
  await expect(mark).toHaveText('the the');
  await expect(mark).toHaveAttribute('title', /Doubled word: “the the”\. Copy desk: a repeated word is almost always a typo\. Suggested: “the”\./);
  const findings = page.getByRole('list', { name: 'House style' });
  await expect(findings).toContainText('TK placeholder left in');
  await findings.getByRole('button', { name: 'Fix: Doubled word: “the the”' }).click();
  await expect(page.getByRole('textbox', { name: 'Body' })).toHaveText('The council said the vote is TK.');
  await expect(mark).toHaveCount(0);
  await page.getByLabel('Headline').fill('A'.repeat(95));
  await expect(page.getByText('Headline is 95 characters, over the 90 allowed: shorten it.')).toBeVisible();
});

test('in a long story, house style marks what is on screen and follows scrolling; the panel lists everything', async ({ page, galley }) => {
  const body = await newArticleAsReporter(page, galley.server.url);
  const filler = 'The harbor board met on a wet evening and heard from fishermen, ferry crews and the people who live along the quay about the plan to widen the channel. '.repeat(4);
  const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i + 1}. ${i === 0 || i === 59 ? 'They said the the plan was late. ' : ''}${filler}</p>`);
  await pasteHtml(page, paragraphs.join(''));
  await page.keyboard.press('Control+Home');
  const findings = page.getByRole('list', { name: 'House style' });
  await expect(findings.getByRole('listitem').filter({ hasText: 'Doubled word' })).toHaveCount(2);
  const first = body.locator('p').first();
  const last = body.locator('p').last();
  await expect(first.locator('.style-issue[data-rule="doubled-word"]')).toHaveText('the the');
  // Far below the screen: found (the panel has it) but not marked in the text yet.
  await expect(last.locator('.style-issue')).toHaveCount(0);
  await last.scrollIntoViewIfNeeded();
  await expect(last.locator('.style-issue[data-rule="doubled-word"]')).toHaveText('the the');
  await expect(findings.getByRole('listitem').filter({ hasText: 'Doubled word' })).toHaveCount(2);
});

test('the counts under the body follow the story as it grows and shrinks, and never cover it', async ({ page, galley }) => {
  const body = await newArticleAsReporter(page, galley.server.url);
  // The editor is a layout boundary whose height is held from its content; this is what would show if that lagged.
  const measure = () =>
    page.evaluate(() => {
      const text = document.querySelector('[aria-label="Body"]')!.getBoundingClientRect();
      const counts = document.querySelector('.body-field .counts')!.getBoundingClientRect();
      return { height: text.height, gap: counts.top - text.bottom };
    });
  const empty = await measure();
  expect(empty.gap).toBeGreaterThanOrEqual(0);
  for (let i = 1; i <= 20; i++) {
    await page.keyboard.type(`Line ${i} of a story that grows as the reporter types.`);
    await page.keyboard.press('Enter');
  }
  await expect.poll(async () => (await measure()).height).toBeGreaterThan(empty.height * 2);
  // The held height follows in the ResizeObserver's next frame, later on a busy
  // machine: wait for it (if the height were not held, the gap would never come back).
  await expect.poll(async () => (await measure()).gap).toBeCloseTo(empty.gap, 0);
  await pasteHtml(page, Array.from({ length: 40 }, (_, i) => `<p>Pasted paragraph ${i + 1}.</p>`).join(''));
  await expect(body.locator(':scope > p')).toHaveCount(60); // the empty line the paste landed on became its first paragraph
  await expect.poll(async () => (await measure()).gap).toBeCloseTo(empty.gap, 0);
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  await expect.poll(async () => (await measure()).height).toBeCloseTo(empty.height, 0);
  await expect.poll(async () => (await measure()).gap).toBeCloseTo(empty.gap, 0);
});

test('a long story still saves when the window cannot start its sender worker', async ({ page, galley }) => {
  // Large saves go through a worker; refused (say, by a stricter policy), the window sends them itself.
  const refused: string[] = [];
  await page.route(/sender\.worker[^/]*\.js$/, (route) => {
    refused.push(route.request().url());
    return route.abort();
  });
  const body = await newArticleAsReporter(page, galley.server.url);
  const filler = 'The harbor board met on a wet evening and heard from fishermen, ferry crews and the people who live along the quay. '.repeat(4);
  await pasteHtml(page, Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i + 1}. ${filler.trim()}</p>`).join(''));
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' The last words.');
  await expect(body.locator(':scope > p').last()).toContainText('The last words.');
  await expectSaved(page);
  expect(refused.length).toBeGreaterThan(0);
  const stored = await savedBody(page, galley.server.token);
  expect(stored.length).toBeGreaterThan(32_000);
  expect(stored).toContain('The last words.');
});

test('Import text turns a scraped page into an article with figures, a contributor line and a bio, after a preview', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('button', { name: 'Import text' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import text' });
  await dialog.getByLabel('Text to import').fill(content('scraped-page.txt'));
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByRole('region', { name: 'Import preview' });
  await expect(preview.getByRole('heading')).toHaveText('Ferry Service to Halvard Island Suspended as Storm Damage Is Assessed');
  await expect(preview.locator('figure')).toHaveCount(2);
  await expect(preview.locator('figure .credit')).toHaveText(['Lena Ortiz/Northwind Photo', 'Amara Osei/Portmere Ledger']);
  await expect(preview).toContainText('Contributor line: Northwind Wire contributed to this report.');
  await expect(preview).toContainText('Bio found: Amara Osei — a new bio will be created');
  await expect(preview.locator('p', { hasText: /reader meter|Voice is AI-generated/ })).toHaveCount(0);
  await expect(preview.getByText('7 lines of site furniture dropped')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Stories' }).getByRole('listitem')).toHaveCount(0); // nothing saved yet
  await preview.getByRole('button', { name: 'Create article' }).click();

  await expect(page.getByLabel('Headline')).toHaveValue('Ferry Service to Halvard Island Suspended as Storm Damage Is Assessed');
  await expect(page.getByLabel('Byline')).toHaveValue('Amara Osei');
  await expect(page.getByLabel('Contributor line')).toHaveValue('Northwind Wire contributed to this report.');
  await expect(page.locator('figure.figure-view .credit')).toHaveText(['Lena Ortiz/Northwind Photo', 'Amara Osei/Portmere Ledger']);
  await page.getByLabel('Kind').selectOption({ label: 'Bio' });
  await expect(page.getByRole('list', { name: 'Stories' }).getByRole('listitem')).toHaveText([/Amara Osei/]);
});

test('typing straight after Enter keeps every character where it was typed', async ({ page, galley }) => {
  const body = await newArticleAsReporter(page, galley.server.url);
  const lines = Array.from({ length: 30 }, (_, i) => `Line ${i + 1} ends here.`);
  for (const line of lines) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
  await expect(body.locator('p')).toHaveText([...lines, '']);
});

test('in a long story, keys that jump far (Ctrl+End, Ctrl+Home, Page Up, arrows, undo) put typing where the caret went', async ({ page, galley }) => {
  const body = await newArticleAsReporter(page, galley.server.url);
  // Far-off blocks skip rendering (content-visibility); the caret must still land right.
  const filler = 'The harbor board met on a wet evening and heard from fishermen, ferry crews and the people who live along the quay. '.repeat(4);
  await pasteHtml(page, Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i + 1}. ${filler.trim()}</p>`).join(''));
  const paragraphs = body.locator(':scope > p');
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('Opening words. ');
  await expect(paragraphs.first()).toHaveText(`Opening words. Paragraph 1. ${filler.trim()}`);
  // Scrolled so the caret hides under the sticky top bar, typing brings it back below the bar.
  const caretTop = () => page.evaluate(() => window.getSelection()!.getRangeAt(0).getBoundingClientRect().top);
  await page.evaluate((y) => window.scrollBy(0, y - 10), await caretTop());
  expect(await caretTop()).toBeLessThan(30);
  await page.keyboard.type('Now ');
  const barBottom = await page.locator('.topbar').evaluate((el) => el.getBoundingClientRect().bottom);
  await expect.poll(caretTop).toBeGreaterThanOrEqual(barBottom);
  await expect(paragraphs.first()).toHaveText(`Opening words. Now Paragraph 1. ${filler.trim()}`);
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Closing words.');
  await expect(paragraphs.last()).toHaveText(`Paragraph 60. ${filler.trim()} Closing words.`);
  // Where Page Up lands across a line depends on the layout (it keeps the caret's x), so
  // the test reads where the caret went and checks the typing arrived exactly there.
  const caretSpot = () =>
    page.evaluate(() => {
      const editor = document.querySelector('[aria-label="Body"][contenteditable="true"]')!;
      const selection = window.getSelection()!;
      let block = selection.focusNode instanceof Element ? selection.focusNode : selection.focusNode!.parentElement!;
      while (block !== editor && block.parentElement !== editor) block = block.parentElement!;
      const before = document.createRange();
      before.setStart(block, 0);
      before.setEnd(selection.focusNode!, selection.focusOffset);
      return { index: [...editor.children].indexOf(block), offset: before.toString().length, text: block.textContent ?? '' };
    });
  const typeAtCaret = async (text: string) => {
    const spot = await caretSpot();
    await page.keyboard.type(text);
    await expect(paragraphs.nth(spot.index)).toHaveText(spot.text.slice(0, spot.offset) + text + spot.text.slice(spot.offset));
  };
  for (let i = 0; i < 4; i++) await page.keyboard.press('PageUp');
  await typeAtCaret('MARKER-PAGE ');
  for (let i = 0; i < 25; i++) await page.keyboard.press('ArrowUp');
  await typeAtCaret('MARKER-ARROW ');
  await page.keyboard.press('Enter');
  await page.keyboard.type('A new paragraph typed far from the end.');
  // Each run of typing arrived whole, in one paragraph, with nothing else scrambled.
  await expect(paragraphs.filter({ hasText: 'MARKER-PAGE ' })).toHaveCount(1);
  await expect(paragraphs.filter({ hasText: 'MARKER-ARROW ' })).toHaveCount(1);
  await expect(paragraphs.filter({ hasText: /^A new paragraph typed far from the end\./ })).toHaveCount(1);
  await expect(paragraphs).toHaveCount(61);
  const texts = await paragraphs.allTextContents();
  // Without the two markers and the paragraph split at the second, the story is exactly
  // what was pasted and typed at its two ends: nothing else moved or went missing.
  const story = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1}. ${filler.trim()}`);
  story[0] = `Opening words. Now ${story[0]}`;
  story[59] = `${story[59]} Closing words.`;
  expect(texts.join('\n').replace('MARKER-PAGE ', '').replace('MARKER-ARROW \nA new paragraph typed far from the end.', '')).toBe(story.join('\n'));
  // The page-up stop is well above the end, and the arrow stop above that.
  const at = (marker: string) => texts.findIndex((t) => t.includes(marker));
  expect(at('MARKER-ARROW')).toBeLessThan(at('MARKER-PAGE'));
  expect(at('MARKER-PAGE')).toBeLessThan(59);

  // Undo also moves the caret far: back to the last paragraph, where typing then goes.
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Undone words.');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+z');
  await expect(paragraphs.last()).toHaveText(`Paragraph 60. ${filler.trim()} Closing words.`);
  await page.keyboard.type(' After undo.');
  await expect(paragraphs.last()).toHaveText(`Paragraph 60. ${filler.trim()} Closing words. After undo.`);
  // A story this long is sent by the window's sender worker (a body over 32,000 characters); it reaches the back end whole.
  await expectSaved(page);
  const stored = await savedBody(page, galley.server.token);
  expect(stored.length).toBeGreaterThan(32_000);
  for (const words of ['Opening words. Now Paragraph 1.', 'MARKER-PAGE', 'MARKER-ARROW', 'A new paragraph typed far from the end.', 'Closing words. After undo.']) expect(stored).toContain(words);
});
