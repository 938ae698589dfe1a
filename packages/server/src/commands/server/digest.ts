/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE (debug.c's xorDigest / mixDigest / xorObjectDigest / computeDatasetDigest):
 * SHA1-based, order independent where Redis's iteration order is not defined (sets, hashes, sorted sets, keys), so
 * the same dataset gives the same 40 hex digits as redis-server.
 */
import type { Database, Store, Value } from '@mini-redis/store';
import { formatDouble } from '../../format.js';

type Digest = Buffer;

/** node:crypto, loaded on the first DEBUG DIGEST: importing it costs several ms at every start otherwise. */
let crypto: typeof import('node:crypto') | undefined;

function sha1(data: Buffer | string): Buffer {
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto.createHash('sha1').update(typeof data === 'string' ? Buffer.from(data, 'latin1') : data).digest();
}

/** xorDigest: digest ^= SHA1(data). */
function xorDigest(digest: Digest, data: Buffer | string): void {
  const hash = sha1(data);
  for (let i = 0; i < 20; i++) digest[i]! ^= hash[i]!;
}

/** mixDigest: digest = SHA1(digest ^ SHA1(data)) (order dependent). */
function mixDigest(digest: Digest, data: Buffer | string): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}

/** Redis's object type codes (OBJ_STRING...), mixed in as a big-endian uint32. */
function typeCode(value: Value): number {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return 0;
  if (value instanceof Set) return 2;
  if (value instanceof Map) return 4;
  switch (value.kind) {
    case 'list': return 1;
    case 'zset': return 3;
    case 'stream': return 6;
  }
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

/** xorObjectDigest: the value's digest mixed into `digest` (and the expire marker when the key has a TTL). */
function xorObjectDigest(digest: Digest, value: Value, hasExpire: boolean): void {
  mixDigest(digest, uint32(typeCode(value)));
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    mixDigest(digest, value);
  } else if (value instanceof Set) {
    for (const member of value) xorDigest(digest, member);
  } else if (value instanceof Map) {
    for (const [field, item] of value) {
      const element = Buffer.alloc(20);
      mixDigest(element, field);
      mixDigest(element, item);
      xorDigest(digest, element);
    }
  } else if (value.kind === 'list') {
    for (const item of value) mixDigest(digest, item);
  } else if (value.kind === 'zset') {
    for (const { member, score } of value) {
      const element = Buffer.alloc(20);
      mixDigest(element, member);
      mixDigest(element, formatDouble(score));
      xorDigest(digest, element);
    }
  } else {
    const last = value.lastId;
    if (value.length > 0) {
      for (const entry of value.range({ ms: 0n, seq: 0n }, last)) {
        mixDigest(digest, `${entry.id.ms}.${entry.id.seq}`);
        for (const field of entry.fields) mixDigest(digest, field);
      }
    }
  }
  if (hasExpire) xorDigest(digest, '!!expire!!');
}

function hex(digest: Digest): string {
  return digest.toString('hex');
}

/** DEBUG DIGEST-VALUE key: the value digest of one key (40 zeros for a missing key). */
export function valueDigest(db: Database, key: string): string {
  const digest = Buffer.alloc(20);
  const value = db.get(key);
  if (value !== undefined) xorObjectDigest(digest, value, db.getExpire(key) !== undefined);
  return hex(digest);
}

/** DEBUG DIGEST: every key of every database (40 zeros for an empty dataset). */
export function datasetDigest(store: Store): string {
  const final = Buffer.alloc(20);
  for (let index = 0; index < store.databaseCount; index++) {
    const db = store.db(index);
    if (db.size() === 0) continue;
    mixDigest(final, uint32(index));
    for (const key of [...db.keys()]) {
      const value = db.get(key);
      if (value === undefined) continue;
      const digest = Buffer.alloc(20);
      mixDigest(digest, key);
      xorObjectDigest(digest, value, db.getExpire(key) !== undefined);
      xorDigest(final, digest);
    }
  }
  return hex(final);
}
