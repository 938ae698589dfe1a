/**
 * Redis converts a hash, set or sorted set from its compact encoding (listpack, intset) to the large one (hashtable,
 * skiplist) once it passes a size limit, and never back. Our structures do not change, but OBJECT ENCODING must
 * answer what Redis would: a write that takes a value past a limit promotes it here, and encodingOf (keys/keys-object.ts)
 * reports a promoted value in its large encoding for good. COPY, RENAME and MOVE keep the object (or copy the mark).
 */
const promoted = new WeakSet<object>();

/** Marks a value as converted to its large encoding (for good). */
export function promoteEncoding(value: object): void {
  promoted.add(value);
}

/** True when a write took the value past its compact encoding's limits at some point. */
export function isPromoted(value: object): boolean {
  return promoted.has(value);
}
