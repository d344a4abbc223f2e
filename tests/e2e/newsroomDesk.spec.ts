import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { tempDir } from '../support/backend.ts';
import { deskServerMissing, startDeskServer, type RunningDeskServer } from '../support/deskServer.ts';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.ts';
import { startWebServer } from '../support/webServer.ts';
import { expect, expectSaved, publishConfirmed, test } from './fixtures.ts';

/**
 * Issue #17 end to end: two browser-mode workstations, each with its own data folder
 * and back end process, against one desk process on a private PostgreSQL. The editor
 * creates the desk on B and invites the reporter, who joins on A with the code; the
 * story goes A → B's Review queue → back with a note → edited and resubmitted on A
 * while the desk is down (it waits in Waiting to send) → the desk comes back →
 * approved and published on B to a Folder target, which then holds exactly one page.
 * Everything is done through the names in UI.md and the README's Newsroom desk list.
 */
let cluster: PgCluster | null = null;
let skipped = '';

test.beforeAll(async () => {
  const missing = postgresMissing() ?? deskServerMissing();
  if (missing) {
    skipped = missing;
    console.warn(`[newsroomDesk.spec] skipped: ${missing}`);
    return;
  }
  cluster = await startPostgres();
});
test.afterAll(async () => {
  await cluster?.stop();
});

const EDITOR_PASSWORD = 'harbour-lights-42';
const REPORTER_PASSWORD = 'tide-tables-1987';

/** The top bar's link to the desk (a polite status). */
const deskConnection = (page: Page) => page.getByRole('banner').getByRole('status', { name: 'Desk connection' });
/**
 * The open story's status line (workflow status and save state). The desk's status in
 * the top bar is a second status on the page, so this one is found inside the editor
 * pane; the first there is the status line (the Publishing region's come after it).
 */
const storyStatus = (page: Page) => page.getByRole('main').getByRole('status').first();
const openStory = (page: Page, headline: string) =>
  page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: new RegExp(headline) }).click();

async function openSettingsAtDesk(page: Page): Promise<{ settings: Locator; desk: Locator }> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  return { settings, desk: settings.getByRole('region', { name: 'Newsroom desk' }) };
}

