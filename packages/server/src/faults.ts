/**
 * Fault injection for tests: rules matched by command name (and optionally a key pattern, a client name, a
 * probability and a count) that answer an error, delay the reply, drop it, close the connection, or send part of
 * the reply and then close. Each rule counts its hits. Rules are added in-process (`server.faults`) or, when the
 * server was started with `faultInjection: true` (`--enable-fault-injection yes`), over the wire with MINIREDIS FAULT.
 */
import { ErrorReply, type RespValue } from '@mini-redis/protocol';
import { matchGlob } from './glob.js';

/** What a matching rule does to the command's reply. */
export type FaultAction =
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'delay'; readonly ms: number }
  | { readonly type: 'drop' }
  | { readonly type: 'close' }
  | { readonly type: 'partial'; readonly bytes: number };

export interface FaultRule {
  /** Command name (any case; `config|get` for a subcommand), or `*` for every command. */
  readonly command: string;
  /** Only when the command's first key matches this glob. */
  readonly key?: string;
  /** Only for clients with this CLIENT SETNAME name. */
  readonly clientName?: string;
  /** Chance of applying on a match, 0..1 (default 1). */
  readonly probability?: number;
  /** Applies at most this many times (default: no limit). */
  readonly count?: number;
  readonly action: FaultAction;
}

/** A rule as listed: its id and how often it fired. */
export interface FaultEntry extends FaultRule {
  readonly id: number;
  readonly hits: number;
}

/** A reply the connection does not write as a value: it drops it, closes, or writes part of it then closes. */
export class ConnectionFault {
  readonly action: Exclude<FaultAction, { type: 'error' | 'delay' }>;
  /** The real reply (for `partial`). */
  readonly reply: RespValue | undefined;
  constructor(action: Exclude<FaultAction, { type: 'error' | 'delay' }>, reply: RespValue | undefined) {
    this.action = action;
    this.reply = reply;
  }
}

interface LiveRule extends FaultRule {
  readonly id: number;
  hits: number;
}

export class FaultRegistry {
  private rules: LiveRule[] = [];
  private nextId = 1;
  private readonly random: () => number;

  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  /** True when any rule is active (the dispatcher checks this before anything else). */
  get active(): boolean {
    return this.rules.length > 0;
  }

  /** Adds a rule; returns its id. Throws on an invalid rule. */
  add(rule: FaultRule): number {
    validate(rule);
    const id = this.nextId++;
    this.rules.push({ ...rule, command: rule.command.toLowerCase(), id, hits: 0 });
    return id;
  }

  /** Removes a rule; false when there was none with that id. */
  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultEntry[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** The action of the first rule matching this command (counting the hit), or undefined. */
  match(fullName: string, key: string | undefined, clientName: string): FaultAction | undefined {
    for (const rule of this.rules) {
      if (rule.command !== '*' && rule.command !== fullName) continue;
      if (rule.key !== undefined && (key === undefined || !matchGlob(rule.key, key))) continue;
      if (rule.clientName !== undefined && rule.clientName !== clientName) continue;
      if (rule.count !== undefined && rule.hits >= rule.count) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.hits++;
      return rule.action;
    }
    return undefined;
  }
}

function validate(rule: FaultRule): void {
  if (typeof rule.command !== 'string' || rule.command === '') throw new Error('a fault rule needs a command name or *');
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new Error('probability must be between 0 and 1');
  }
  if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count > 0)) throw new Error('count must be a positive integer');
  const action = rule.action;
  if (action.type === 'delay' && !(action.ms >= 0)) throw new Error('delay needs ms >= 0');
  if (action.type === 'partial' && !(Number.isInteger(action.bytes) && action.bytes >= 0)) throw new Error('partial needs bytes >= 0');
  if (action.type === 'error' && (typeof action.message !== 'string' || action.message === '')) throw new Error('error needs a message');
}

/** The error reply of an `error` action: the text as given (`ERR ...`, `BUSY ...`). */
export function faultError(message: string): ErrorReply {
  return new ErrorReply(message);
}
