const t0 = performance.now();
await import('@mini-redis/protocol');
const t1 = performance.now();
await import('@mini-redis/store');
const t2 = performance.now();
await import('@mini-redis/server');
const t3 = performance.now();
console.log((t1 - t0).toFixed(1), (t2 - t1).toFixed(1), (t3 - t2).toFixed(1));
