import type { Page } from '@playwright/test';
import { addPerson, expect, expectSaved, firstRun, switchTo, test } from './fixtures.ts';

/**
 * Issue #18, reviewing: review mode (the submit note and the changes since the editor's
 * last review), comments in the margin with replies posted by Ctrl+Enter, and a review
 * queue, oldest first with counts, that stays put when the editor acts on a story.
 */

// Wide enough for the comments' margin beside the text.
test.use({ viewport: { width: 1600, height: 1000 } });

async function writeStory(page: Page, headline: string, body: string, budget?: string) {
  await page.getByRole('button', { name: 'New article' }).click();
  // The new article, not the story still open: it opens with its empty Headline focused.
  await expect(page.getByLabel('Headline')).toBeFocused();
  await expect(page.getByLabel('Headline')).toHaveValue('');
  await page.getByLabel('Headline').fill(headline);
  if (budget) await page.getByLabel('Word budget').fill(budget);
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type(body);
  await expectSaved(page);
}

async function submit(page: Page, note: string) {
  await page.getByLabel('Note', { exact: true }).fill(note);
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await expect(page.getByRole('status').first()).toContainText('Submitted');
}

/** Selects characters [from, to) of the body's first paragraph, as a drag would. */
async function selectInFirstParagraph(page: Page, from: number, to: number) {
  await page
    .getByRole('textbox', { name: 'Body' })
    .locator('p')
    .first()
    .evaluate(
      (p, [a, b]) => {
        const text = p.firstChild!;
        const range = document.createRange();
        range.setStart(text, a!);
        range.setEnd(text, b!);
        const sel = window.getSelection()!;
        sel.removeAllRanges();
        sel.addRange(range);
      },
      [from, to],
    );
}

