import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Native addons (better-sqlite3, hnswlib-node) are safest in forked processes.
    pool: 'forks',
  },
});
