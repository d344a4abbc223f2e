import { addPerson, callApi, expect, expectSaved, firstRun, newArticleAsReporter, switchTo, test } from './fixtures.ts';

test.describe('writing survives a restart of the back end', () => {
  test('a reporter writes an article, the back end is killed, and the text is all there', async ({ page, galley, consoleErrors }) => {
    await page.goto(galley.server.url);
    await firstRun(page, 'Amara Osei', 'Reporter');
    await expect(page.getByText('No stories yet')).toBeVisible();
    await page.getByRole('button', { name: 'New article' }).click();
    await page.getByLabel('Headline').fill('Harbor board approves dredging plan');
    const body = page.getByRole('textbox', { name: 'Body' });
    await body.click();
    await page.keyboard.type('The Port Alder harbor board voted 5-2 late Tuesday.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Fishermen say the timeline is too tight.');
    await expect(page.getByText('16 words')).toBeVisible();
    await expect(page.getByLabel('Slug')).toHaveValue('harbor-board-approves-dredging-plan');
    await expectSaved(page);

    // A crash, not a polite shutdown: whatever was saved must be on disk already.
    const server = await galley.restart('SIGKILL');
    await page.goto(server.url);
    await expect(page.getByLabel('Current person')).toHaveText('Amara Osei · Reporter');
    const stories = page.getByRole('list', { name: 'Stories' });
    await expect(stories.getByRole('listitem')).toHaveCount(1);
    await stories.getByRole('button', { name: /Harbor board approves dredging plan/ }).click();
    await expect(page.getByLabel('Headline')).toHaveValue('Harbor board approves dredging plan');
    await expect(page.getByRole('textbox', { name: 'Body' }).locator('p')).toHaveText([
      'The Port Alder harbor board voted 5-2 late Tuesday.',
      'Fishermen say the timeline is too tight.',
    ]);
    expect(consoleErrors).toEqual([]);
  });

  test('the photo desk writes a caption that survives a restart', async ({ page, galley }) => {
    await page.goto(galley.server.url);
    await firstRun(page, 'Lena Ortiz', 'Photo desk');
    await expect(page.getByRole('button', { name: 'New article' })).toHaveCount(0);
    await page.getByRole('button', { name: 'New caption' }).click();
    await page.getByRole('textbox', { name: 'Caption' }).click();
    await page.keyboard.type('Fishing boats leave Port Alder harbor at dawn on Tuesday.');
    await page.getByLabel('Credit').fill('Lena Ortiz / Port Alder Courier');
    await page.getByLabel('Alt text').fill('Three small fishing boats on calm water under an orange sky.');
    await page.getByLabel('Location').fill('Port Alder');
    await expectSaved(page);

    const server = await galley.restart();
    await page.goto(server.url);
    await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Fishing boats leave/ }).click();
    await expect(page.getByRole('textbox', { name: 'Caption' })).toHaveText('Fishing boats leave Port Alder harbor at dawn on Tuesday.');
    await expect(page.getByLabel('Credit')).toHaveValue('Lena Ortiz / Port Alder Courier');
    await expect(page.getByLabel('Alt text')).toHaveValue('Three small fishing boats on calm water under an orange sky.');
    await expect(page.getByLabel('Location')).toHaveValue('Port Alder');
  });

  test('a writer keeps a bio that survives a restart', async ({ page, galley }) => {
    await page.goto(galley.server.url);
    await firstRun(page, 'Amara Osei', 'Reporter');
    await page.getByRole('button', { name: 'New bio' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Amara Osei');
    await page.getByLabel('Title').fill('City hall reporter');
    await page.getByLabel('Email').fill('amara.osei@');
    await expect(page.getByText('Enter an email address like name@example.org')).toBeVisible();
    await page.getByLabel('Email').fill('amara.osei@portaldercourier.example');
    await expect(page.getByText('Enter an email address like name@example.org')).toHaveCount(0);
    await page.getByLabel('Languages').fill('English, Twi, French');
    await page.getByRole('textbox', { name: 'Bio' }).click();
    await page.keyboard.type('Amara Osei covers city hall and the harbor.');
    await expectSaved(page);

    const server = await galley.restart();
    await page.goto(server.url);
    await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Amara Osei/ }).click();
    await expect(page.getByLabel('Title')).toHaveValue('City hall reporter');
    await expect(page.getByLabel('Email')).toHaveValue('amara.osei@portaldercourier.example');
    await expect(page.getByLabel('Languages')).toHaveValue('English, Twi, French');
    await expect(page.getByRole('textbox', { name: 'Bio' })).toHaveText('Amara Osei covers city hall and the harbor.');
  });
});

