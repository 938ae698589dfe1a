// Prints vitest's totals as one plain line ('N passed, N failed, N skipped') from the JSON report, and fails when
// the run executed no test at all.
import { readFileSync } from 'node:fs';

const results = JSON.parse(readFileSync(new URL('../../.vitest/results.json', import.meta.url), 'utf8'));
const passed = results.numPassedTests;
const failed = results.numFailedTests;
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0 || failed > 0 || !results.success) process.exit(1);
