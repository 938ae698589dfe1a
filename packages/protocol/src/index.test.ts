import { expect, test } from 'vitest';

test('protocol package loads', async () => {
  const module = await import('./index.js');
  expect(module).toBeDefined();
});
