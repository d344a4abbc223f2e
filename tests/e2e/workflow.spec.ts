import { readFileSync } from 'node:fs';
import type { BrowserContext, Page, Route } from '@playwright/test';
import { addPerson, callApi, expect, expectSaved, firstRun, switchTo, test } from './fixtures.ts';


test('submit, request changes, resubmit, approve; an edit makes the approval stale; approve again', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await addPerson(page, 'Amara Osei', 'Reporter');

  // The reporter writes and submits.
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Ferry fares rise');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('Fares rise in March.');
  await expectSaved(page);
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await expect(page.getByRole('status')).toContainText('Submitted');

  // A reporter calling approve through the API directly is refused.
  const list = await callApi<{ id: string }[]>(page, galley.server.token, 'documents.list', {});
  const refused = await callApi(page, galley.server.token, 'workflow.transition', { documentId: list.value[0]!.id, action: 'approve' });
  expect(refused.status).toBe(403);

  // The editor finds it in the queue and sends it back with a note.
  await switchTo(page, 'Rosa Imbert', 'Editor');
  await expect(page.getByRole('button', { name: 'Review queue, 1 waiting' })).toBeVisible();
  await page.getByRole('button', { name: /Review queue/ }).click();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ }).click();
  await page.getByRole('button', { name: 'Request changes' }).click();
  await expect(page.getByRole('alert')).toHaveText('Request changes needs a note saying what to change.');
  await page.getByLabel('Note', { exact: true }).fill('Say by how much.');
  await page.getByRole('button', { name: 'Request changes' }).click();
  await expect(page.getByRole('status')).toContainText('Changes requested');

  // The reporter is told, sees why, fixes it and resubmits.
  await switchTo(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Changes requested: Ferry fares rise — Rosa Imbert');
  await page.getByRole('button', { name: 'Mark all read' }).click();
  await expect(page.getByRole('button', { name: 'Notifications, 0 unread' })).toBeVisible();
  await page.getByRole('button', { name: /Notifications/ }).first().click();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ }).click();
  await expect(page.getByRole('note')).toContainText('Changes requested by Rosa Imbert');
  await expect(page.getByRole('note')).toContainText('“Say by how much.”');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Fares rise by 10 percent.');
  await expectSaved(page);
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await expect(page.getByRole('status')).toContainText('Submitted');

  // The editor approves that exact revision, seeing by default only what changed
  // since they sent it back.
  await switchTo(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ }).click();
  const review = page.getByRole('region', { name: 'Comparison' });
  await expect(review.getByRole('group', { name: 'Body changes' }).locator('ins')).toHaveText([' Fares rise by 10 percent.']);
  await expect(review.getByRole('group', { name: 'Body changes' }).locator('del')).toHaveCount(0);
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByText(/^Approved by Rosa Imbert at .* — revision [0-9a-f]{10}$/)).toBeVisible();
  // What still stands between the story and publication, each saying what to do.
  const before = page.getByRole('list', { name: 'Before publishing' });
  await expect(before).toContainText('Headline present');
  await expect(before).toContainText('Add a byline (the writer’s name, from the bios).');

  // The reporter edits: the approval goes stale and can be compared.
  await switchTo(page, 'Amara Osei', 'Reporter');
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ }).click();
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Commuters object.');
  await expectSaved(page);
  await expect(page.getByText(/Edited since approval/)).toBeVisible();
  await page.getByRole('button', { name: 'Compare with approved' }).click();
  const comparison = page.getByRole('region', { name: 'Comparison' });
  await expect(comparison).toContainText('to the current text');
  await expect(comparison.getByRole('group', { name: 'Body changes' }).locator('ins')).toHaveText([' Commuters object.']);

  // The editor approves again.
  await switchTo(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ }).click();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Approved');

  // The audit trail says who did what, and exports as CSV.
  await page.getByText(/^Audit trail/).click();
  const trail = page.getByRole('table', { name: 'Audit trail' });
  await expect(trail.locator('tbody tr td:nth-child(3)')).toHaveText([
    'Approved', 'Edited after approval', 'Approved', 'Submitted for edit', 'Changes requested', 'Submitted for edit',
  ]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('Ferry fares rise audit trail.csv');
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('document,time (UTC),who,action,from,to,revision,note');
  expect(csv).toContain('Rosa Imbert,requestChanges,submitted,changes_requested');
});

