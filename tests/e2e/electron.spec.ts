import '../../renderer/src/api/bridge.ts';
import { _electron as electron, expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findElectron } from '../../electron/runtime.ts';
import { tempDir } from '../support/backend.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const runtime = findElectron();
const reason = 'missing' in runtime ? `Electron smoke test skipped: ${runtime.missing}.` : '';
if (reason) console.log(reason);

// Needs the real Electron binary (and a display; xvfb-run provides one on Linux).
test.describe('the desktop app', () => {
  test.skip(Boolean(reason), reason);

  test('opens a window whose page sees only the bridge, and a document round-trips', async () => {
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-electron.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const data = tempDir('galley-electron-');
    const app = await electron.launch({ executablePath: 'path' in runtime ? runtime.path : undefined, args: [ROOT, `--data-dir=${data.dir}`], cwd: ROOT });
    try {
      const page = await app.firstWindow();
      await expect(page.getByLabel('Your name')).toBeVisible();
      const exposed = await page.evaluate(() => ({
        bridge: Object.keys(window.galley ?? {}).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(exposed).toEqual({ bridge: ['invoke', 'subscribe'], require: 'undefined', process: 'undefined' });

      await page.getByLabel('Your name').fill('Rosa Imbert');
      await page.getByLabel('Role').selectOption({ label: 'Editor' });
      await page.getByRole('button', { name: 'Start' }).click();
      await page.getByRole('button', { name: 'New article' }).click();
      await page.getByLabel('Headline').fill('Desktop round trip');
      await expect(page.getByRole('status').getByText('Saved', { exact: true })).toBeVisible();
      const titles = await page.evaluate(async () => {
        const result = await window.galley!.invoke('documents.list', {});
        return result.ok ? (result.value as { title: string }[]).map((d) => d.title) : [];
      });
      expect(titles).toEqual(['Desktop round trip']);
    } finally {
      await app.close();
      data.remove();
    }
  });
});
