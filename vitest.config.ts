import { defineConfig } from 'vitest/config';

// Three layers, as ARCHITECTURE.md describes: pure unit tests, in-process integration tests
// (supertest, sqlite in temp dirs), and e2e tests that start real processes one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Some start entry points as processes (bin/weft-run): build so they run today's sources.
          globalSetup: ['test/fixtures/compiled-build.ts'],
          pool: 'forks',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // The processes e2e tests start run the compiled build, as after `npm install`.
          globalSetup: ['test/fixtures/compiled-build.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
