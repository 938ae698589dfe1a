/**
 * Random geo commands: GEOADD (options, invalid coordinates, wrong arities) of points scattered around a few centres
 * (equator, Sicily, near the poles and the antimeridian), GEODIST/GEOHASH/GEOPOS, and every search form with radius
 * and box shapes, units, sorting, COUNT [ANY], WITH* options and STORE/STOREDIST, over geo keys and the seeded keys of
 * every other type.
 */
import fc from 'fast-check';
import type { GeneratedCommand } from './family-runner.js';

const GEO_KEYS = ['g1', 'g2'];
const OTHER_KEYS = ['s', 'l', 'z', 'h', 'missing', 'dst'];
const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...GEO_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_KEYS) });
const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'Palermo', 'Catania', '', 'x\x00y', 'nope');

const CENTRES: Array<[number, number]> = [[0, 0], [13.36, 38.11], [-179.9, 10], [179.95, -40], [100, 84.9], [-70, -84.5], [2.35, 48.85]];

/** A longitude/latitude pair: near a centre (spread from metres to hundreds of km), or an edge or invalid value. */
const point: fc.Arbitrary<[string, string]> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom(...CENTRES), fc.integer({ min: -100000, max: 100000 }), fc.integer({ min: -100000, max: 100000 }), fc.constantFrom(1e-6, 1e-4, 1e-2))
      .map(([[x, y], dx, dy, scale]) => {
        const lon = Math.max(-180, Math.min(180, x + dx * scale));
        const lat = Math.max(-85.05112878, Math.min(85.05112878, y + dy * scale));
        return [String(Number(lon.toFixed(7))), String(Number(lat.toFixed(7)))] as [string, string];
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<[string, string]>(
      ['180', '85.05112878'], ['-180', '-85.05112878'], ['200', '100'], ['0', '86'], ['abc', '1'], ['1', 'nan'],
      ['inf', '0'], ['-180.0000001', '0'], ['0', '0'], ['1e2', '1e1'],
    ),
  },
);

const unit = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('m', 'km', 'mi', 'ft', 'KM') }, { weight: 1, arbitrary: fc.constantFrom('yd', '') });
const radius = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '10', '100', '500', '1000', '5000', '20000', '100000', '1500000', '6000000', '1e7') },
  { weight: 1, arbitrary: fc.constantFrom('-1', 'abc', '2.5', 'inf') },
);

const option = fc.oneof(
  fc.constantFrom(['WITHDIST'], ['WITHCOORD'], ['WITHHASH'], ['ASC'], ['DESC'], ['ANY'], ['withdist']),
  fc.constantFrom('1', '2', '3', '10', '0', '-1', 'x').map((n) => ['COUNT', n]),
  fc.constantFrom('dst', 's').map((k) => ['STORE', k]),
  fc.constantFrom('dst', 's').map((k) => ['STOREDIST', k]),
);

const searchFrom = fc.oneof(
  { weight: 3, arbitrary: point.map(([x, y]) => ['FROMLONLAT', x, y]) },
  { weight: 2, arbitrary: member.map((m) => ['FROMMEMBER', m]) },
);
const searchBy = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(radius, unit).map(([r, u]) => ['BYRADIUS', r, u]) },
  { weight: 2, arbitrary: fc.tuple(radius, radius, unit).map(([w, h, u]) => ['BYBOX', w, h, u]) },
);
const searchOption = fc.oneof(
  fc.constantFrom(['WITHDIST'], ['WITHCOORD'], ['WITHHASH'], ['ASC'], ['DESC'], ['ANY'], ['STOREDIST'], ['STORE', 'x']),
  fc.constantFrom('1', '2', '3', '10', '0', 'x').map((n) => ['COUNT', n]),
);

const searchArgs = fc
  .tuple(fc.option(searchFrom, { nil: undefined }), fc.option(searchBy, { nil: undefined }), fc.array(searchOption, { maxLength: 3 }), fc.boolean())
  .map(([from, by, options, swap]) => {
    const parts = [from ?? [], by ?? [], ...options];
    if (swap) parts.reverse();
    return parts.flat();
  });

const command: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(key, fc.subarray(['NX', 'XX', 'CH']), fc.array(fc.tuple(point, member), { minLength: 1, maxLength: 6 }))
      .map(([k, options, items]) => ['GEOADD', k, ...options, ...items.flatMap(([[x, y], m]) => [x, y, m])]),
  },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['GEOADD', 'g1', 'NX', 'XX', '1', '1', 'a'], ['GEOADD', 'g1', '1', '1'], ['GEOADD', 'g1', 'CH', '1', '1']) },
  { weight: 2, arbitrary: fc.tuple(key, member, member, fc.option(unit, { nil: undefined })).map(([k, a, b, u]) => ['GEODIST', k, a, b, ...(u === undefined ? [] : [u])]) },
  { weight: 2, arbitrary: fc.tuple(key, fc.array(member, { maxLength: 4 })).map(([k, ms]) => ['GEOHASH', k, ...ms]) },
  { weight: 2, arbitrary: fc.tuple(key, fc.array(member, { maxLength: 4 })).map(([k, ms]) => ['GEOPOS', k, ...ms]) },
  { weight: 5, arbitrary: fc.tuple(key, searchArgs).map(([k, rest]) => ['GEOSEARCH', k, ...rest]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('dst', 's'), key, searchArgs).map(([d, k, rest]) => ['GEOSEARCHSTORE', d, k, ...rest]) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('GEORADIUS', 'GEORADIUS_RO'), key, point, radius, unit, fc.array(option, { maxLength: 3 }))
      .map(([name, k, [x, y], r, u, options]) => [name, k, x, y, r, u, ...options.flat()]),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO'), key, member, radius, unit, fc.array(option, { maxLength: 3 }))
      .map(([name, k, m, r, u, options]) => [name, k, m, r, u, ...options.flat()]),
  },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['TYPE', 'dst'], ['GEOSEARCH', 'dst', 'FROMLONLAT', '0', '0', 'BYRADIUS', '30000', 'km', 'ASC', 'WITHHASH'], ['OBJECT', 'ENCODING', 'dst']) },
);

export const geoCommand = command;
