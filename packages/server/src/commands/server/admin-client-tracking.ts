/** CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO: server-assisted client-side caching switches. */
import { OK, RespMap, RespSet, type RespValue } from '@mini-redis/protocol';
import type { CommandContext } from '../../context.js';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';

/**
 * CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP], with networking.c's checks
 * in its order.
 */
export function tracking(ctx: CommandContext, args: string[]): RespValue {
  let redirect = 0;
  const options = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < args.length; j++) {
    const option = args[j]!.toLowerCase();
    const more = args.length - 1 - j;
    if (option === 'redirect' && more > 0) {
      j++;
      if (redirect !== 0) fail('ERR A client can only redirect to a single other client');
      redirect = integerArg(args[j]!);
      if (ctx.server.clients.get(redirect) === undefined) fail('ERR The client ID you want redirect to does not exist');
    } else if (option === 'bcast') {
      options.bcast = true;
    } else if (option === 'optin') {
      options.optin = true;
    } else if (option === 'optout') {
      options.optout = true;
    } else if (option === 'noloop') {
      options.noloop = true;
    } else if (option === 'prefix' && more > 0) {
      j++;
      prefixes.push(args[j]!);
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  const mode = args[2]!.toLowerCase();
  const server = ctx.server;
  if (mode === 'on') {
    const state = ctx.tracking;
    if (!options.bcast && prefixes.length > 0) fail('ERR PREFIX option requires BCAST mode to be enabled');
    if (state !== undefined && state.bcast !== options.bcast) {
      fail('ERR You can\'t switch BCAST mode on/off before disabling tracking for this client, and then re-enabling ' +
        'it with a different mode.');
    }
    if (options.bcast && (options.optin || options.optout)) fail('ERR OPTIN and OPTOUT are not compatible with BCAST');
    if (options.optin && options.optout) fail('ERR You can\'t specify both OPTIN mode and OPTOUT mode');
    if ((options.optin && state?.optout === true) || (options.optout && state?.optin === true)) {
      fail('ERR You can\'t switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling ' +
        'it with a different mode.');
    }
    if (options.bcast) {
      const collision = server.tracking.prefixCollision(ctx, prefixes);
      if (collision !== undefined) fail(collision);
    }
    server.tracking.enable(ctx, redirect, options, prefixes);
  } else if (mode === 'off') {
    server.tracking.disable(ctx);
  } else {
    fail(SYNTAX_ERROR);
  }
  return OK;
}

/** CLIENT CACHING YES|NO: whether the next command's keys are tracked (OPTIN / OPTOUT). */
export function caching(ctx: CommandContext, args: string[]): RespValue {
  const state = ctx.tracking;
  if (state === undefined) {
    fail('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
  }
  const answer = args[2]!.toLowerCase();
  if (answer === 'yes') {
    if (!state.optin) fail('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
  } else if (answer === 'no') {
    if (!state.optout) fail('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
  } else {
    fail(SYNTAX_ERROR);
  }
  state.caching = true;
  return OK;
}

export function getRedirect(ctx: CommandContext): RespValue {
  return ctx.tracking?.redirect ?? -1;
}

export function trackingInfo(ctx: CommandContext): RespValue {
  const state = ctx.tracking;
  const flags: string[] = [state === undefined ? 'off' : 'on'];
  if (state?.bcast) flags.push('bcast');
  if (state?.optin) {
    flags.push('optin');
    if (state.caching) flags.push('caching-yes');
  }
  if (state?.optout) {
    flags.push('optout');
    if (state.caching) flags.push('caching-no');
  }
  if (state?.noloop) flags.push('noloop');
  if (state?.brokenRedirect) flags.push('broken_redirect');
  const prefixes = state === undefined ? [] : [...state.prefixes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new RespMap(['flags', new RespSet(flags), 'redirect', state?.redirect ?? -1, 'prefixes', prefixes]);
}

