import { defineConfig } from 'vitest/config';

// Two projects: `unit` (in-process, seconds) and `e2e` (built bins, installs, real servers).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          // `arch init` puts a packed copy of archkit into each workspace: packed once, here, for every file.
          globalSetup: ['test/helpers/pack-cache.ts'],
          exclude: ['test/e2e/**', 'test/fixtures/**', '**/node_modules/**', '**/__snapshots__/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
