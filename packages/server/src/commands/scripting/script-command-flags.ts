/**
 * getCommandFlags for scripts (eval.c evalGetCommandFlags, function.c fcallGetCommandFlags): a script that declares
 * its flags (a shebang, or a function's flags) runs with the command flags those imply, not EVAL's own. What
 * CLIENT PAUSE WRITE holds back and what an OOM server refuses are decided on these.
 */
import { SCRIPT_FLAGS } from '@mini-redis/lua';
import type { CommandContext, CommandFlag, CommandSpec } from '../../context.js';
import { scriptingOf } from './runner.js';

const NAMED_FLAGS: Readonly<Record<string, number>> = {
  'no-writes': SCRIPT_FLAGS['no-writes'],
  'allow-oom': SCRIPT_FLAGS['allow-oom'],
  'allow-stale': SCRIPT_FLAGS['allow-stale'],
  'no-cluster': SCRIPT_FLAGS['no-cluster'],
  'allow-cross-slot-keys': SCRIPT_FLAGS['allow-cross-slot-keys'],
};

/** evalExtractShebangFlags: the flags of a `#!lua flags=...` first line; undefined without one or when invalid. */
function shebangFlags(body: string): number | undefined {
  if (!body.startsWith('#!')) return undefined;
  const end = body.indexOf('\n');
  const parts = (end === -1 ? body.slice(2) : body.slice(2, end)).split(/[ \t\r]+/).filter((part) => part !== '');
  if (parts[0] !== 'lua') return undefined;
  let flags = 0;
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return undefined;
    for (const name of part.slice(6).split(',')) {
      if (name === '') continue;
      const bit = NAMED_FLAGS[name];
      if (bit === undefined) return undefined;
      flags |= bit;
    }
  }
  return flags;
}

/** scriptFlagsToCmdFlags. */
function toCommandFlags(spec: CommandSpec, scriptFlags: number): readonly CommandFlag[] {
  const flags: CommandFlag[] = spec.flags.filter((flag) => flag !== 'stale' && flag !== 'denyoom' && flag !== 'write' && flag !== 'may_replicate');
  if ((scriptFlags & (SCRIPT_FLAGS['allow-oom'] | SCRIPT_FLAGS['no-writes'])) === 0) flags.push('denyoom');
  if ((scriptFlags & SCRIPT_FLAGS['no-writes']) === 0) flags.push('write');
  if ((scriptFlags & SCRIPT_FLAGS['allow-stale']) !== 0) flags.push('stale');
  return flags;
}

/** EVAL, EVALSHA and their _RO forms. */
export function evalFlagsFor(spec: CommandSpec, ctx: CommandContext, args: readonly string[]): readonly CommandFlag[] {
  const bySha = spec.name === 'evalsha' || spec.name === 'evalsha_ro';
  const script = args[1]!;
  if (bySha && script.length !== 40) return spec.flags;
  const scripting = scriptingOf(ctx.server);
  let flags: number | undefined;
  if (scripting.started) {
    const sha = bySha ? script.toLowerCase() : scripting.engine.sha1hex(Buffer.from(script, 'latin1'));
    flags = scripting.engine.getScript(sha)?.flags;
  }
  if (flags === undefined) {
    if (bySha) return spec.flags;
    flags = shebangFlags(script);
    if (flags === undefined) return spec.flags;
  }
  if ((flags & SCRIPT_FLAGS['eval-compat-mode']) !== 0) return spec.flags;
  return toCommandFlags(spec, flags);
}

/** FCALL and FCALL_RO: the function's declared flags. */
export function fcallFlagsFor(spec: CommandSpec, ctx: CommandContext, args: readonly string[]): readonly CommandFlag[] {
  const scripting = scriptingOf(ctx.server);
  const fn = scripting.started ? scripting.engine.getFunction(args[1]!) : undefined;
  return fn === undefined ? spec.flags : toCommandFlags(spec, fn.flags);
}