test('the text changes in another window while the editor reads: Approve is refused, says so and offers Compare; the text as it is now is approved', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await addPerson(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Ferry fares rise');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('Fares rise in March.');
  await expectSaved(page);
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await expect(page.getByRole('status')).toContainText('Submitted');

  // The editor opens it (Switch user let go of the reporter's lock) and reads.
  await switchTo(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ }).click();
  await expect(page.getByRole('button', { name: 'Take over' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Body' })).toHaveText('Fares rise in March.');

  // Meanwhile the story is saved with new words from another window.
  const [doc] = (await callApi<{ id: string }[]>(page, galley.server.token, 'documents.list', {})).value;
  const current = await callApi<{ version: number; content: { fields: unknown } }>(page, galley.server.token, 'documents.get', { id: doc!.id });
  const body = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Fares rise in March. Unions call a strike.' }] }] };
  const saved = await callApi(page, galley.server.token, 'documents.saveWorking', { id: doc!.id, version: current.value.version, content: { ...current.value.content, body } });
  expect(saved.ok, saved.error?.message).toBe(true);

  // Approve names what this screen shows, which is no longer the story's text.
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText(/^The text changed after the version you reviewed \(Rosa Imbert saved it at \d\d:\d\d UTC\)\. Compare the changes, then approve again/);
  await expect(page.getByRole('status')).toContainText('Submitted');
  await refusal.getByRole('button', { name: 'Compare' }).click();
  const comparison = page.getByRole('complementary', { name: 'History' }).getByRole('region', { name: 'Comparison' });
  await expect(comparison).toContainText('to the current text');
  await expect(comparison.getByRole('group', { name: 'Body changes' }).locator('ins')).toHaveText([' Unions call a strike.']);

  // Reopened on the current text, the editor approves exactly that.
  await page.reload();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ }).click();
  await expect(page.getByRole('textbox', { name: 'Body' })).toHaveText('Fares rise in March. Unions call a strike.');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Approved');
  const approved = await callApi<{ approvedRevisionId: string }>(page, galley.server.token, 'documents.get', { id: doc!.id });
  await expect(page.getByText(/^Approved by Rosa Imbert at .* — revision [0-9a-f]{10}$/)).toContainText(approved.value.approvedRevisionId.slice(0, 10));
});

test('a comment stays on its words as the text around it changes, survives a reopen, and detaches when its words go', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('button', { name: 'New article' }).click();
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.click();
  await page.keyboard.type('Fares rise in March.');
  await expectSaved(page);
  // Select "in March" (characters 12–19) and comment on it.
  await body.locator('p').first().evaluate((p) => {
    const text = p.firstChild!;
    const range = document.createRange();
    range.setStart(text, 11);
    range.setEnd(text, 19);
    const sel = window.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
  });
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await page.getByRole('textbox', { name: 'Comment', exact: true }).fill('Which date in March?');
  await page.getByRole('button', { name: 'Add comment' }).click();
  const comments = page.getByRole('list', { name: 'Comments' });
  await expect(comments.getByRole('listitem')).toHaveCount(1);
  await expect(comments).toContainText('“in March”');
  await expect(body.locator('.comment-anchor')).toHaveText('in March');

  // Text typed before it moves the anchor with the words.
  await body.locator('p').first().click();
  await page.keyboard.press('Home');
  await page.keyboard.type('Ferry ');
  await expect(body.locator('.comment-anchor')).toHaveText('in March');
  await expectSaved(page);
  await page.reload();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Untitled article/ }).click();
  await expect(page.getByRole('textbox', { name: 'Body' }).locator('.comment-anchor')).toHaveText('in March');

  // Deleting the words keeps the comment, marked detached; Resolve closes it.
  await page.getByRole('textbox', { name: 'Body' }).locator('p').first().click();
  await page.keyboard.press('End');
  for (let i = 0; i < ' in March.'.length; i++) await page.keyboard.press('Backspace');
  await expect(page.getByRole('textbox', { name: 'Body' }).locator('.comment-anchor')).toHaveCount(0);
  await expectSaved(page);
  await page.reload();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Untitled article/ }).click();
  await expect(page.getByRole('list', { name: 'Comments' })).toContainText('(the commented text was deleted)');
  await page.getByRole('list', { name: 'Comments' }).getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByText('No open comments.')).toBeVisible();
  await expect(page.getByText('1 resolved')).toBeVisible();
});

