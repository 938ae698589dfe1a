/**
 * The typed command table: one compact row per method (its command tokens, argument tuple, reply shape and flags).
 * `client.ts` installs a method per row on the client's prototype; the method types are derived from the rows, so
 * a row is the single place a command is described.
 */
import type { TransformName } from './reply.js';

/** A command argument: strings are sent as UTF-8, Buffers as they are, numbers in decimal. */
export type Arg = string | Buffer | number;

declare const STR: unique symbol;
/** Placeholder for "a string reply": `string` on a default client, `Buffer` on a `withBuffers()` one. */
export interface Str {
  readonly [STR]: true;
}

/** Replaces the {@link Str} placeholder in a reply type with `S`. */
export type Subst<T, S> = T extends Str
  ? S
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: Subst<T[K], S> }
    : T extends Record<string, unknown>
      ? { [K in keyof T]: Subst<T[K], S> }
      : T;

/** Row flags. */
export const READ = 1; // read-only: safe to retry after a reconnect
export const BLOCK_LAST = 2; // blocking; the last argument is the timeout in seconds (0 = forever)
export const BLOCK_FIRST = 4; // blocking; the first argument is the timeout in seconds (BLMPOP, BZMPOP)
export const BLOCK_OPTION = 8; // blocking when a BLOCK <ms> option is present (XREAD, XREADGROUP)
export const BLOCKING = BLOCK_LAST | BLOCK_FIRST | BLOCK_OPTION;

/** One row: the command's leading tokens, arguments `A` (a type only), reply shape `R` (a type only). */
export interface CommandRow<A extends readonly unknown[], R> {
  readonly tokens: readonly string[];
  readonly suffix: readonly string[];
  readonly reply: TransformName;
  readonly flags: number;
  /** Phantom fields carrying the types. */
  readonly __args?: A;
  readonly __reply?: R;
}

/** `row<Args, Reply>()('TOKENS', 'transform', flags)`: two calls so the type arguments are explicit. */
function row<A extends readonly unknown[], R>() {
  return (tokens: string, reply: TransformName, flags = 0, suffix = ''): CommandRow<A, R> => ({
    tokens: tokens.split(' '),
    suffix: suffix === '' ? [] : suffix.split(' '),
    reply,
    flags,
  });
}

type K = [key: Arg];
type Entry = { id: string; fields: Record<string, Str> };
type Scored = { value: Str; score: number };
/** SET options, as tokens: `'EX', 10`, `'NX'`, `'GET'`, `'KEEPTTL'`... */
type SetOption = 'NX' | 'XX' | 'GET' | 'KEEPTTL' | 'EX' | 'PX' | 'EXAT' | 'PXAT' | number;

