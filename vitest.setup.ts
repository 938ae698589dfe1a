// Seeds fast-check for every property test: a fixed seed by default (CI is repeatable), or FC_SEED=random for a
// fresh one. fast-check prints the seed, path and shrunk counterexample of any failure.
import fc from 'fast-check';

const requested = process.env['FC_SEED'];
const seed = requested === 'random' ? Date.now() ^ (Math.random() * 0x100000000) : Number(requested ?? 42);
if (requested === 'random') console.log(`fast-check seed: ${seed}`);
fc.configureGlobal({ seed, numRuns: Number(process.env['FC_NUM_RUNS'] ?? 100) });