test('two windows: the newest one edits and the first stops; another person sees who holds it, and an editor takes over keeping the holder’s work', async ({ page, galley, context }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Harbor lock test');
  await page.getByRole('textbox', { name: 'Body' }).click();
  await page.keyboard.type('First window text.');
  await expectSaved(page);

  // The same person opens it in a second window: that one edits, the first stops.
  const second = await context.newPage();
  await second.goto(galley.server.url);
  await second.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Harbor lock test/ }).click();
  await expect(second.getByLabel('Headline')).toBeEditable();
  await expect(page.getByRole('note')).toContainText('You are editing this in another window.');
  await expect(page.getByLabel('Headline')).not.toBeEditable();

  // The second window goes away without letting go (closed, crashed); an editor in
  // the first window sees who holds it and takes over.
  await second.close();
  await addPerson(page, 'Rosa Imbert', 'Editor');
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Harbor lock test/ }).click();
  await expect(page.getByRole('note')).toContainText('Amara Osei is editing this now.');
  await page.getByRole('button', { name: 'Take over' }).click();
  await expect(page.getByLabel('Headline')).toBeEditable();
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Revisions' }).getByRole('listitem').first()).toContainText('Saved when Rosa Imbert took over from Amara Osei');
});

/** The story's stored text, as reopening it would show (the back end's working copy). */
async function storedBody(page: Page, token: string, title: RegExp): Promise<string> {
  const list = await callApi<{ id: string; title: string }[]>(page, token, 'documents.list', {});
  const doc = await callApi<{ content: { body: unknown } }>(page, token, 'documents.get', { id: list.value.find((d) => title.test(d.title))!.id });
  return JSON.stringify(doc.value.content.body);
}

test('one workstation: the reporter submits with the story open and switches to the editor, who sends it back; she is not locked out, her fix is saved and still there after a reload', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Ferry fares rise');
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.click();
  await page.keyboard.type('Fares rise in March.');
  await expectSaved(page);
  await page.getByRole('button', { name: 'Submit for edit' }).click();
  await expect(page.getByRole('status')).toContainText('Submitted');

  // The editor takes the keyboard with the story still open: the reporter's lock went
  // with her, so it is the editor's to edit, and nothing claims unsaved changes.
  await addPerson(page, 'Rosa Imbert', 'Editor');
  await page.getByLabel('Note', { exact: true }).fill('Say by how much.');
  await page.getByRole('button', { name: 'Request changes' }).click();
  // (The editor window's lock was answered before that step was: it asked first.)
  await expect(page.getByRole('status')).toContainText('Changes requested');
  await expect(page.getByRole('status')).not.toContainText('Read only');
  await expect(page.getByRole('status')).not.toContainText('Not saved');
  await expect(page.getByText('is editing this now')).toHaveCount(0);
  await expect(page.getByLabel('Headline')).toBeEditable();

  // Back to the reporter: her story is hers to edit at once, and the fix is saved.
  await switchTo(page, 'Amara Osei', 'Reporter');
  await expect(page.getByRole('note').filter({ hasText: 'Changes requested by Rosa Imbert' })).toBeVisible();
  await expect(body).toBeEditable();
  await body.locator('p').first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Fares rise by 10 percent.');
  await expectSaved(page);
  await expect(page.getByRole('status')).not.toContainText('Read only');

  // After a reload the fix is there, from the store, with no recovery to claim.
  await page.reload();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry fares rise/ }).click();
  await expect(body).toHaveText('Fares rise in March. Fares rise by 10 percent.');
  await expect(page.getByText(/Recovered changes/)).toHaveCount(0);
  expect(await storedBody(page, galley.server.token, /Ferry fares rise/)).toContain('Fares rise by 10 percent.');

  // She types and switches straight away: Switch user saves it, as hers, first.
  await body.locator('p').first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Commuters object.');
  await switchTo(page, 'Rosa Imbert', 'Editor');
  await expect(body).toHaveText('Fares rise in March. Fares rise by 10 percent. Commuters object.');
  await expect(page.getByLabel('Headline')).toBeEditable();
  expect(await storedBody(page, galley.server.token, /Ferry fares rise/)).toContain('Commuters object.');
  await expect(page.getByRole('status')).not.toContainText('Not saved');
  await expect(page.getByRole('status')).not.toContainText('Read only');
});

