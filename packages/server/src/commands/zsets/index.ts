/** The sorted-set pop core, for the blocking variants (BZPOPMIN, BZPOPMAX, BZMPOP). */
export { flatScored, nestedScored, parseMpop, popScored, type PopWhere } from './zsets-pop.js';
