// Checksums some providers build into their tokens. GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm
// (npm_) tokens end with 6 base62 characters holding the CRC32 of the random part between the
// 4-character prefix and the checksum, in the 0-9A-Za-z alphabet. A token whose checksum matches
// was minted by the provider; one that does not is a hand-written fake.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE) of a string whose characters are all < 256 (each char one byte). */
export function crc32(s: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) crc = CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62]! + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** True when a `xxx_` + random + 6-char checksum token (GitHub, npm) carries a valid checksum. */
export function hasValidBase62Checksum(token: string, prefixLength = 4): boolean {
  if (token.length < prefixLength + 7) return false;
  const random = token.slice(prefixLength, -6);
  return base62(crc32(random), 6) === token.slice(-6);
}
