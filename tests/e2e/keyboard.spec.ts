import type { Locator, Page } from '@playwright/test';
import { expect, expectSaved, test } from './fixtures.ts';

/**
 * Keyboard only: page.keyboard and nothing else drives the app here. Locators only
 * say what should have focus or what should be on screen.
 */

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement) && el.matches('[contenteditable]'));

/** What has focus, for a failure message: its role-ish tag and its name. */
const focusedDescription = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing (the page)';
    const name = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText?.slice(0, 60) ?? '';
    return `<${el.tagName.toLowerCase()}> ${name}`;
  });

/**
 * Presses Tab (or Shift+Tab) until `target` has focus: a person moving through the page.
 * Fails, saying what had focus, if it is not reached in `max` presses.
 */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    if (await target.count() === 1 && (await isFocused(target))) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    seen.push(await focusedDescription(page));
  }
  throw new Error(`${String(target)} was not reached with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses; focus went to:\n  ${seen.join('\n  ')}`);
}

/** A closed select: arrow keys move its choice, as on every desktop. */
async function choose(page: Page, select: Locator, label: string) {
  const labels = await select.locator('option').allInnerTexts();
  const from = labels.indexOf(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]!.text));
  const to = labels.indexOf(label);
  for (let i = from; i !== to; i += to > from ? 1 : -1) await page.keyboard.press(to > from ? 'ArrowDown' : 'ArrowUp');
  await expect(select.locator('option:checked')).toHaveText(label);
}

const currentPerson = (page: Page) => page.getByLabel('Current person');

/** Switch user → someone new, by keyboard. */
async function addPersonByKeyboard(page: Page, name: string, role: string) {
  const opener = page.getByRole('button', { name: 'Switch user' });
  await tabTo(page, opener);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Switch user' });
  await tabTo(page, dialog.getByLabel('Your name'));
  await page.keyboard.type(name);
  await tabTo(page, dialog.getByLabel('Role'));
  await choose(page, dialog.getByLabel('Role'), role);
  await tabTo(page, dialog.getByRole('button', { name: 'Start' }));
  await page.keyboard.press('Enter');
  await expect(currentPerson(page)).toHaveText(`${name} · ${role}`);
}