export const commandTable = {
  // strings
  get: row<K, Str | null>()('GET', 'bulk', READ),
  set: row<[key: Arg, value: Arg, ...options: SetOption[]], 'OK' | Str | null>()('SET', 'bulk'),
  setnx: row<[key: Arg, value: Arg], boolean>()('SETNX', 'bool'),
  setex: row<[key: Arg, seconds: number, value: Arg], 'OK'>()('SETEX', 'status'),
  psetex: row<[key: Arg, milliseconds: number, value: Arg], 'OK'>()('PSETEX', 'status'),
  getset: row<[key: Arg, value: Arg], Str | null>()('GETSET', 'bulk'),
  getdel: row<K, Str | null>()('GETDEL', 'bulk'),
  getex: row<[key: Arg, ...options: (string | number)[]], Str | null>()('GETEX', 'bulk'),
  mget: row<[key: Arg, ...keys: Arg[]], (Str | null)[]>()('MGET', 'array', READ),
  mset: row<[key: Arg, value: Arg, ...keysAndValues: Arg[]], 'OK'>()('MSET', 'status'),
  msetnx: row<[key: Arg, value: Arg, ...keysAndValues: Arg[]], boolean>()('MSETNX', 'bool'),
  incr: row<K, number>()('INCR', 'int'),
  decr: row<K, number>()('DECR', 'int'),
  incrby: row<[key: Arg, increment: number], number>()('INCRBY', 'int'),
  decrby: row<[key: Arg, decrement: number], number>()('DECRBY', 'int'),
  incrbyfloat: row<[key: Arg, increment: number], number>()('INCRBYFLOAT', 'double'),
  append: row<[key: Arg, value: Arg], number>()('APPEND', 'int'),
  strlen: row<K, number>()('STRLEN', 'int', READ),
  getrange: row<[key: Arg, start: number, end: number], Str>()('GETRANGE', 'bulk', READ),
  setrange: row<[key: Arg, offset: number, value: Arg], number>()('SETRANGE', 'int'),
  // keys
  del: row<[key: Arg, ...keys: Arg[]], number>()('DEL', 'int'),
  unlink: row<[key: Arg, ...keys: Arg[]], number>()('UNLINK', 'int'),
  exists: row<[key: Arg, ...keys: Arg[]], number>()('EXISTS', 'int', READ),
  touch: row<[key: Arg, ...keys: Arg[]], number>()('TOUCH', 'int', READ),
  expire: row<[key: Arg, seconds: number, condition?: 'NX' | 'XX' | 'GT' | 'LT'], boolean>()('EXPIRE', 'bool'),
  pexpire: row<[key: Arg, milliseconds: number, condition?: 'NX' | 'XX' | 'GT' | 'LT'], boolean>()('PEXPIRE', 'bool'),
  expireat: row<[key: Arg, unixSeconds: number], boolean>()('EXPIREAT', 'bool'),
  pexpireat: row<[key: Arg, unixMilliseconds: number], boolean>()('PEXPIREAT', 'bool'),
  expiretime: row<K, number>()('EXPIRETIME', 'int', READ),
  ttl: row<K, number>()('TTL', 'int', READ),
  pttl: row<K, number>()('PTTL', 'int', READ),
  persist: row<K, boolean>()('PERSIST', 'bool'),
  type: row<K, 'none' | 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream'>()('TYPE', 'text', READ),
  rename: row<[key: Arg, newKey: Arg], 'OK'>()('RENAME', 'status'),
  renamenx: row<[key: Arg, newKey: Arg], boolean>()('RENAMENX', 'bool'),
  copy: row<[source: Arg, destination: Arg, ...options: (string | number)[]], boolean>()('COPY', 'bool'),
  keys: row<[pattern: Arg], Str[]>()('KEYS', 'array', READ),
  scan: row<[cursor: string | number, ...options: (string | number)[]], [cursor: string, keys: Str[]]>()('SCAN', 'scan', READ),
  randomkey: row<[], Str | null>()('RANDOMKEY', 'bulk', READ),
  // lists
  lpush: row<[key: Arg, element: Arg, ...elements: Arg[]], number>()('LPUSH', 'int'),
  rpush: row<[key: Arg, element: Arg, ...elements: Arg[]], number>()('RPUSH', 'int'),
  lpushx: row<[key: Arg, element: Arg, ...elements: Arg[]], number>()('LPUSHX', 'int'),
  rpushx: row<[key: Arg, element: Arg, ...elements: Arg[]], number>()('RPUSHX', 'int'),
  lpop: row<K, Str | null>()('LPOP', 'bulk'),
  rpop: row<K, Str | null>()('RPOP', 'bulk'),
  lpopCount: row<[key: Arg, count: number], Str[] | null>()('LPOP', 'array'),
  rpopCount: row<[key: Arg, count: number], Str[] | null>()('RPOP', 'array'),
  llen: row<K, number>()('LLEN', 'int', READ),
  lrange: row<[key: Arg, start: number, stop: number], Str[]>()('LRANGE', 'array', READ),
  lindex: row<[key: Arg, index: number], Str | null>()('LINDEX', 'bulk', READ),
  lset: row<[key: Arg, index: number, element: Arg], 'OK'>()('LSET', 'status'),
  lrem: row<[key: Arg, count: number, element: Arg], number>()('LREM', 'int'),
  ltrim: row<[key: Arg, start: number, stop: number], 'OK'>()('LTRIM', 'status'),
  linsert: row<[key: Arg, where: 'BEFORE' | 'AFTER', pivot: Arg, element: Arg], number>()('LINSERT', 'int'),
  lpos: row<[key: Arg, element: Arg, ...options: (string | number)[]], number | null>()('LPOS', 'int', READ),
  lmove: row<[source: Arg, destination: Arg, from: 'LEFT' | 'RIGHT', to: 'LEFT' | 'RIGHT'], Str | null>()('LMOVE', 'bulk'),
  rpoplpush: row<[source: Arg, destination: Arg], Str | null>()('RPOPLPUSH', 'bulk'),
  blpop: row<[key: Arg, ...keysThenTimeoutSeconds: Arg[]], [key: Str, element: Str] | null>()('BLPOP', 'pair', BLOCK_LAST),
  brpop: row<[key: Arg, ...keysThenTimeoutSeconds: Arg[]], [key: Str, element: Str] | null>()('BRPOP', 'pair', BLOCK_LAST),
  blmove: row<
    [source: Arg, destination: Arg, from: 'LEFT' | 'RIGHT', to: 'LEFT' | 'RIGHT', timeoutSeconds: number],
    Str | null
  >()('BLMOVE', 'bulk', BLOCK_LAST),
  brpoplpush: row<[source: Arg, destination: Arg, timeoutSeconds: number], Str | null>()('BRPOPLPUSH', 'bulk', BLOCK_LAST),
  // hashes
  hset: row<[key: Arg, field: Arg, value: Arg, ...fieldsAndValues: Arg[]], number>()('HSET', 'int'),
  hsetnx: row<[key: Arg, field: Arg, value: Arg], boolean>()('HSETNX', 'bool'),
  hget: row<[key: Arg, field: Arg], Str | null>()('HGET', 'bulk', READ),
  hmget: row<[key: Arg, field: Arg, ...fields: Arg[]], (Str | null)[]>()('HMGET', 'array', READ),
  hgetall: row<K, Record<string, Str>>()('HGETALL', 'record', READ),
  hdel: row<[key: Arg, field: Arg, ...fields: Arg[]], number>()('HDEL', 'int'),
  hexists: row<[key: Arg, field: Arg], boolean>()('HEXISTS', 'bool', READ),
  hincrby: row<[key: Arg, field: Arg, increment: number], number>()('HINCRBY', 'int'),
  hincrbyfloat: row<[key: Arg, field: Arg, increment: number], number>()('HINCRBYFLOAT', 'double'),
  hkeys: row<K, Str[]>()('HKEYS', 'array', READ),
  hvals: row<K, Str[]>()('HVALS', 'array', READ),
  hlen: row<K, number>()('HLEN', 'int', READ),
  hstrlen: row<[key: Arg, field: Arg], number>()('HSTRLEN', 'int', READ),
  hscan: row<[key: Arg, cursor: string | number, ...options: (string | number)[]], [cursor: string, fieldsAndValues: Str[]]>()(
    'HSCAN',
    'scan',
    READ,
  ),
  // sets
  sadd: row<[key: Arg, member: Arg, ...members: Arg[]], number>()('SADD', 'int'),
  srem: row<[key: Arg, member: Arg, ...members: Arg[]], number>()('SREM', 'int'),
  smembers: row<K, Str[]>()('SMEMBERS', 'array', READ),
  sismember: row<[key: Arg, member: Arg], boolean>()('SISMEMBER', 'bool', READ),
  smismember: row<[key: Arg, member: Arg, ...members: Arg[]], boolean[]>()('SMISMEMBER', 'bools', READ),
  scard: row<K, number>()('SCARD', 'int', READ),
  spop: row<K, Str | null>()('SPOP', 'bulk'),
  srandmember: row<K, Str | null>()('SRANDMEMBER', 'bulk', READ),
  smove: row<[source: Arg, destination: Arg, member: Arg], boolean>()('SMOVE', 'bool'),
  sinter: row<[key: Arg, ...keys: Arg[]], Str[]>()('SINTER', 'array', READ),
  sunion: row<[key: Arg, ...keys: Arg[]], Str[]>()('SUNION', 'array', READ),
  sdiff: row<[key: Arg, ...keys: Arg[]], Str[]>()('SDIFF', 'array', READ),
  sinterstore: row<[destination: Arg, key: Arg, ...keys: Arg[]], number>()('SINTERSTORE', 'int'),
  sunionstore: row<[destination: Arg, key: Arg, ...keys: Arg[]], number>()('SUNIONSTORE', 'int'),
  sdiffstore: row<[destination: Arg, key: Arg, ...keys: Arg[]], number>()('SDIFFSTORE', 'int'),
  sscan: row<[key: Arg, cursor: string | number, ...options: (string | number)[]], [cursor: string, members: Str[]]>()(
    'SSCAN',
    'scan',
    READ,
  ),
  // sorted sets
  zadd: row<[key: Arg, ...optionsScoresAndMembers: Arg[]], number>()('ZADD', 'int'),
  zincrby: row<[key: Arg, increment: number, member: Arg], number>()('ZINCRBY', 'double'),
  zscore: row<[key: Arg, member: Arg], number | null>()('ZSCORE', 'double', READ),
  zmscore: row<[key: Arg, member: Arg, ...members: Arg[]], (number | null)[]>()('ZMSCORE', 'doubles', READ),
  zrem: row<[key: Arg, member: Arg, ...members: Arg[]], number>()('ZREM', 'int'),
  zcard: row<K, number>()('ZCARD', 'int', READ),
  zcount: row<[key: Arg, min: Arg, max: Arg], number>()('ZCOUNT', 'int', READ),
  zrank: row<[key: Arg, member: Arg], number | null>()('ZRANK', 'int', READ),
  zrevrank: row<[key: Arg, member: Arg], number | null>()('ZREVRANK', 'int', READ),
  zrange: row<[key: Arg, start: Arg, stop: Arg, ...options: (string | number)[]], Str[]>()('ZRANGE', 'array', READ),
  zrangeWithScores: row<[key: Arg, start: Arg, stop: Arg, ...options: (string | number)[]], Scored[]>()(
    'ZRANGE',
    'scored',
    READ,
    'WITHSCORES',
  ),
  zrangebyscore: row<[key: Arg, min: Arg, max: Arg, ...options: (string | number)[]], Str[]>()('ZRANGEBYSCORE', 'array', READ),
  zremrangebyscore: row<[key: Arg, min: Arg, max: Arg], number>()('ZREMRANGEBYSCORE', 'int'),
  zremrangebyrank: row<[key: Arg, start: number, stop: number], number>()('ZREMRANGEBYRANK', 'int'),
  zpopmin: row<[key: Arg, count?: number], Scored[]>()('ZPOPMIN', 'scored'),
  zpopmax: row<[key: Arg, count?: number], Scored[]>()('ZPOPMAX', 'scored'),
  bzpopmin: row<[key: Arg, ...keysThenTimeoutSeconds: Arg[]], { key: Str; value: Str; score: number } | null>()(
    'BZPOPMIN',
    'keyScored',
    BLOCK_LAST,
  ),
  bzpopmax: row<[key: Arg, ...keysThenTimeoutSeconds: Arg[]], { key: Str; value: Str; score: number } | null>()(
    'BZPOPMAX',
    'keyScored',
    BLOCK_LAST,
  ),
  zunionstore: row<[destination: Arg, numkeys: number, ...keysAndOptions: Arg[]], number>()('ZUNIONSTORE', 'int'),
  zinterstore: row<[destination: Arg, numkeys: number, ...keysAndOptions: Arg[]], number>()('ZINTERSTORE', 'int'),
  zscan: row<[key: Arg, cursor: string | number, ...options: (string | number)[]], [cursor: string, membersAndScores: Str[]]>()(
    'ZSCAN',
    'scan',
    READ,
  ),
  // streams
  xadd: row<[key: Arg, ...optionsIdFieldsAndValues: Arg[]], Str | null>()('XADD', 'bulk'),
  xlen: row<K, number>()('XLEN', 'int', READ),
  xrange: row<[key: Arg, start: Arg, end: Arg, ...options: (string | number)[]], Entry[]>()('XRANGE', 'entries', READ),
  xrevrange: row<[key: Arg, end: Arg, start: Arg, ...options: (string | number)[]], Entry[]>()('XREVRANGE', 'entries', READ),
  xdel: row<[key: Arg, id: Arg, ...ids: Arg[]], number>()('XDEL', 'int'),
  xtrim: row<[key: Arg, ...strategy: (string | number)[]], number>()('XTRIM', 'int'),
  xread: row<[...optionsAndStreams: Arg[]], { name: Str; entries: Entry[] }[] | null>()('XREAD', 'streams', READ | BLOCK_OPTION),
  xreadgroup: row<[...groupOptionsAndStreams: Arg[]], { name: Str; entries: Entry[] }[] | null>()(
    'XREADGROUP',
    'streams',
    BLOCK_OPTION,
  ),
  xgroupCreate: row<[key: Arg, group: Arg, id: Arg, ...options: (string | number)[]], 'OK'>()('XGROUP CREATE', 'status'),
  xack: row<[key: Arg, group: Arg, id: Arg, ...ids: Arg[]], number>()('XACK', 'int'),
  // pub/sub (publishing; subscriptions are client.subscribe/psubscribe/ssubscribe)
  publish: row<[channel: Arg, message: Arg], number>()('PUBLISH', 'int'),
  spublish: row<[channel: Arg, message: Arg], number>()('SPUBLISH', 'int'),
  pubsubChannels: row<[pattern?: Arg], Str[]>()('PUBSUB CHANNELS', 'array', READ),
  // scripting and functions
  eval: row<[script: Arg, numkeys: number, ...keysAndArgs: Arg[]], unknown>()('EVAL', 'any'),
  evalsha: row<[sha1: Arg, numkeys: number, ...keysAndArgs: Arg[]], unknown>()('EVALSHA', 'any'),
  evalRo: row<[script: Arg, numkeys: number, ...keysAndArgs: Arg[]], unknown>()('EVAL_RO', 'any', READ),
  evalshaRo: row<[sha1: Arg, numkeys: number, ...keysAndArgs: Arg[]], unknown>()('EVALSHA_RO', 'any', READ),
  scriptLoad: row<[script: Arg], string>()('SCRIPT LOAD', 'text'),
  scriptExists: row<[sha1: Arg, ...sha1s: Arg[]], boolean[]>()('SCRIPT EXISTS', 'bools', READ),
  scriptFlush: row<[mode?: 'ASYNC' | 'SYNC'], 'OK'>()('SCRIPT FLUSH', 'status'),
  fcall: row<[fn: Arg, numkeys: number, ...keysAndArgs: Arg[]], unknown>()('FCALL', 'any'),
  fcallRo: row<[fn: Arg, numkeys: number, ...keysAndArgs: Arg[]], unknown>()('FCALL_RO', 'any', READ),
  functionLoad: row<[...replaceThenCode: Arg[]], string>()('FUNCTION LOAD', 'text'),
  functionDelete: row<[library: Arg], 'OK'>()('FUNCTION DELETE', 'status'),
  functionFlush: row<[mode?: 'ASYNC' | 'SYNC'], 'OK'>()('FUNCTION FLUSH', 'status'),
  // transactions (multi()/exec() are client methods)
  watch: row<[key: Arg, ...keys: Arg[]], 'OK'>()('WATCH', 'status'),
  unwatch: row<[], 'OK'>()('UNWATCH', 'status'),
  // server and connection
  ping: row<[message?: Arg], string>()('PING', 'text', READ),
  echo: row<[message: Arg], Str>()('ECHO', 'bulk', READ),
  dbsize: row<[], number>()('DBSIZE', 'int', READ),
  flushdb: row<[mode?: 'ASYNC' | 'SYNC'], 'OK'>()('FLUSHDB', 'status'),
  flushall: row<[mode?: 'ASYNC' | 'SYNC'], 'OK'>()('FLUSHALL', 'status'),
  info: row<[section?: string, ...sections: string[]], string>()('INFO', 'text', READ),
  time: row<[], [seconds: string, microseconds: string]>()('TIME', 'array', READ),
  lastsave: row<[], number>()('LASTSAVE', 'int', READ),
  configGet: row<[parameter: string, ...parameters: string[]], Record<string, string>>()('CONFIG GET', 'record', READ),
  configSet: row<[parameter: string, value: Arg, ...parametersAndValues: Arg[]], 'OK'>()('CONFIG SET', 'status'),
  clientId: row<[], number>()('CLIENT ID', 'int', READ),
  clientGetname: row<[], string | null>()('CLIENT GETNAME', 'bulk', READ),
  clientSetname: row<[name: string], 'OK'>()('CLIENT SETNAME', 'status'),
  clientList: row<[...options: string[]], string>()('CLIENT LIST', 'text', READ),
} as const;

/** The table's type. */
export type CommandTable = typeof commandTable;

/** The typed methods of a client whose string replies are `S` (string, or Buffer). */
export type CommandMethods<S> = {
  [Name in keyof CommandTable]: CommandTable[Name] extends CommandRow<infer A, infer R>
    ? (...args: A) => Promise<Subst<R, S>>
    : never;
};

/** Names of read-only commands (retried after a reconnect), for `sendCommand`. */
export const readOnlyCommands: ReadonlySet<string> = new Set(
  Object.values(commandTable as Record<string, CommandRow<unknown[], unknown>>)
    .filter((entry) => (entry.flags & READ) !== 0)
    .map((entry) => entry.tokens.join(' ')),
);