test('a reporter submits with a note; the editor reviews in the queue, comments in the margin, sends it back; the reply comes by Ctrl+Enter; the editor sees only what changed and approves, and the queue stays', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await addPerson(page, 'Amara Osei', 'Reporter');

  // The reporter submits two stories, the ferry first.
  await writeStory(page, 'Ferry fares rise', 'Fares rise in March.', '5');
  await submit(page, 'Check the figure in the first line.');
  await writeStory(page, 'Bridge closes', 'The bridge closes for repairs on Monday.');
  await submit(page, 'Short one.');

  // The editor's queue: oldest submission first, with who, when, words of budget, comments.
  await switchTo(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('button', { name: 'Review queue, 2 waiting' }).click();
  const queue = page.getByRole('list', { name: 'Review queue' });
  await expect(queue.getByRole('listitem')).toHaveCount(2);
  await expect(queue.getByRole('listitem').nth(0)).toContainText('Ferry fares rise');
  await expect(queue.getByRole('listitem').nth(0)).toContainText('Submitted by Amara Osei, just now');
  await expect(queue.getByRole('listitem').nth(0)).toContainText('4 of 5 words · no open comments');
  await expect(queue.getByRole('listitem').nth(1)).toContainText('Bridge closes');
  await expect(queue.getByRole('listitem').nth(1)).toContainText('7 words · no open comments');

  // Review mode on a first submission: the note at the top, nothing earlier to compare.
  await queue.getByRole('button', { name: /Ferry fares rise/ }).click();
  const review = page.getByRole('region', { name: 'Review', exact: true });
  await expect(review).toContainText('Submitted by Amara Osei');
  await expect(review).toContainText('Check the figure in the first line.');
  await expect(review).toContainText('First submission — no earlier version to compare');

  // A comment on "in March", posted with Ctrl+Enter, sits in the margin beside its words.
  await selectInFirstParagraph(page, 11, 19);
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await page.getByRole('textbox', { name: 'Comment', exact: true }).fill('By how much?');
  await page.getByRole('textbox', { name: 'Comment', exact: true }).press('Control+Enter');
  const comments = page.getByRole('list', { name: 'Comments' });
  await expect(comments).toContainText('By how much?');
  const anchor = page.getByRole('textbox', { name: 'Body' }).locator('.comment-anchor');
  await expect(anchor).toHaveText('in March');
  const thread = comments.getByRole('listitem').filter({ hasText: 'By how much?' });
  await expect(async () => {
    const [a, t] = [await anchor.boundingBox(), await thread.boundingBox()];
    // To the right of the text, and level with the words (within a line).
    expect(t!.x).toBeGreaterThan(a!.x + a!.width);
    expect(Math.abs(t!.y - a!.y)).toBeLessThan(24);
  }).toPass();
  await expect(queue.getByRole('listitem').nth(0)).toContainText('1 open comment');

  // Sent back: the story stays in the queue, marked, and the next one is offered.
  await page.getByLabel('Note', { exact: true }).fill('Say by how much.');
  await page.getByRole('button', { name: 'Request changes' }).click();
  await expect(page.getByRole('status').first()).toContainText('Changes requested');
  await expect(queue.getByRole('listitem')).toHaveCount(2);
  await expect(queue.getByRole('listitem').filter({ hasText: 'Ferry fares rise' })).toContainText('Changes requested by you');
  await expect(page.getByRole('button', { name: 'Next in queue: Bridge closes' })).toBeVisible();

  // The reporter answers the comment with Ctrl+Enter, fixes the text and resubmits.
  await switchTo(page, 'Amara Osei', 'Reporter');
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ }).click();
  const mine = page.getByRole('list', { name: 'Comments' }).getByRole('listitem').filter({ hasText: 'By how much?' }).first();
  await mine.getByRole('button', { name: 'Reply' }).click();
  await mine.getByRole('textbox', { name: 'Reply' }).fill('Ten percent; added.');
  await mine.getByRole('textbox', { name: 'Reply' }).press('Control+Enter');
  await expect(page.getByRole('list', { name: 'Replies' })).toContainText('Ten percent; added.');
  await expect(page.getByRole('list', { name: 'Replies' })).toContainText('Amara Osei');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Fares rise by 10 percent.');
  await expectSaved(page);
  await submit(page, 'Added the figure.');

  // The editor: the bridge now waited longest; the ferry shows its open comment.
  await switchTo(page, 'Rosa Imbert', 'Editor');
  await expect(queue.getByRole('listitem').nth(0)).toContainText('Bridge closes');
  await expect(queue.getByRole('listitem').nth(1)).toContainText('Ferry fares rise');
  await expect(queue.getByRole('listitem').nth(1)).toContainText('9 of 5 words · 1 open comment');
  await queue.getByRole('button', { name: /Ferry fares rise/ }).click();

  // Review mode: the new note, and only what changed since the editor sent it back.
  await expect(review.getByRole('heading', { level: 2 })).toHaveText('Changes since you last reviewed');
  await expect(review).toContainText('Added the figure.');
  const changes = review.getByRole('region', { name: 'Comparison' }).getByRole('group', { name: 'Body changes' });
  await expect(changes.locator('ins')).toHaveText([' Fares rise by 10 percent.']);
  await expect(changes.locator('del')).toHaveCount(0);
  await review.getByRole('button', { name: 'Show clean text' }).click();
  await expect(review.getByRole('region', { name: 'Comparison' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Body' })).toHaveText('Fares rise in March. Fares rise by 10 percent.');
  await review.getByRole('button', { name: 'Show changes' }).click();
  await expect(changes.locator('ins')).toHaveText([' Fares rise by 10 percent.']);
  await expect(page.getByRole('list', { name: 'Replies' })).toContainText('Ten percent; added.');

  // Approved: the queue still shows it, done, with the next story offered.
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByRole('status').first()).toContainText('Approved');
  await expect(page.getByRole('region', { name: 'Review', exact: true })).toHaveCount(0);
  await expect(queue.getByRole('listitem')).toHaveCount(2);
  await expect(queue.getByRole('listitem').filter({ hasText: 'Ferry fares rise' })).toContainText('Approved by you');
  await page.getByRole('button', { name: 'Next in queue: Bridge closes' }).click();
  await expect(page.getByLabel('Headline')).toHaveValue('Bridge closes');
  await expect(page.getByRole('region', { name: 'Review', exact: true })).toContainText('Short one.');
});

test('on a narrow window the comments are a list below the text', async ({ page, galley }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await writeStory(page, 'Ferry fares rise', 'Fares rise in March.');
  await selectInFirstParagraph(page, 11, 19);
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await page.getByRole('textbox', { name: 'Comment', exact: true }).fill('Which date?');
  await page.getByRole('button', { name: 'Add comment' }).click();
  const thread = page.getByRole('list', { name: 'Comments' }).getByRole('listitem').filter({ hasText: 'Which date?' });
  await expect(thread).toBeVisible();
  const [body, box] = [await page.getByRole('textbox', { name: 'Body' }).boundingBox(), await thread.boundingBox()];
  expect(box!.y).toBeGreaterThan(body!.y + body!.height);
});