test('keyboard only: a reporter writes and submits a story, an editor finds it in the Review queue and approves it with a note', async ({ page, galley }) => {
  test.setTimeout(240_000);
  await page.goto(galley.server.url);

  // First run.
  await tabTo(page, page.getByLabel('Your name'));
  await page.keyboard.type('Rosa Imbert');
  await tabTo(page, page.getByLabel('Role'));
  await choose(page, page.getByLabel('Role'), 'Editor');
  await tabTo(page, page.getByRole('button', { name: 'Start' }));
  await page.keyboard.press('Enter');
  await expect(currentPerson(page)).toHaveText('Rosa Imbert · Editor');

  // Escape closes a dialog, and focus goes back to what opened it.
  const switchUser = page.getByRole('button', { name: 'Switch user' });
  await tabTo(page, switchUser);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Switch user' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Switch user' })).toHaveCount(0);
  await expect(switchUser).toBeFocused();

  await addPersonByKeyboard(page, 'Amara Osei', 'Reporter');

  // The reporter writes.
  await tabTo(page, page.getByRole('button', { name: 'New article' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByLabel('Headline'));
  await page.keyboard.type('Ferry fares rise');
  const body = page.getByRole('textbox', { name: 'Body' });
  await tabTo(page, body);
  await page.keyboard.type('Fares rise in March.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Commuters object.');
  await expectSaved(page);
  await expect(body.locator('p')).toHaveText(['Fares rise in March.', 'Commuters object.']);

  // …and submits it: Submit for edit is before the fields, so back up to it.
  await tabTo(page, page.getByRole('button', { name: 'Submit for edit' }), { back: true });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').first()).toContainText('Submitted');

  // Switch user to the editor.
  await tabTo(page, switchUser, { back: true });
  await page.keyboard.press('Enter');
  const people = page.getByRole('dialog', { name: 'Switch user' }).getByRole('list', { name: 'People' });
  await tabTo(page, people.getByRole('button', { name: 'Rosa Imbert — Editor' }));
  await page.keyboard.press('Enter');
  await expect(currentPerson(page)).toHaveText('Rosa Imbert · Editor');

  // The editor opens the Review queue and the story from it.
  const queue = page.getByRole('button', { name: 'Review queue, 1 waiting' });
  await tabTo(page, queue);
  await page.keyboard.press('Enter');
  await expect(queue).toHaveAttribute('aria-pressed', 'true');
  const story = page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ });
  await expect(page.getByRole('list', { name: 'Stories' }).getByRole('listitem')).toHaveCount(1);
  await tabTo(page, story);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Headline')).toHaveValue('Ferry fares rise');
  await expect(body.locator('p')).toHaveText(['Fares rise in March.', 'Commuters object.']);

  // Approve with a note.
  await tabTo(page, page.getByLabel('Note', { exact: true }));
  await page.keyboard.type('Good to go.');
  await tabTo(page, page.getByRole('button', { name: 'Approve', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').first()).toContainText('Approved');
  await expect(page.getByText(/^Approved by Rosa Imbert at .* — revision [0-9a-f]{10}: “Good to go\.”$/)).toBeVisible();
});

/**
 * The element with focus, checked as a person would look for it: an outline of at least
 * 2 px whose colour stands out 3:1 from what is behind it (WCAG 1.4.11). Colours are read
 * through a canvas, so any CSS colour syntax a theme uses compares the same way.
 */
const focusRing = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    const rgba = (css: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#000';
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data] as [number, number, number, number];
    };
    const luminance = ([r, g, b]: number[]) => {
      const c = [r!, g!, b!].map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    };
    // The outline is drawn outside the element, over its nearest painted ancestor.
    let behind = 'rgb(255, 255, 255)';
    for (let p = el.parentElement; p; p = p.parentElement) {
      const bg = getComputedStyle(p).backgroundColor;
      if (rgba(bg)[3] > 0) {
        behind = bg;
        break;
      }
    }
    const cs = getComputedStyle(el);
    const [a, b] = [luminance(rgba(cs.outlineColor)), luminance(rgba(behind))];
    const contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const name = el.getAttribute('aria-label') ?? el.innerText?.trim().slice(0, 40) ?? '';
    return {
      what: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> ${name}`,
      problem:
        cs.outlineStyle === 'none' || parseFloat(cs.outlineWidth) < 2
          ? `no focus ring (outline ${cs.outlineStyle} ${cs.outlineWidth})`
          : contrast < 3
            ? `focus ring ${cs.outlineColor} on ${behind}: contrast ${contrast.toFixed(2)}:1, under 3:1`
            : null,
    };
  });

/** Tabs through every stop once (until focus comes back round) and lists the stops without a visible ring. */
async function stopsWithoutRing(page: Page, max = 200): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const ring = await focusRing(page);
    if (!ring) continue;
    const key = await page.evaluate(() => {
      const el = document.activeElement!;
      const path: number[] = [];
      for (let n: Element | null = el; n?.parentElement; n = n.parentElement) path.push([...n.parentElement.children].indexOf(n));
      return path.join('.');
    });
    if (seen.has(key)) break;
    seen.add(key);
    stops.push(ring.what);
    if (ring.problem) problems.push(`${ring.what}: ${ring.problem}`);
  }
  expect(stops.length, `Tab reached some controls: ${stops.join(', ')}`).toBeGreaterThan(2);
  return problems;
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every control Tab reaches shows a focus ring that stands out (${colorScheme} colour scheme)`, async ({ page, galley }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme });
    await page.goto(galley.server.url);
    await tabTo(page, page.getByLabel('Your name'));
    await page.keyboard.type('Rosa Imbert');
    await tabTo(page, page.getByLabel('Role'));
    await choose(page, page.getByLabel('Role'), 'Editor');
    await tabTo(page, page.getByRole('button', { name: 'Start' }));
    await page.keyboard.press('Enter');
    await expect(currentPerson(page)).toHaveText('Rosa Imbert · Editor');
    await tabTo(page, page.getByRole('button', { name: 'New article' }));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByLabel('Headline'));
    await page.keyboard.type('Ferry fares rise');
    await tabTo(page, page.getByRole('textbox', { name: 'Body' }));
    await page.keyboard.type('Fares rise in March.');
    await expectSaved(page);
    // The save state is said politely: a status, never an interruption.
    const statusLine = page.getByRole('status').filter({ hasText: 'Saved' });
    await expect(statusLine).toHaveCount(1);
    await expect(statusLine).not.toHaveAttribute('aria-live', /assertive/);
    await expect(page.locator('[aria-live="assertive"]')).toHaveCount(0);

    const onPage = await stopsWithoutRing(page);
    await tabTo(page, page.getByRole('button', { name: 'Settings' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    const inSettings = await stopsWithoutRing(page);
    expect([...onPage, ...inSettings], 'focus rings to fix').toEqual([]);
  });
}
