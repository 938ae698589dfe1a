import { expect, test } from 'vitest';

test('client package loads', async () => {
  const module = await import('./index.js');
  expect(module).toBeDefined();
});
