import { expect, test } from 'vitest';

test('store package loads', async () => {
  const module = await import('./index.js');
  expect(module).toBeDefined();
});
