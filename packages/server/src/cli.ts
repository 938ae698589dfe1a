#!/usr/bin/env node
/**
 * mini-redis-server: runs the server with redis-server's argument conventions. The only module with side effects.
 */
import { appendFileSync, readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { isatty } from 'node:tty';
import { ConfigFileError, ConfigLoader, splitArguments } from './cli-config.js';
import { allCommands } from './commands/index.js';
import { CommandTable } from './commands/table.js';
import { REDIS_VERSION, VERSION } from './version.js';
import { MiniRedisServer } from './server.js';

/** redis-server 7's default `bind`. */
const DEFAULT_BIND = '* -::*';
import { UnixSocketError } from './net/listener.js';


const usage = `Usage: mini-redis-server [/path/to/redis.conf] [options]
       mini-redis-server -v or --version
       mini-redis-server -h or --help

Examples:
       mini-redis-server (run the server with the default configuration: in-memory, port 6379, bind * -::*)
       mini-redis-server --port 7777
       mini-redis-server /etc/redis/6379.conf --requirepass secret --databases 16`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** serverLog's time stamp: `30 Nov 2026 15:08:42.403`. */
function timestamp(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${two(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`
  );
}

/** Redis 7.0's start-up banner (asciilogo.h), logged raw when the logo shows. */
function asciiLogo(version: string, port: number, pid: number): string {
  return [
    `                _._                                                  `,
    `           _.-\`\`__ ''-._                                             `,
    `      _.-\`\`    \`.  \`_.  ''-._           Redis ${version} (00000000/0) 64 bit`,
    `  .-\`\` .-\`\`\`.  \`\`\`\\/    _.,_ ''-._                                  `,
    ` (    '      ,       .-\`  | \`,    )     Running in standalone mode`,
    ` |\`-._\`-...-\` __...-.\`\`-._|'\` _.-'|     Port: ${port}`,
    ` |    \`-._   \`._    /     _.-'    |     PID: ${pid}`,
    `  \`-._    \`-._  \`-./  _.-'    _.-'                                   `,
    ` |\`-._\`-._    \`-.__.-'    _.-'_.-'|                                  `,
    ` |    \`-._\`-._        _.-'_.-'    |           https://redis.io       `,
    `  \`-._    \`-._\`-.__.-'_.-'    _.-'                                   `,
    ` |\`-._\`-._    \`-.__.-'    _.-'_.-'|                                  `,
    ` |    \`-._\`-._        _.-'_.-'    |                                  `,
    `  \`-._    \`-._\`-.__.-'_.-'    _.-'                                   `,
    `      \`-._    \`-.__.-'    _.-'                                       `,
    `          \`-._        _.-'                                           `,
    `              \`-.__.-'                                               `,
  ].join('\n') + '\n\n';
}

/** Log levels by their mark, as serverLog prints them: debug '.', verbose '-', notice '*', warning '#'. */
const LEVELS: Readonly<Record<string, number>> = { '.': 0, '-': 1, '*': 2, '#': 3 };
const LEVEL_NAMES: Readonly<Record<string, number>> = { debug: 0, verbose: 1, notice: 2, warning: 3 };

/** How long one log line may wait for a full stdout pipe that the parent left non-blocking (ms). */
const LOG_WAIT_MS = 1000;
let sleeper: Int32Array | undefined;

/**
 * A log line straight to fd 1, synchronously, as redis-server writes its log: no process.stdout (making that stream
 * for a pipe took 1-3 ms of every start, and a stream could still hold lines when the process exits). A pipe left
 * non-blocking by the parent may take part of a line (the rest is written next) or none (EAGAIN: wait 1 ms and try
 * again, as a blocking write would wait, for up to LOG_WAIT_MS, then drop the rest). Other errors (a closed stdout)
 * drop the line, as Redis ignores a failed log write.
 */
function writeStdout(bytes: Buffer): void {
  let offset = 0;
  let waited = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || waited >= LOG_WAIT_MS) return;
      Atomics.wait((sleeper ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 1);
      waited++;
    }
  }
}

/** A redis-server log: `pid:R dd Mon yyyy hh:mm:ss.mmm <mark> message`, to `logfile` (appended) or stdout. */
class Log {
  role = 'C';
  level = 2;
  file = '';

  write(line: string): void {
    const mark = line[0] ?? '*';
    const level = LEVELS[mark];
    const text = level === undefined ? `* ${line}` : line;
    if ((level ?? 2) < this.level) return;
    this.emit(`${process.pid}:${this.role} ${timestamp(new Date())} ${text}\n`);
  }

  /** A line logged from a signal handler (a warning: always shown): `pid:signal-handler (unix time) message`. */
  signal(message: string): void {
    this.emit(`${process.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) ${message}\n`);
  }

  /** serverLogRaw: text without the pid, role and time stamp (the logo), at notice level. */
  raw(text: string): void {
    if (this.level > 2) return;
    this.emit(text);
  }

