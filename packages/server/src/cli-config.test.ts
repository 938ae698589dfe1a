/** Unit tests of redis-server's command-line splitting (the whole start-up, fatal messages included: test/cli.test.ts). */
import { describe, expect, test } from 'vitest';
import { splitArguments } from './cli-config.js';

describe('splitArguments (server.c main)', () => {
  test('a config file first, then --name value... pairs as quoted config lines', () => {
    expect(splitArguments(['/etc/redis.conf', '--port', '7000', '--save', '900', '1', '--appendonly', 'no'])).toEqual({
      configFile: '/etc/redis.conf',
      fromStdin: false,
      options: 'port "7000" \nsave "900" "1" \nappendonly "no" ',
    });
  });

  test('- first or last reads the config from stdin', () => {
    expect(splitArguments(['-'])).toEqual({ fromStdin: true, options: '' });
    expect(splitArguments(['--port', '7000', '-']).fromStdin).toBe(true);
  });

  test('an option without a value stays a bare directive (the loader then refuses it as redis-server does)', () => {
    expect(splitArguments(['--port'])).toEqual({ fromStdin: false, options: 'port ' });
  });

  test('a second file name becomes an argument of the previous line, as in redis-server', () => {
    expect(splitArguments(['a.conf', 'b.conf'])).toEqual({ configFile: 'a.conf', fromStdin: false, options: '"b.conf" ' });
  });
});
