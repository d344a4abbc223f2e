import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, expectSaved, firstRun, test } from './fixtures.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/images/${name}`, import.meta.url));

test('the photo desk imports harbor-dawn.jpg and sees caption, credit and alt text prefilled', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Lena Ortiz', 'Photo desk');
  await page.getByRole('button', { name: 'New caption' }).click();
  const checks = page.getByRole('list', { name: 'Checks' });
  await expect(checks).toContainText('No photo yet');
  await expect(checks).toContainText('Credit is missing');

  await page.getByLabel('Photo file').setInputFiles(fixture('harbor-dawn.jpg'));
  await expect(page.getByRole('textbox', { name: 'Caption' })).toHaveText(
    'Fishing boats return to the harbor at dawn in Portmere on Oct. 3, 2026, a day before the council vote on the expansion plan.',
  );
  await expect(page.getByLabel('Credit')).toHaveValue('Lena Ortiz/Northwind Photo');
  await expect(page.getByLabel('Photographer')).toHaveValue('Lena Ortiz');
  await expect(page.getByLabel('Copyright')).toHaveValue('(c) 2026 Northwind Photo');
  await expect(page.getByLabel('Alt text')).toHaveValue('Six small fishing boats with orange hulls moored along a stone quay under a pale sky.');
  await expect(page.getByLabel('Date taken')).toHaveValue('2026-10-03');
  await expect(page.getByLabel('Location')).toHaveValue('Portmere, Freedonia');
  await expect(page.getByRole('img', { name: 'Six small fishing boats with orange hulls moored along a stone quay under a pale sky.' })).toBeVisible();
  await expect(page.getByText('All checks pass.')).toBeVisible();
  await expectSaved(page);

  // Checks follow the fields live.
  await page.getByLabel('Alt text').fill('');
  await expect(checks).toContainText('Alt text is missing');
});

test('a dropped photo without metadata imports; a file that is not an image is refused by name', async ({ page, galley }) => {
  await page.goto(galley.server.url);
  await firstRun(page, 'Lena Ortiz', 'Photo desk');
  await page.getByRole('button', { name: 'New caption' }).click();

  await page.getByLabel('Photo file').setInputFiles(fixture('not-an-image.jpg'));
  await expect(page.getByRole('alert')).toHaveText('not-an-image.jpg: this is not a JPEG, PNG or WebP image. Choose a photo file.');

  const bytes = readFileSync(fixture('no-metadata.png')).toString('base64');
  const dataTransfer = await page.evaluateHandle((b64) => {
    const bin = atob(b64);
    const arr = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([arr], 'no-metadata.png', { type: 'image/png' }));
    return dt;
  }, bytes);
  await page.locator('.photo-area').dispatchEvent('dragover', { dataTransfer });
  await page.locator('.photo-area').dispatchEvent('drop', { dataTransfer });
  await expect(page.locator('.photo-area img')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Checks' })).not.toContainText('No photo yet');
  await expect(page.getByRole('list', { name: 'Checks' })).toContainText('Credit is missing');
});
