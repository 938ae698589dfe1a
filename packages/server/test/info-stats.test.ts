/**
 * INFO commandstats, errorstats and the error/network counters of INFO stats, compared with redis-server after the
 * same commands (successes, rejected calls, failed calls, errors inside EXEC, unknown commands).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Command } from './helpers.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

let sides: SideBySide;

beforeAll(async () => {
  sides = await startSideBySide();
});

afterAll(async () => {
  await sides?.close();
});

/** The named INFO fields, with the timing fields (usec, usec_per_call) masked. */
async function info(client: SideBySide['real'], section: string): Promise<string[]> {
  const text = String(await client.call('INFO', section));
  return text
    .split('\r\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=*'));
}

const COMMANDS: Command[] = [
  ['CONFIG', 'RESETSTAT'],
  ['SET', 'k', 'v'],
  ['GET', 'k'],
  ['GET'],
  ['GET', 'a', 'b'],
  ['NOSUCH', 'x'],
  ['CONFIG', 'NOSUCH'],
  ['INCR', 'k'],
  ['SET', 'n', '1'],
  ['INCRBY', 'n', 'abc'],
  ['MULTI'],
  ['INCR', 'k'],
  ['SET', 'x', 'y'],
  ['EXEC'],
  ['MULTI'],
  ['GET'],
  ['EXEC'],
  ['EXEC'],
  ['OBJECT', 'ENCODING', 'nokey'],
  ['CONFIG', 'SET', 'maxmemory-samples', 'x'],
  ['CONFIG', 'GET', 'maxmemory-samples'],
];

test('commandstats, errorstats and total_error_replies as redis-server counts them', async () => {
  // counts from before CONFIG RESETSTAT are forgotten
  await sides.real.pipelineRaw([['GET', 'x'], ['NOSUCH'], ['GET']]);
  await sides.mine.pipelineRaw([['GET', 'x'], ['NOSUCH'], ['GET']]);
  await sides.real.pipelineRaw(COMMANDS);
  await sides.mine.pipelineRaw(COMMANDS);
  const [realCommands, mineCommands] = [await info(sides.real, 'commandstats'), await info(sides.mine, 'commandstats')];
  // INFO itself is counted once its reply is built: leave it out
  const noInfo = (lines: string[]) => lines.filter((line) => !line.startsWith('cmdstat_info:')).sort();
  expect(noInfo(mineCommands)).toEqual(noInfo(realCommands));
  expect(await info(sides.mine, 'errorstats')).toEqual(await info(sides.real, 'errorstats'));
  const errors = (lines: string[]) => lines.filter((line) => line.startsWith('total_error_replies'));
  expect(errors(await info(sides.mine, 'stats'))).toEqual(errors(await info(sides.real, 'stats')));
});

test('network counters move with the traffic', async () => {
  const field = (lines: string[], name: string) => Number(lines.find((line) => line.startsWith(name + ':'))!.split(':')[1]);
  const before = await info(sides.mine, 'stats');
  await sides.mine.callRaw('SET', 'big', 'x'.repeat(10000));
  const after = await info(sides.mine, 'stats');
  expect(field(after, 'total_net_input_bytes') - field(before, 'total_net_input_bytes')).toBeGreaterThan(10000);
  expect(field(after, 'total_net_output_bytes')).toBeGreaterThan(field(before, 'total_net_output_bytes'));
  expect(field(after, 'total_reads_processed')).toBeGreaterThan(field(before, 'total_reads_processed'));
  expect(field(after, 'total_writes_processed')).toBeGreaterThan(field(before, 'total_writes_processed'));
});
