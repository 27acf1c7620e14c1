import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          environment: 'node',
          // Loading electron-builder's schema or running a property test's seeded cases takes a
          // few seconds on a quiet two-core machine and over 5 s (vitest's default) on a busy one.
          // A timeout only catches a hang: speed is measured in `npm run bench`, not here.
          testTimeout: 30_000,
          // expect.poll waits for a condition; its 1 s default made it a timed assertion that a
          // busy machine failed (a server process restarting). It waits as a test may instead.
          expect: { poll: { timeout: 20_000 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 20_000 } },
          // No retries: a test that fails once has a cause to find, not to hide.
          fileParallelism: false,
        },
      },
    ],
  },
});
