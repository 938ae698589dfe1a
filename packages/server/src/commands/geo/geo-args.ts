/** Argument parsers shared by the geo commands (geo.c's extract*OrReply). */
import type { SortedSetValue } from '@mini-redis/store';
import { fail, floatArg } from '../errors.js';
import { fixed } from './geo-format.js';
import { decodeScore, GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from './geohash.js';

/** extractLongLatOrReply. */
export function longLatArgs(longitude: string, latitude: string): [number, number] {
  const x = floatArg(longitude);
  const y = floatArg(latitude);
  if (x < GEO_LONG_MIN || x > GEO_LONG_MAX || y < GEO_LAT_MIN || y > GEO_LAT_MAX) {
    fail(`ERR invalid longitude,latitude pair ${fixed(x, 6)},${fixed(y, 6)}`);
  }
  return [x, y];
}

/** extractUnitOrReply: meters per unit. */
export function unitArg(unit: string): number {
  switch (unit.toLowerCase()) {
    case 'm':
      return 1;
    case 'km':
      return 1000;
    case 'ft':
      return 0.3048;
    case 'mi':
      return 1609.34;
    default:
      return fail('ERR unsupported unit provided. please use M, KM, FT, MI');
  }
}

/** extractDistanceOrReply: [radius, meters per unit]. */
export function distanceArgs(radius: string, unit: string): [number, number] {
  const distance = floatArg(radius, 'ERR need numeric radius');
  if (distance < 0) fail('ERR radius cannot be negative');
  return [distance, unitArg(unit)];
}

/** extractBoxOrReply: [width, height, meters per unit]. */
export function boxArgs(width: string, height: string, unit: string): [number, number, number] {
  const w = floatArg(width, 'ERR need numeric width');
  const h = floatArg(height, 'ERR need numeric height');
  if (h < 0 || w < 0) fail('ERR height or width cannot be negative');
  return [w, h, unitArg(unit)];
}

/** longLatFromMember, or undefined when the member is absent. */
export function memberLongLat(zset: SortedSetValue, member: string): [number, number] | undefined {
  const score = zset.score(member);
  return score === undefined ? undefined : decodeScore(score);
}
