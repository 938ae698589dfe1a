/** @mini-redis/store: the storage engine contract, the in-memory Map backend and the value data structures. */
export type * from './types.js';
export { WrongTypeError } from './errors.js';
export { typeOf } from './type-of.js';
export { systemClock, ManualClock } from './clock.js';
export { RingBufferList, createList } from './list.js';
export { BTreeSortedSet, type BTreeSortedSetOptions, createSortedSet } from './btree-sorted-set.js';
export {
  LFU_INIT_VAL,
  LRU_CLOCK_MAX,
  LRU_CLOCK_RESOLUTION,
  accessed,
  estimateIdleTime,
  estimateSize,
  initialAccess,
  lfuCounter,
  lruClock,
} from './access.js';
export { MapStore, type MapStoreOptions } from './map-store.js';
export { Stream, createStream, createStreamGroup, listpackElementSize, type StreamNodeLimits } from './stream.js';
export {
  IdMap,
  compareIds,
  formatId,
  incrementId,
  decrementId,
  MIN_ID,
  MAX_ID,
  UINT64_MAX,
} from './stream-id.js';
