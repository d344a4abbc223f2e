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
  // In CI a failed test runs up to twice more and, if it passes then, is reported as
  // "flaky" in the summary (not hidden). Three editor tests from earlier sessions fail
  // now and then on this 2-core machine, on this session's starting commit too:
  // "counts, reading time and the word budget…" (about one run in three), "in a long
  // story, keys that jump far…" (article.spec) and "a comment stays on its words…"
  // (workflow.spec). What is typed right after a story opens is sometimes undone by a
  // late replacement of the editor's content. This is open work, not a fixed race;
  // locally (no CI variable) every failure counts at once.
  retries: process.env.CI ? 2 : 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 860 },
  },
});
