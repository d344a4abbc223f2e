import { test as base, expect, type Page } from '@playwright/test';
import { startWebServer, type RunningServer } from '../support/webServer.ts';
import { tempDir } from '../support/backend.ts';

type Galley = {
  dataDir: string;
  server: RunningServer;
  /** Stops the back end process (SIGKILL = a crash) and starts a new one on the same data. */
  restart(signal?: NodeJS.Signals, options?: { samePort?: boolean }): Promise<RunningServer>;
};

/**
 * Each test gets a fresh data folder and its own browser-mode process; the browser
 * is shared. Console errors (a CSP violation among them) fail the test.
 */
export const test = base.extend<{ galley: Galley; consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      // While a test has the back end stopped, the event socket reconnecting and the
      // editor's lock check-ins failing are expected (and handled by the app); a request
      // in flight when the test kills the process is reset.
      const expected = /WebSocket connection to .* failed|Failed to load resource: net::ERR_CONNECTION_(REFUSED|RESET)/;
      if (m.type() === 'error' && !expected.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await use(errors);
    expect(errors, 'errors in the browser console').toEqual([]);
  },
  galley: async ({}, use) => {
    const dir = tempDir('galley-e2e-');
    let server = await startWebServer({ dataDir: dir.dir });
    const galley: Galley = {
      dataDir: dir.dir,
      get server() {
        return server;
      },
      async restart(signal = 'SIGTERM', options = {}) {
        const port = options.samePort ? Number(new URL(server.origin).port) : 0;
        await server.stop(signal);
        server = await startWebServer({ dataDir: dir.dir, port });
        return server;
      },
    };
    await use(galley);
    await server.stop();
    dir.remove();
  },
});

export { expect };

/** First run: say who is at the keyboard. */
export async function firstRun(page: Page, name: string, role: 'Reporter' | 'Editor' | 'Photo desk') {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Role').selectOption({ label: role });
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByLabel('Current person')).toHaveText(`${name} · ${role}`);
}

type RoleName = 'Reporter' | 'Editor' | 'Photo desk';

/** Switch user → someone new: adds a person and makes them the one at the keyboard. */
export async function addPerson(page: Page, name: string, role: RoleName) {
  await page.getByRole('button', { name: 'Switch user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch user' });
  await dialog.getByLabel('Your name').fill(name);
  await dialog.getByLabel('Role').selectOption({ label: role });
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByLabel('Current person')).toHaveText(`${name} · ${role}`);
}

/** Switch user → an existing person. */
export async function switchTo(page: Page, name: string, role: RoleName) {
  await page.getByRole('button', { name: 'Switch user' }).click();
  await page.getByRole('dialog', { name: 'Switch user' }).getByRole('button', { name: `${name} — ${role}` }).click();
  await expect(page.getByLabel('Current person')).toHaveText(`${name} · ${role}`);
}

/** A reporter's first run, then a new article (with its headline, if given) and the caret in its body. */
export async function newArticleAsReporter(page: Page, url: string, headline?: string) {
  await page.goto(url);
  await firstRun(page, 'Amara Osei', 'Reporter');
  await page.getByRole('button', { name: 'New article' }).click();
  if (headline !== undefined) await page.getByLabel('Headline').fill(headline);
  const body = page.getByRole('textbox', { name: 'Body' });
  await body.click();
  return body;
}

export async function expectSaved(page: Page) {
  await expect(page.getByRole('status').getByText('Saved', { exact: true })).toBeVisible();
}

/**
 * Calls the back end from the page, as the renderer would (token and all): for checks
 * a person would make by reopening the story, and for calls the UI would not offer.
 * Resolves to the HTTP status and the decoded answer.
 */
export async function callApi<T = unknown>(page: Page, token: string, name: string, input: unknown): Promise<{ status: number; ok: boolean; value: T; error?: { code: string; message: string } }> {
  return page.evaluate(
    async ({ token, name, input }) => {
      const res = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      return { status: res.status, ...(await res.json()) };
    },
    { token, name, input },
  );
}

/** Pastes HTML into the focused editor the way the browser delivers a paste. */
export async function pasteHtml(page: Page, html: string) {
  await page.evaluate((h) => {
    const dt = new DataTransfer();
    dt.setData('text/html', h);
    dt.setData('text/plain', h.replace(/<[^>]+>/g, ''));
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, html);
}

/**
 * Publish asks once (issue #18): clicks Publish, then Publish in the dialog
 * **Publish this story?** (or caption / bio), and waits for the dialog to close.
 */
export async function publishConfirmed(page: Page, kind: 'story' | 'caption' | 'bio' = 'story') {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Publish this ${kind}?` });
  await expect(dialog.getByText(/revision [0-9a-f]{10}/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(dialog).toBeHidden();
}