/**
 * Holds the window's next working-copy save on its way until `continue()`, so another
 * window can take the story first, as when the lock changes hands between a keystroke
 * and its save. Resolves once the save has been sent.
 */
async function holdNextSave(page: Page): Promise<{ sent: Promise<Route> }> {
  let onSent!: (route: Route) => void;
  const sent = new Promise<Route>((resolve) => (onSent = resolve));
  await page.route('**/api/call/documents.saveWorking', (route) => onSent(route), { times: 1 });
  return { sent };
}

/**
 * A reporter starts "Harbor fees" and types `text`; before that save arrives, a second
 * window of hers opens the story and takes its lock, so the save is refused.
 */
async function typeWhileAnotherWindowTakesIt(page: Page, url: string, context: BrowserContext, text: string) {
  await page.goto(url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Headline').fill('Harbor fees');
  await expectSaved(page);

  const save = await holdNextSave(page);
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.click();
  await page.keyboard.type(text);
  const held = await save.sent;
  const second = await context.newPage();
  await second.goto(url);
  await second.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Harbor fees/ }).click();
  await expect(page.getByRole('note')).toContainText('You are editing this in another window.');
  await held.continue();
  return { body, second };
}

test('a window whose save is refused because another window took the story turns read-only, keeps the text, and saves it once the story is its own again', async ({ page, galley, context }) => {
  const { body, second } = await typeWhileAnotherWindowTakesIt(page, galley.server.url, context, 'Fees double in June.');

  // Refused: read-only, saying so, with the text still on screen.
  await expect(page.getByRole('status')).toContainText('Not saved: You are editing it in another window');
  await expect(body).toHaveAttribute('contenteditable', 'false');
  await expect(page.getByLabel('Headline')).not.toBeEditable();
  await expect(body).toHaveText('Fees double in June.');

  // The other window lets go (it opens something else): the first one gets the story
  // back and sends what it kept.
  await second.getByRole('button', { name: 'New article' }).click();
  await expectSaved(page);
  await expect(body).toHaveAttribute('contenteditable', 'true');
  expect(await storedBody(page, galley.server.token, /Harbor fees/)).toContain('Fees double in June.');

  await page.reload();
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Harbor fees/ }).click();
  await expect(body).toHaveText('Fees double in June.');
  await expect(page.getByText(/Recovered changes/)).toHaveCount(0);
});

test('a window refused because another window took the story takes it back with Take over, keeping and saving what was typed', async ({ page, galley, context }) => {
  const { body } = await typeWhileAnotherWindowTakesIt(page, galley.server.url, context, 'Ferries are exempt.');
  await expect(page.getByRole('status')).toContainText('Not saved');

  await page.getByRole('button', { name: 'Take over' }).click();
  await expectSaved(page);
  await expect(body).toHaveText('Ferries are exempt.');
  await expect(body).toHaveAttribute('contenteditable', 'true');
  expect(await storedBody(page, galley.server.token, /Harbor fees/)).toContain('Ferries are exempt.');
});
