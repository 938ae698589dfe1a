import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*'],
    // The JSON report feeds tools/scripts/test-summary.mjs, which prints the plain 'N passed, N failed' line.
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