test.describe('the desk', () => {
  test('switching user changes what a person may do, and the back end agrees', async ({ page, galley }) => {
    await page.goto(galley.server.url);
    await firstRun(page, 'Amara Osei', 'Reporter');
    await page.getByRole('button', { name: 'New article' }).click();
    await page.getByLabel('Headline').fill('Council delays budget vote');
    await expectSaved(page);

    await addPerson(page, 'Lena Ortiz', 'Photo desk');

    await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Council delays budget vote/ }).click();
    await expect(page.getByText('Read only: you may not edit this')).toBeVisible();
    await expect(page.getByLabel('Headline')).not.toBeEditable();
    await expect(page.getByRole('textbox', { name: 'Body' })).toHaveAttribute('contenteditable', 'false');

    // Hiding the controls is only the mirror: a direct call is refused by the back end.
    const token = galley.server.token;
    const list = await callApi<{ id: string }[]>(page, token, 'documents.list', {});
    const doc = await callApi<{ id: string; version: number; content: unknown }>(page, token, 'documents.get', { id: list.value[0]!.id });
    const refused = await callApi(page, token, 'documents.saveWorking', { id: doc.value.id, version: doc.value.version, content: doc.value.content });
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toMatch(/Photo desk may edit only their own articles/);

    await switchTo(page, 'Amara Osei', 'Reporter');
  });

  test('a story moved to the trash can be restored with its text', async ({ page, galley }) => {
    await page.goto(galley.server.url);
    await firstRun(page, 'Rosa Imbert', 'Editor');
    await page.getByRole('button', { name: 'New article' }).click();
    await page.getByLabel('Headline').fill('Ferry timetable changes');
    await expectSaved(page);
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await expect(page.getByText('No stories yet')).toBeVisible();
    await page.getByLabel('Show trash').check();
    await page.getByRole('button', { name: 'Restore Ferry timetable changes' }).click();
    await expect(page.getByText('The trash is empty.')).toBeVisible();
    await page.getByLabel('Show trash').uncheck();
    await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Ferry timetable changes/ }).click();
    await expect(page.getByLabel('Headline')).toHaveValue('Ferry timetable changes');
  });

  test('filters and search narrow the story list', async ({ page, galley }) => {
    await page.goto(galley.server.url);
    await firstRun(page, 'Rosa Imbert', 'Editor');
    await page.getByRole('button', { name: 'New article' }).click();
    await page.getByLabel('Headline').fill('Harbor vote');
    await expectSaved(page);
    await page.getByRole('button', { name: 'New caption' }).click();
    await page.getByRole('textbox', { name: 'Caption' }).click();
    await page.keyboard.type('Boats at dawn');
    await expectSaved(page);
    const stories = page.getByRole('list', { name: 'Stories' }).getByRole('listitem');
    await expect(stories).toHaveCount(2);
    await page.getByLabel('Kind').selectOption({ label: 'Caption' });
    await expect(stories).toHaveCount(1);
    await expect(stories).toContainText('Boats at dawn');
    await page.getByLabel('Kind').selectOption({ label: 'All' });
    await page.getByRole('searchbox', { name: 'Search stories' }).fill('harbor');
    await expect(stories).toHaveCount(1);
    await expect(stories).toContainText('Harbor vote');
    await page.getByLabel('Status').selectOption({ label: 'Published' });
    await expect(page.getByText('No stories match')).toBeVisible();
  });

  test('a story started in another window shows up on the desk, over an event socket whose address carries no token', async ({ page, galley, context }) => {
    const socketAddresses: string[] = [];
    context.on('page', (p) => p.on('websocket', (ws) => socketAddresses.push(ws.url())));
    page.on('websocket', (ws) => socketAddresses.push(ws.url()));
    await page.goto(galley.server.url);
    await firstRun(page, 'Amara Osei', 'Reporter');
    await expect(page.getByText('No stories yet')).toBeVisible();

    const other = await context.newPage();
    await other.goto(galley.server.url);
    await other.getByRole('button', { name: 'New article' }).click();
    await other.getByLabel('Headline').fill('Ferry fares rise in spring');
    await expectSaved(other);
    // Nothing reloads the first window: the news comes over its event socket.
    await expect(page.getByRole('list', { name: 'Stories' })).toContainText('Ferry fares rise in spring');
    await other.close();

    expect(socketAddresses.length).toBeGreaterThan(0);
    for (const address of socketAddresses) expect(address).not.toContain(galley.server.token);
  });

  test('the slug follows a headline in Ukrainian or Polish, transliterated', async ({ page, galley }) => {
    await page.goto(galley.server.url);
    await firstRun(page, 'Amara Osei', 'Reporter');
    await page.getByRole('button', { name: 'New article' }).click();
    await page.getByLabel('Headline').fill('Київ: мер оголосив');
    await expect(page.getByLabel('Slug')).toHaveValue('kyiv-mer-oholosyv');
    await page.getByLabel('Headline').fill('Łódź café reopens');
    await expect(page.getByLabel('Slug')).toHaveValue('lodz-cafe-reopens');
    await expectSaved(page);
  });

  test('a page without the token is told where to go, not shown data', async ({ page, galley }) => {
    await page.goto(galley.server.origin);
    await expect(page.getByRole('alert')).toContainText('opened without its access token');
  });
});

test('text typed while the back end is down is kept in the window and saved when it is back', async ({ page, galley }) => {
  const body = await newArticleAsReporter(page, galley.server.url, 'Storm closes ferry');
  await page.keyboard.type('Saved before the crash.');
  await expectSaved(page);

  await galley.server.stop('SIGKILL');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Typed while the back end was down.');
  await expect(page.getByText('Offline — saved locally')).toBeVisible();

  // Same address (same port), new process: the window's copy is offered back and saved.
  const server = await galley.restart('SIGKILL', { samePort: true });
  await page.goto(server.url);
  await page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Storm closes ferry/ }).click();
  await expect(page.getByText('Recovered changes from this window')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Body' }).locator('p')).toHaveText([
    'Saved before the crash.',
    'Typed while the back end was down.',
  ]);
  await expectSaved(page);

  // …and it is now in the store, not only in the window.
  const list = await callApi<{ id: string }[]>(page, server.token, 'documents.list', {});
  const doc = await callApi<{ content: { body: unknown } }>(page, server.token, 'documents.get', { id: list.value[0]!.id });
  const stored = JSON.stringify(doc.value.content.body);
  expect(stored).toContain('Typed while the back end was down.');
});
