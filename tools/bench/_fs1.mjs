import { PerformanceObserver } from 'node:perf_hooks';
const G = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) G.push([e.startTime.toFixed(2), e.duration.toFixed(2), e.detail?.kind]); }).observe({ entryTypes: ['gc'] });
const t0 = performance.now();
const { startServer } = await import('@mini-redis/server');
const t1 = performance.now();
const first = await startServer({ port: 0 });
const t2 = performance.now();
await first.close();
setTimeout(() => console.log(JSON.stringify({ t0: t0.toFixed(2), t1: t1.toFixed(2), t2: t2.toFixed(2), first: (t2 - t1).toFixed(2), G })), 10);
