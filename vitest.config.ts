import { defineConfig } from 'vitest/config';

// Native code runs in child processes (forks), so a crash fails one file, not the run.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
