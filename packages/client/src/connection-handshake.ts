/**
 * The commands a connection sends first, before any queued one: HELLO (falling back to RESP2 on NOPROTO or an unknown
 * command), AUTH, SELECT, CLIENT SETNAME / SETINFO.
 */
import { ReplyError } from './errors.js';
import type { ResolvedOptions } from './options.js';

/** Sends one handshake command at once; resolves with its reply. */
export type DirectSend = (args: (string | number)[]) => Promise<any>;

/** Runs the handshake; resolves with the protocol it settled on. */
export async function handshake(options: ResolvedOptions, direct: DirectSend): Promise<2 | 3> {
  const { username, password, name, db, clientInfo } = options;
  let protocol: 2 | 3 = 2;
  if (options.protocol === 3) {
    const args: (string | number)[] = ['HELLO', 3];
    if (password !== undefined) args.push('AUTH', username ?? 'default', password);
    if (name !== undefined) args.push('SETNAME', name);
    try {
      await direct(args);
      protocol = 3;
    } catch (error) {
      const refused =
        error instanceof ReplyError &&
        (error.code === 'NOPROTO' || /unknown command/i.test(error.message) || /HELLO/.test(error.message));
      if (!refused) throw error;
    }
  }
  const steps: Promise<unknown>[] = [];
  if (protocol === 2) {
    if (password !== undefined) {
      steps.push(direct(username !== undefined ? ['AUTH', username, password] : ['AUTH', password]));
    }
    if (name !== undefined) steps.push(direct(['CLIENT', 'SETNAME', name]));
  }
  if (db !== 0) steps.push(direct(['SELECT', db]));
  if (clientInfo !== false) {
    // an older server refuses CLIENT SETINFO: ignored
    steps.push(direct(['CLIENT', 'SETINFO', 'LIB-NAME', clientInfo.name]).catch(() => {}));
    steps.push(direct(['CLIENT', 'SETINFO', 'LIB-VER', clientInfo.version]).catch(() => {}));
  }
  await Promise.all(steps);
  return protocol;
}
