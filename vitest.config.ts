import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server tests open real sockets and real Redis connections; browser tests run Chromium.
    // Files run in parallel worker processes, each test file with its own server and key prefix.
    pool: 'forks',
  },
});