  private emit(entry: string): void {
    if (this.file !== '') appendFileSync(this.file, entry);
    else writeStdout(Buffer.from(entry));
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '-h' || argv[0] === '--help') {
    console.log(usage);
    return;
  }
  if (argv[0] === '-v' || argv[0] === '--version') {
    console.log(`mini-redis-server v=${VERSION} redis_version=${REDIS_VERSION}`);
    return;
  }
  const line = splitArguments(argv);
  const log = new Log();
  const loader = new ConfigLoader(
    (path) => readFileSync(path, 'utf8'),
    (name) => new CommandTable(allCommands).lookup(name) !== undefined,
  );
  try {
    let text = '';
    if (line.configFile !== undefined) {
      try {
        text = readFileSync(line.configFile, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        log.write(`# Fatal error, can't open config file '${resolve(line.configFile)}': ${code === 'ENOENT' ? 'No such file or directory' : (error as Error).message}`);
        process.exit(1);
      }
    }
    if (line.fromStdin) text += readFileSync(0, 'utf8');
    text += '\n' + line.options;
    loader.load(text);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    if (error.asLogLine) log.write(`# ${error.reason}`);
    else process.stderr.write(error.report);
    process.exit(1);
  }
  const values = Object.fromEntries(loader.values);
  // No persistence yet: an AOF or save points would look like durability. Refused unless asked to run in memory.
  const inMemory = process.env['MINI_REDIS_IN_MEMORY'] === '1';
  if (!inMemory && values['appendonly'] === 'yes') {
    process.stderr.write(fatal('appendonly yes: this server keeps its data in memory only (no AOF). Remove the directive, or set MINI_REDIS_IN_MEMORY=1 to run without persistence.'));
    process.exit(1);
  }
  if (!inMemory && loader.values.has('save') && values['save'] !== '') {
    process.stderr.write(fatal(`save ${values['save']}: this server keeps its data in memory only (no RDB snapshots). Use save "", or set MINI_REDIS_IN_MEMORY=1 to run without persistence.`));
    process.exit(1);
  }
  if (values['daemonize'] === 'yes') {
    process.stderr.write(fatal('daemonize yes is not supported: run the server in the foreground (a supervisor can detach it).'));
    process.exit(1);
  }
  log.level = LEVEL_NAMES[values['loglevel'] ?? 'notice'] ?? 2;
  log.file = values['logfile'] ?? '';
  const { port, databases, requirepass, 'enable-fault-injection': faults, ...rest } = values;
  const portNumber = port === undefined ? 6379 : Number(port);
  const unixsocket = values['unixsocket'] ?? '';
  log.write('# oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log.write(`# Redis version=${REDIS_VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`);
  if (line.configFile === undefined && line.options === '' && !line.fromStdin) {
    log.write('# Warning: no config file specified, using the default config. In order to specify a config file use mini-redis-server /path/to/redis.conf');
  } else {
    log.write('# Configuration loaded');
  }
  log.role = 'M';
  // port 0 or an empty bind list: no TCP socket, as redis-server (the Unix socket may be the only one).
  // redis-server's default bind: every IPv4 address and, when the machine has IPv6, every IPv6 one; protected mode
  // (on by default) refuses non-loopback clients while no password is set. (startServer() defaults to 127.0.0.1.)
  rest['bind'] ??= DEFAULT_BIND;
  const tcp = portNumber !== 0 && rest['bind'].trim() !== '';
  if (!tcp && unixsocket === '') {
    log.write('# Configured to not listen anywhere, exiting.');
    process.exit(1);
  }
  let server: MiniRedisServer;
  try {
    server = new MiniRedisServer({
      port: portNumber,
      tcp,
      databases: databases === undefined ? 16 : Number(databases),
      ...(requirepass !== undefined ? { requirepass } : {}),
      config: rest,
      faultInjection: faults === 'yes',
      log: (text) => log.write(text),
    });
    for (const [from, to] of loader.renames) server.commands.rename(from, to);
  } catch (error) {
    process.stderr.write(fatal((error as Error).message));
    process.exit(1);
  }
  if (line.configFile !== undefined) server.config.configFile = resolve(line.configFile);
  server.listen().then(
    ({ port: boundPort }) => {
      // redisAsciiArt: the logo when asked (always-show-logo) or when logging to a terminal, else one line. isatty(1),
      // not process.stdout.isTTY: reading process.stdout makes Node build the stream (~0.3 ms of a start).
      const showLogo =
        values['always-show-logo'] === 'yes' ||
        (values['syslog-enabled'] !== 'yes' && log.file === '' && isatty(1));
      if (showLogo) log.raw(asciiLogo(REDIS_VERSION, boundPort, process.pid));
      else log.write(`* Running mode=standalone, port=${boundPort}.`);
      log.write('# Server initialized');
      if (tcp) log.write('* Ready to accept connections');
      if (unixsocket !== '') log.write(`* The server is now ready to accept connections at ${unixsocket}`);
    },
    (error: NodeJS.ErrnoException) => {
      if (error instanceof UnixSocketError) {
        log.write(`# Failed opening Unix socket: ${error.message}`);
        process.exit(1);
      }
      log.write(`# Warning: Could not create server TCP listening socket ${server.config.get('bind')}:${port ?? 6379}: bind: ${error.code === 'EADDRINUSE' ? 'Address already in use' : error.message}`);
      log.write(`# Failed listening on port ${port ?? 6379} (TCP), aborting.`);
      process.exit(1);
    },
  );
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    // serverLogFromHandler's form: `pid:signal-handler (unix time) message`.
    if (reason !== 'SHUTDOWN') log.signal(`Received ${reason} scheduling shutdown...`);
    log.write('# User requested shutdown...');
    server.close().then(() => {
      log.write('# Redis is now ready to exit, bye bye...');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.onShutdown = () => stop('SHUTDOWN');
}

/** A fatal start-up error in redis-server's format (no line: it is about the whole configuration). */
function fatal(reason: string): string {
  return new ConfigFileError(reason).report;
}

main();
