/**
 * Redis's geohash (geohash.c): 26 steps per axis interleaved into a 52-bit integer (latitude on even bits, longitude
 * on odd bits) over Redis's ranges (longitude -180..180, latitude -85.05112878..85.05112878), the cell decoding and
 * its clamped centre, and the haversine distance with Redis's earth radius.
 */
export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const D_R = Math.PI / 180.0;
const TWO_32 = 4294967296;

export interface Range {
  min: number;
  max: number;
}

export const LONG_RANGE: Range = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const LAT_RANGE: Range = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

/** Spreads the low 16 bits of v onto the even bits of a 32-bit number. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** Gathers the even bits of a 32-bit number into 16 bits. */
function squash16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** interleave64(x, y): x (latitude) on even bits, y (longitude) on odd bits; x, y < 2^32 (result exact below 2^53). */
export function interleave(x: number, y: number): number {
  const lo = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return hi * TWO_32 + lo;
}

/** deinterleave64 of a 64-bit value given as a non-negative integer double: [x (even bits), y (odd bits)]. */
export function deinterleave(bits: number): [number, number] {
  const lo = bits % TWO_32;
  const hi = ((bits - lo) / TWO_32) % TWO_32;
  const x = (squash16(lo) | (squash16(hi) << 16)) >>> 0;
  const y = (squash16(lo >>> 1) | (squash16(hi >>> 1) << 16)) >>> 0;
  return [x, y];
}

/** geohashEncode: the hash bits at `step`, or undefined when outside Redis's limits or the ranges. */
export function encode(longRange: Range, latRange: Range, longitude: number, latitude: number, step: number): number | undefined {
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return undefined;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return undefined;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  return interleave(Math.trunc(latOffset) >>> 0, Math.trunc(longOffset) >>> 0);
}

/** geohashEncodeWGS84 at step 26, aligned to 52 bits: the sorted set score. */
export function encodeScore(longitude: number, latitude: number): number {
  return encode(LONG_RANGE, LAT_RANGE, longitude, latitude, GEO_STEP_MAX) ?? 0;
}

export interface Area {
  bits: number;
  step: number;
  longitude: Range;
  latitude: Range;
}

/** geohashDecode over Redis's ranges. */
export function decodeArea(bits: number, step: number): Area {
  const [ilato, ilono] = deinterleave(bits);
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN;
  const longScale = GEO_LONG_MAX - GEO_LONG_MIN;
  const cells = 2 ** step;
  return {
    bits,
    step,
    latitude: {
      min: GEO_LAT_MIN + ((ilato * 1.0) / cells) * latScale,
      max: GEO_LAT_MIN + (((ilato + 1) * 1.0) / cells) * latScale,
    },
    longitude: {
      min: GEO_LONG_MIN + ((ilono * 1.0) / cells) * longScale,
      max: GEO_LONG_MIN + (((ilono + 1) * 1.0) / cells) * longScale,
    },
  };
}

/** geohashDecodeAreaToLongLat: the cell's centre, clamped to Redis's limits. */
export function areaCentre(area: Area): [number, number] {
  let x = (area.longitude.min + area.longitude.max) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (area.latitude.min + area.latitude.max) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

/** C's (uint64_t) of a score, as a non-negative integer double (x86-64 conversion for out-of-range values). */
function toUint64(score: number): number {
  if (Number.isNaN(score)) return 0;
  if (score >= 0 && score < 18446744073709551616) return Math.trunc(score);
  if (score < 0 && score > -9223372036854775808) return 18446744073709551616 + Math.trunc(score);
  return 9223372036854775808;
}

/** decodeGeohash: a member's score to [longitude, latitude]. */
export function decodeScore(score: number): [number, number] {
  return areaCentre(decodeArea(toUint64(score), GEO_STEP_MAX));
}

function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(lat2d * D_R - lat1d * D_R);
}

/** geohashGetDistance: haversine distance in meters. */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = lon1d * D_R;
  const lon2r = lon2d * D_R;
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = lat1d * D_R;
  const lat2r = lat2d * D_R;
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}
