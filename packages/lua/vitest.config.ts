import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'lua',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['../../vitest.setup.ts'],
    testTimeout: 30_000,
  },
});