test('two workstations and one desk: submit, send back, resubmit while the desk is down, approve and publish the exact revision', async ({ page, galley, browser }) => {
  test.skip(Boolean(skipped), skipped);
  test.setTimeout(300_000);
  const deskDir = tempDir('galley-desk-e2e-');
  const folder = tempDir('galley-desk-published-');
  const workstationB = tempDir('galley-e2e-b-');
  const databaseUrl = await cluster!.createDatabase('newsroom_e2e');
  let desk: RunningDeskServer = await startDeskServer({ databaseUrl, dataDir: deskDir.dir });
  const serverB = await startWebServer({ dataDir: workstationB.dir });
  const contextB = await browser.newContext();
  const editor = await contextB.newPage();
  // Errors in either browser's console fail the test, except the network noise of a
  // stopped back end, the answers this test provokes on purpose and checks on screen (a
  // bad desk address: 400, a wrong password: 401), and 503: what the desk alone answers
  // (Publishing) is 'unavailable' while the workstation is signed out or offline.
  const consoleErrors: string[] = [];
  const expected = /WebSocket connection to .* failed|Failed to load resource: (net::ERR_CONNECTION_(REFUSED|RESET)|the server responded with a status of (400|401|503))/;
  for (const [who, p] of [['reporter', page], ['editor', editor]] as const) {
    p.on('pageerror', (e) => consoleErrors.push(`${who}: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' && !expected.test(m.text())) consoleErrors.push(`${who}: ${m.text()}`);
    });
  }
  try {
    // ---- B: the editor creates the desk (the first person is its administrator).
    await editor.goto(serverB.url);
    await editor.getByRole('button', { name: 'Use a newsroom desk' }).click();
    const setup = editor.getByRole('region', { name: 'Newsroom desk' });
    await setup.getByLabel('Desk address').fill('not a desk');
    await setup.getByRole('button', { name: 'Connect' }).click();
    await expect(setup.getByRole('alert')).toContainText('http://');
    await setup.getByLabel('Desk address').fill(desk.url);
    await setup.getByLabel('Desk address').press('Enter');
    await setup.getByLabel('Desk name').fill('Harbour Desk');
    await setup.getByLabel('Your name').fill('Rosa Imbert');
    await setup.getByLabel('Username').fill('rosa');
    await setup.getByLabel('Password').fill(EDITOR_PASSWORD);
    await setup.getByLabel('Password').press('Enter');
    await expect(deskConnection(editor)).toHaveText('Connected to Harbour Desk');
    await expect(editor.getByLabel('Current person')).toHaveText('Rosa Imbert · Editor');
    // The desk, not a local Switch user, says who this is.
    await expect(editor.getByRole('button', { name: 'Switch user' })).toHaveCount(0);

    // Settings → Newsroom desk: invite the reporter; the code is shown once, to pass on.
    let { settings, desk: deskSettings } = await openSettingsAtDesk(editor);
    await expect(deskSettings).toContainText('Signed in as Rosa Imbert (Editor)');
    const invite = deskSettings.getByRole('form', { name: 'Invite person' });
    await invite.getByLabel('Name', { exact: true }).fill('Amara Osei');
    await invite.getByLabel('Username').fill('amara');
    await invite.getByLabel('Role').selectOption({ label: 'Reporter' });
    await invite.getByRole('button', { name: 'Invite' }).click();
    const codeBox = deskSettings.getByRole('textbox', { name: 'Invite code for Amara Osei' });
    await expect(codeBox).not.toHaveValue('');
    const code = await codeBox.inputValue();
    await expect(deskSettings.getByRole('list', { name: 'Newsroom people' })).toContainText('Amara Osei');
    await expect(deskSettings.getByRole('combobox', { name: 'Role for Amara Osei' })).toHaveValue('reporter');

    // Settings → Publish targets, now the desk's: a Folder the desk publishes to.
    const targets = settings.getByRole('region', { name: 'Publish targets' });
    await targets.getByRole('button', { name: 'Add target' }).click();
    await targets.getByLabel('CMS type').selectOption({ label: 'Folder' });
    await targets.getByLabel('Name', { exact: true }).fill('Desk folder');
    await targets.getByLabel('Folder', { exact: true }).fill(folder.dir);
    await targets.getByRole('button', { name: 'Save target' }).click();
    await expect(targets.getByRole('list', { name: 'Publish targets' })).toContainText('Desk folder');
    await settings.getByRole('button', { name: 'Close' }).click();

    // ---- A: the reporter joins with the invite code, choosing a password.
    await page.goto(galley.server.url);
    await page.getByRole('button', { name: 'Use a newsroom desk' }).click();
    const join_ = page.getByRole('region', { name: 'Newsroom desk' });
    await join_.getByLabel('Desk address').fill(desk.url);
    await join_.getByRole('button', { name: 'Connect' }).click();
    await join_.getByRole('button', { name: 'I have an invite code' }).click();
    await join_.getByLabel('Invite code', { exact: true }).fill(code);
    await join_.getByLabel('Password').fill(REPORTER_PASSWORD);
    await join_.getByRole('button', { name: 'Join desk' }).click();
    await expect(deskConnection(page)).toHaveText('Connected to Harbour Desk');
    await expect(page.getByLabel('Current person')).toHaveText('Amara Osei · Reporter');
    await expect(page.getByRole('button', { name: 'Switch user' })).toHaveCount(0);

    // A writes her bio (a byline needs one before publishing), then the story, and submits.
    await page.getByRole('button', { name: 'New bio' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Amara Osei');
    await page.getByRole('textbox', { name: 'Bio' }).click();
    await page.keyboard.type('Amara covers the harbour.');
    await expectSaved(page);
    // Save version: only versions travel to the desk, and the editor's pre-publish check
    // looks for this bio on the editor's own workstation.
    await page.keyboard.press('Control+s');
    await expect(page.getByText(/^Version saved$/)).toBeVisible();
    await expect(page.getByRole('button', { name: /^Waiting to send/ })).toHaveCount(0, { timeout: 30_000 });
    await page.getByRole('button', { name: 'New article' }).click();
    await page.getByLabel('Headline').fill('Ferry fares rise');
    await page.getByLabel('Byline').fill('Amara Osei');
    await page.getByRole('textbox', { name: 'Body' }).click();
    await page.keyboard.type('Fares rise in March.');
    await expectSaved(page);
    await page.getByRole('button', { name: 'Submit for edit' }).click();
    await expect(storyStatus(page)).toContainText('Submitted');
    // It goes out: nothing is left waiting.
    await expect(page.getByRole('button', { name: /^Waiting to send/ })).toHaveCount(0, { timeout: 30_000 });

    // ---- B: it is in the editor's Review queue; B sends it back with a note.
    await expect(editor.getByRole('button', { name: 'Review queue, 1 waiting' })).toBeVisible({ timeout: 30_000 });
    await editor.getByRole('button', { name: /Review queue/ }).click();
    await openStory(editor, 'Ferry fares rise');
    await expect(editor.getByRole('textbox', { name: 'Body' })).toHaveText('Fares rise in March.');
    await editor.getByLabel('Note', { exact: true }).fill('Say by how much.');
    await editor.getByRole('button', { name: 'Request changes' }).click();
    await expect(storyStatus(editor)).toContainText('Changes requested');

    // ---- A learns of it from the desk.
    await expect(storyStatus(page)).toContainText('Changes requested', { timeout: 30_000 });

    // ---- The desk goes down. A keeps working: edits, and resubmits.
    await desk.stop();
    await expect(deskConnection(page)).toHaveText('Offline — changes will be sent', { timeout: 30_000 });
    await page.getByRole('textbox', { name: 'Body' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Fares rise by 10 percent.');
    await expectSaved(page);
    await page.getByRole('button', { name: 'Submit for edit' }).click();
    await expect(storyStatus(page)).toContainText('Submitted');
    const waiting = page.getByRole('button', { name: /^Waiting to send \(\d+\)$/ });
    await expect(waiting).toBeVisible();
    await waiting.click();
    const outbox = page.getByRole('dialog', { name: 'Waiting to send' });
    await expect(outbox.getByRole('list', { name: 'Waiting items' })).toContainText('Submit for edit: Ferry fares rise');
    await expect(outbox.getByRole('list', { name: 'Waiting items' })).toContainText('Waiting');
    await outbox.getByRole('button', { name: 'Close' }).click();

    // ---- The desk comes back (same address): what waited goes out, once.
    desk = await startDeskServer({ databaseUrl, dataDir: deskDir.dir, port: desk.port });
    await expect(deskConnection(page)).toHaveText('Connected to Harbour Desk', { timeout: 60_000 });
    await expect(page.getByRole('button', { name: /^Waiting to send/ })).toHaveCount(0, { timeout: 30_000 });

    // ---- B: back in the queue with the new text; B approves exactly what it read.
    await expect(deskConnection(editor)).toHaveText('Connected to Harbour Desk', { timeout: 60_000 });
    await expect(editor.getByRole('button', { name: 'Review queue, 1 waiting' })).toBeVisible({ timeout: 30_000 });
    await openStory(editor, 'Ferry fares rise');
    await expect(editor.getByRole('textbox', { name: 'Body' })).toHaveText('Fares rise in March. Fares rise by 10 percent.', { timeout: 30_000 });
    await expect(storyStatus(editor)).toContainText('Submitted');
    await editor.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(storyStatus(editor)).toContainText('Approved');
    await expect(editor.getByText(/^Approved by Rosa Imbert at .* — revision [0-9a-f]{10}$/)).toBeVisible();

    // The reporter hears of it too.
    await expect(storyStatus(page)).toContainText('Approved', { timeout: 30_000 });

    // ---- B publishes; the desk sends it to the Folder target.
    await publishConfirmed(editor);
    const publishing = editor.getByRole('region', { name: 'Publishing' });
    await expect(publishing.getByRole('listitem').filter({ hasText: 'Desk folder' }).getByRole('status')).toHaveText('Published', { timeout: 60_000 });
    const pages = readdirSync(folder.dir).filter((f) => f.endsWith('.html'));
    expect(pages).toHaveLength(1);
    const html = readFileSync(join(folder.dir, pages[0]!), 'utf8');
    expect(html).toContain('Ferry fares rise');
    expect(html).toContain('Fares rise by 10 percent.');

    // Settings shows who is signed in; Sign out leaves the workstation signed out, not alone.
    ({ settings, desk: deskSettings } = await openSettingsAtDesk(page));
    await expect(deskSettings).toContainText('Signed in as Amara Osei (Reporter)');
    await deskSettings.getByRole('button', { name: 'Sign out' }).click();
    await expect(deskConnection(page)).toHaveText('Signed out');
    await expect(deskSettings.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await settings.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('button', { name: 'Sign in to the desk' })).toBeVisible();
    // A wrong password is refused in plain words; the right one signs in again.
    await page.getByRole('button', { name: 'Sign in to the desk' }).click();
    const again = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Newsroom desk' });
    await again.getByLabel('Username').fill('amara');
    await again.getByLabel('Password').fill('not the password');
    await again.getByLabel('Password').press('Enter');
    await expect(again.getByRole('alert')).toBeVisible();
    await again.getByLabel('Password').fill(REPORTER_PASSWORD);
    await again.getByLabel('Password').press('Enter');
    await expect(deskConnection(page)).toHaveText('Connected to Harbour Desk');
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();

    // ---- The administrator changes the reporter's role: A's workstation follows the desk.
    ({ settings, desk: deskSettings } = await openSettingsAtDesk(editor));
    await deskSettings.getByRole('combobox', { name: 'Role for Amara Osei' }).selectOption({ label: 'Photo desk' });
    await expect(page.getByLabel('Current person')).toHaveText('Amara Osei · Photo desk', { timeout: 30_000 });
    await expect(page.getByText('The desk changed your role to Photo desk')).toBeVisible();

    // ---- …and revokes her: A is signed out, told why, and cannot sign in again.
    await deskSettings.getByRole('button', { name: 'Revoke Amara Osei' }).click();
    await deskSettings.getByRole('group', { name: 'Revoke Amara Osei?' }).getByRole('button', { name: 'Yes, revoke' }).click();
    await expect(deskSettings.getByRole('list', { name: 'Newsroom people' }).getByRole('listitem').filter({ hasText: 'Amara Osei' })).toContainText('Revoked');
    await settings.getByRole('button', { name: 'Close' }).click();
    await expect(deskConnection(page)).toHaveText('Signed out', { timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Sign in to the desk' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign in to the desk' }).click();
    const revoked = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Newsroom desk' });
    await revoked.getByLabel('Username').fill('amara');
    await revoked.getByLabel('Password').fill(REPORTER_PASSWORD);
    await revoked.getByLabel('Password').press('Enter');
    await expect(revoked.getByRole('alert')).toBeVisible();
    await expect(deskConnection(page)).toHaveText('Signed out');

    expect(consoleErrors, 'errors in the browsers’ consoles').toEqual([]);
  } finally {
    await contextB.close();
    await serverB.stop();
    await desk.stop();
    workstationB.remove();
    deskDir.remove();
    folder.remove();
  }
});
