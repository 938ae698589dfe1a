// The handshake against an older server (a scripted fake): HELLO refused (unknown command, or NOPROTO) falls back
// to RESP2 with AUTH and CLIENT SETNAME; a refused CLIENT SETINFO is ignored.
import { createServer, type Server } from 'node:net';
import { RequestDecoder } from '@mini-redis/protocol';
import { afterEach, describe, expect, test } from 'vitest';
import { createClient } from '@mini-redis/client';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A fake server: answers by `reply(args)`, records every command. */
async function fake(reply: (args: string[]) => string): Promise<{ port: number; seen: string[][] }> {
  const seen: string[][] = [];
  server = createServer((socket) => {
    const requests = new RequestDecoder();
    socket.on('data', (chunk) => {
      requests.push(chunk);
      for (let args = requests.next(); args !== undefined; args = requests.next()) {
        seen.push(args);
        socket.write(reply(args));
      }
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, seen };
}

describe('handshake fallbacks', () => {
  for (const refusal of ["-ERR unknown command 'HELLO', with args beginning with: '3' \r\n", '-NOPROTO sorry, this protocol version is not supported\r\n']) {
    test(`HELLO refused (${refusal.split(' ')[0]}): RESP2, AUTH, SETNAME, SELECT; SETINFO refusal ignored`, async () => {
      const { port, seen } = await fake((args) => {
        const name = args[0]!.toUpperCase();
        if (name === 'HELLO') return refusal;
        if (name === 'CLIENT' && args[1]!.toUpperCase() === 'SETINFO') return "-ERR unknown subcommand 'SETINFO'\r\n";
        if (name === 'GET') return '$5\r\nvalue\r\n';
        return '+OK\r\n';
      });
      const client = createClient({ port, username: 'me', password: 'secret', name: 'old', db: 2 });
      await client.ready();
      expect(client.protocol).toBe(2);
      expect(await client.get('k')).toBe('value');
      const commands = seen.map((args) => args.join(' '));
      expect(commands[0]).toBe('HELLO 3 AUTH me secret SETNAME old');
      expect(commands).toContain('AUTH me secret');
      expect(commands).toContain('CLIENT SETNAME old');
      expect(commands).toContain('SELECT 2');
      expect(commands.at(-1)).toBe('GET k');
      await client.disconnect();
    });
  }
});
