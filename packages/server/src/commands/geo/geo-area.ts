/**
 * geohash_helper.c: the step estimate for a radius, the search shape's bounding box, and the centre cell plus its 8
 * neighbours that cover a search (with Redis's step decrease at cell edges and its exclusion of useless neighbours),
 * then the members of each cell's score range that fall inside the shape (geo.c's membersOfAllNeighbors).
 */
import type { SortedSetValue } from '@mini-redis/store';
import { decodeArea, decodeScore, distance, encode, LAT_RANGE, LONG_RANGE, type Area } from './geohash.js';

const MERCATOR_MAX = 20037726.37;
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const D_R = Math.PI / 180.0;
const R_D = 180.0 / Math.PI;

export interface Shape {
  circle: boolean;
  x: number;
  y: number;
  conversion: number;
  radius: number;
  width: number;
  height: number;
}

export interface GeoPoint {
  longitude: number;
  latitude: number;
  dist: number;
  member: string;
  score: number;
}

function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

function boundingBox(shape: Shape): [number, number, number, number] {
  const { x: longitude, y: latitude } = shape;
  const height = shape.conversion * (shape.circle ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.circle ? shape.radius : shape.width / 2);
  const latDelta = (height / EARTH_RADIUS_IN_METERS) * R_D;
  const longDeltaTop = (width / EARTH_RADIUS_IN_METERS / Math.cos((latitude + latDelta) * D_R)) * R_D;
  const longDeltaBottom = (width / EARTH_RADIUS_IN_METERS / Math.cos((latitude - latDelta) * D_R)) * R_D;
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

interface Hash {
  bits: bigint;
  step: number;
}

const EVEN = 0x5555555555555555n;
const ODD = 0xaaaaaaaaaaaaaaaan;
const MASK64 = 0xffffffffffffffffn;

function moveX(hash: Hash, d: number): void {
  if (d === 0) return;
  let x = hash.bits & ODD;
  const y = hash.bits & EVEN;
  const zz = EVEN >> BigInt(64 - hash.step * 2);
  if (d > 0) x = (x + (zz + 1n)) & MASK64;
  else {
    x = x | zz;
    x = (x - (zz + 1n)) & MASK64;
  }
  x &= ODD >> BigInt(64 - hash.step * 2);
  hash.bits = x | y;
}

function moveY(hash: Hash, d: number): void {
  if (d === 0) return;
  const x = hash.bits & ODD;
  let y = hash.bits & EVEN;
  const zz = ODD >> BigInt(64 - hash.step * 2);
  if (d > 0) y = (y + (zz + 1n)) & MASK64;
  else {
    y = y | zz;
    y = (y - (zz + 1n)) & MASK64;
  }
  y &= EVEN >> BigInt(64 - hash.step * 2);
  hash.bits = x | y;
}

/** [north, south, east, west, north_east, north_west, south_east, south_west]. */
function neighbours(hash: Hash): Hash[] {
  const at = (dx: number, dy: number): Hash => {
    const moved = { ...hash };
    moveX(moved, dx);
    moveY(moved, dy);
    return moved;
  };
  return [at(0, 1), at(0, -1), at(1, 0), at(-1, 0), at(1, 1), at(-1, 1), at(1, -1), at(-1, -1)];
}

const NORTH = 0;
const SOUTH = 1;
const EAST = 2;
const WEST = 3;
const NORTH_EAST = 4;
const NORTH_WEST = 5;
const SOUTH_EAST = 6;
const SOUTH_WEST = 7;

function decode(hash: Hash): Area {
  return decodeArea(Number(hash.bits), hash.step);
}

/** geohashCalculateAreasByShapeWGS84: the 9 cells to scan (zeroed ones as undefined), centre first. */
function areasByShape(shape: Shape): Array<Hash | undefined> {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const radiusMeters =
    (shape.circle ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2))) *
    shape.conversion;
  let steps = estimateSteps(radiusMeters, shape.y);
  const hashAt = (step: number): Hash => ({ bits: BigInt(encode(LONG_RANGE, LAT_RANGE, shape.x, shape.y, step) ?? 0), step });
  let hash = hashAt(steps);
  let around = neighbours(hash);
  let area = decode(hash);
  let decrease = false;
  if (decode(around[NORTH]!).latitude.max < maxLat) decrease = true;
  if (decode(around[SOUTH]!).latitude.min > minLat) decrease = true;
  if (decode(around[EAST]!).longitude.max < maxLon) decrease = true;
  if (decode(around[WEST]!).longitude.min > minLon) decrease = true;
  if (steps > 1 && decrease) {
    steps--;
    hash = hashAt(steps);
    around = neighbours(hash);
    area = decode(hash);
  }
  const cells: Array<Hash | undefined> = [...around];
  if (steps >= 2) {
    const zero = (...indexes: number[]) => indexes.forEach((index) => (cells[index] = undefined));
    if (area.latitude.min < minLat) zero(SOUTH, SOUTH_WEST, SOUTH_EAST);
    if (area.latitude.max > maxLat) zero(NORTH, NORTH_EAST, NORTH_WEST);
    if (area.longitude.min < minLon) zero(WEST, SOUTH_WEST, NORTH_WEST);
    if (area.longitude.max > maxLon) zero(EAST, SOUTH_EAST, NORTH_EAST);
  }
  return [hash, cells[NORTH], cells[SOUTH], cells[EAST], cells[WEST], cells[NORTH_EAST], cells[NORTH_WEST], cells[SOUTH_EAST], cells[SOUTH_WEST]];
}

function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(lat2d * D_R - lat1d * D_R);
}

/** geoAppendIfWithinShape's test: the distance when inside, else undefined. */
function withinShape(shape: Shape, x: number, y: number): number | undefined {
  if (shape.circle) {
    const d = distance(shape.x, shape.y, x, y);
    return d > shape.radius * shape.conversion ? undefined : d;
  }
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  if (latDistance(y, shape.y) > heightM / 2) return undefined;
  if (distance(x, y, shape.x, y) > widthM / 2) return undefined;
  return distance(shape.x, shape.y, x, y);
}

/** membersOfAllNeighbors: the points inside the shape, cell by cell, stopping at `limit` (0: none). */
export function searchShape(zset: SortedSetValue, shape: Shape, limit: number): GeoPoint[] {
  const cells = areasByShape(shape);
  const points: GeoPoint[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === undefined || (cell.bits === 0n && cell.step === 0)) continue;
    const last = cells[lastProcessed];
    if (lastProcessed !== 0 && last !== undefined && cell.bits === last.bits && cell.step === last.step) continue;
    if (points.length > 0 && limit > 0 && points.length >= limit) break;
    const shift = BigInt(52 - cell.step * 2);
    const min = Number(cell.bits << shift);
    const max = Number((cell.bits + 1n) << shift);
    const inRange = zset.rangeByScore({ value: min, exclusive: false }, { value: max, exclusive: true });
    for (const { member, score } of inRange) {
      const [x, y] = decodeScore(score);
      const d = withinShape(shape, x, y);
      if (d !== undefined) points.push({ longitude: x, latitude: y, dist: d, member, score });
      if (points.length > 0 && limit > 0 && points.length >= limit) break;
    }
    lastProcessed = i;
  }
  return points;
}
