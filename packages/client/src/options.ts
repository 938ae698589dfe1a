// Client options: the URL form (`redis://user:pass@host:port/db`, `rediss://` for TLS), defaults, and validation.
import type { ConnectionOptions as TlsOptions } from 'node:tls';

/** Options of `createClient`. Explicit fields win over the URL's parts. */
export interface ClientOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url?: string;
  host?: string;
  port?: number;
  /** Database index, selected with SELECT on every (re)connection. */
  db?: number;
  username?: string;
  password?: string;
  /** Connection name (CLIENT SETNAME / HELLO SETNAME). */
  name?: string;
  /** RESP version to ask for with HELLO; 3 falls back to 2 when the server refuses. Default 3. */
  protocol?: 2 | 3;
  /** TLS: `true`, or node:tls connect options. `rediss://` implies `true`. */
  tls?: boolean | TlsOptions;
  /** Default per-command timeout in ms (0 = none). Default 0. One timer per connection, whatever the load. */
  commandTimeout?: number;
  /** Timeout to establish a connection (TCP + handshake), in ms. Default 10,000. */
  connectTimeout?: number;
  /** Replies as Buffers instead of UTF-8 strings. Default false (see also `client.withBuffers()`). */
  returnBuffers?: boolean;
  /** Queue commands issued while disconnected (up to `maxOfflineQueue`). Default true. */
  enableOfflineQueue?: boolean;
  /** The most commands waiting for a connection; more are rejected with ConnectionClosedError. Default 100,000. */
  maxOfflineQueue?: number;
  /**
   * Delay before reconnection attempt `attempt` (1, 2, ...), in ms, or false to stop. Default: exponential backoff
   * from 50 ms to 5 s with full jitter (half the delay fixed, half random).
   */
  reconnectStrategy?: false | ((attempt: number, error: Error | undefined) => number | false);
  /** Retry commands in flight at a disconnect even when they write (they may then run twice). Default false. */
  retryWritesOnReconnect?: boolean;
  /** How many connections blocking commands (BLPOP, XREAD BLOCK ...) may open. Default 4. */
  blockingPoolSize?: number;
  /** Library name and version sent with CLIENT SETINFO (false: don't send). */
  clientInfo?: false | { name: string; version: string };
}

/** Options after defaults, with the URL applied. */
export interface ResolvedOptions {
  host: string;
  port: number;
  db: number;
  username: string | undefined;
  password: string | undefined;
  name: string | undefined;
  protocol: 2 | 3;
  tls: TlsOptions | undefined;
  commandTimeout: number;
  connectTimeout: number;
  returnBuffers: boolean;
  enableOfflineQueue: boolean;
  maxOfflineQueue: number;
  reconnectStrategy: false | ((attempt: number, error: Error | undefined) => number | false);
  retryWritesOnReconnect: boolean;
  blockingPoolSize: number;
  clientInfo: false | { name: string; version: string };
}

/** Exponential backoff, 50 ms doubling to 5 s, half of it random (so reconnecting clients spread out). */
export function defaultReconnectStrategy(attempt: number): number {
  const ceiling = Math.min(5000, 50 * 2 ** Math.min(attempt - 1, 10));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function integer(value: unknown, what: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TypeError(`${what} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Applies the URL and the defaults; throws TypeError on an invalid option. */
export function resolveOptions(options: ClientOptions = {}): ResolvedOptions {
  let host = '127.0.0.1';
  let port = 6379;
  let db = 0;
  let username: string | undefined;
  let password: string | undefined;
  let tls: TlsOptions | undefined;
  if (options.url !== undefined) {
    const url = new URL(options.url);
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new TypeError(`url must start with redis:// or rediss://, got ${options.url}`);
    }
    if (url.hostname !== '') host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (url.port !== '') port = Number(url.port);
    if (url.username !== '') username = decodeURIComponent(url.username);
    if (url.password !== '') password = decodeURIComponent(url.password);
    const path = url.pathname.replace(/^\//, '');
    if (path !== '') db = integer(Number(path), 'the URL database', 0);
    const dbParameter = url.searchParams.get('db');
    if (dbParameter !== null) db = integer(Number(dbParameter), 'the URL database', 0);
    if (url.protocol === 'rediss:') tls = { servername: host };
  }
  if (options.host !== undefined) host = options.host;
  if (options.port !== undefined) port = integer(options.port, 'port', 0);
  if (options.db !== undefined) db = integer(options.db, 'db', 0);
  if (options.username !== undefined) username = options.username;
  if (options.password !== undefined) password = options.password;
  if (options.tls === true) tls = tls ?? { servername: host };
  else if (options.tls === false) tls = undefined;
  else if (options.tls !== undefined) tls = options.tls;
  const protocol = options.protocol ?? 3;
  if (protocol !== 2 && protocol !== 3) throw new TypeError(`protocol must be 2 or 3, got ${String(protocol)}`);
  return {
    host,
    port,
    db,
    username,
    password,
    name: options.name,
    protocol,
    tls,
    commandTimeout: integer(options.commandTimeout ?? 0, 'commandTimeout', 0),
    connectTimeout: integer(options.connectTimeout ?? 10_000, 'connectTimeout', 0),
    returnBuffers: options.returnBuffers ?? false,
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    maxOfflineQueue: integer(options.maxOfflineQueue ?? 100_000, 'maxOfflineQueue', 0),
    reconnectStrategy: options.reconnectStrategy ?? defaultReconnectStrategy,
    retryWritesOnReconnect: options.retryWritesOnReconnect ?? false,
    blockingPoolSize: integer(options.blockingPoolSize ?? 4, 'blockingPoolSize', 1),
    clientInfo: options.clientInfo ?? { name: 'mini-redis', version: '0.1.0' },
  };
}

/** The resolved values of only the options given (for `duplicate()`'s overrides). */
export function resolvePartial(overrides: ClientOptions): Partial<ResolvedOptions> {
  const resolved = resolveOptions(overrides) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(overrides)) if (key in resolved) out[key] = resolved[key];
  return out as Partial<ResolvedOptions>;
}
