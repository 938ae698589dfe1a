// Redis Cluster hash slots: CRC16 (XMODEM) of the key, or of its hash tag (`{...}`), modulo 16384.

const TABLE = new Uint16Array(256);
for (let byte = 0; byte < 256; byte++) {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  TABLE[byte] = crc;
}

/** CRC16-XMODEM of bytes [start, end). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let index = start; index < end; index++)
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ bytes[index]!) & 0xff]!;
  return crc;
}

/** The hash slot of a key: only the part inside the first non-empty `{...}` counts, as in Redis's keyHashSlot. */
export function keySlot(key: string | Buffer | number): number {
  const bytes = Buffer.isBuffer(key) ? key : Buffer.from(String(key));
  const open = bytes.indexOf(0x7b);
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(bytes, open + 1, close) & 16383;
  }
  return crc16(bytes) & 16383;
}
