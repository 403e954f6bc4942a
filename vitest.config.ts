import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['functions/**/*.test.ts', 'shared/**/*.test.ts', 'db/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
