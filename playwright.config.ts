import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './tests/support/chromium.ts';

// One worker: the end-to-end tests share one browser and one built renderer (npm run
// test:e2e builds it first); each test starts its own browser-mode process on its
// own data folder.
export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  // Upper bounds, not waits: generous so the suite passes with the other core busy
  // (three restarts of browser mode under load took most of the old 60 s).
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 860 },
  },
});
