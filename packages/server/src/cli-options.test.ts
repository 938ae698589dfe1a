/** Unit tests of redis-server style argument and redis.conf parsing (the binary itself: test/cli.test.ts). */
import { describe, expect, test } from 'vitest';
import { parseArguments, parseConfigFile } from './cli-options.js';

describe('argument and config parsing', () => {
  test('config file first, then --name value... pairs; a leading -- is ignored', () => {
    expect(parseArguments(['/etc/redis.conf', '--port', '7000', '--save', '900', '1', '--appendonly', 'no'])).toEqual({
      configFile: '/etc/redis.conf',
      directives: [['port', '7000'], ['save', '900 1'], ['appendonly', 'no']],
      help: false,
      version: false,
    });
    expect(parseArguments(['--', '--port', '1']).directives).toEqual([['port', '1']]);
    expect(parseArguments(['--version']).version).toBe(true);
    expect(parseArguments(['-h']).help).toBe(true);
    expect(() => parseArguments(['--port', '1', 'stray', 'x'])).not.toThrow();
    expect(() => parseArguments(['a.conf', 'b.conf'])).toThrow(/expected --option/);
  });

  test('redis.conf: comments, blank lines, quoted values, case-insensitive names', () => {
    const text = '# comment\n\nPort 7001\nrequirepass "p w"\nsave ""\r\nbind 127.0.0.1 -::1\n';
    expect(parseConfigFile(text)).toEqual([['port', '7001'], ['requirepass', 'p w'], ['save', ''], ['bind', '127.0.0.1 -::1']]);
    expect(() => parseConfigFile('requirepass "open\n')).toThrow(/line 1: Unbalanced quotes/);
  });
});
