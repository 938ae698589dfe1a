import { expect, test } from 'vitest';

test('server package loads', async () => {
  const module = await import('./index.js');
  expect(module).toBeDefined();
});
