import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    // Upper bounds, not waits: stopping a private PostgreSQL or WordPress (MariaDB and
    // PHP) took over 10 s in afterAll with both cores busy, and the suite then failed
    // although every test had passed.
    hookTimeout: 60_000,
  },
});
