/**
 * uniqueidentifier values as SQL Server keeps them: 16 bytes in the mixed-endian order of the wire (the
 * first three groups little-endian), printed upper case, and compared group by group from the last.
 */

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Where each wire byte's two hex digits sit in the 36-character text form. */
const TEXT_POSITIONS = [6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34];

/** Text to wire bytes. Like SQL Server, characters after the 36th are ignored. */
export function parseGuid(text: string): Buffer | undefined {
  let t = text.trim();
  if (t.startsWith('{')) {
    if (t[37] !== '}') return undefined;
    t = t.slice(1, 37);
  }
  if (t.length < 36 || t[8] !== '-' || t[13] !== '-' || t[18] !== '-' || t[23] !== '-') return undefined;
  const bytes = Buffer.allocUnsafe(16);
  for (let i = 0; i < 16; i++) {
    const at = TEXT_POSITIONS[i]!;
    const high = HEX[t.charCodeAt(at)] ?? -1;
    const low = HEX[t.charCodeAt(at + 1)] ?? -1;
    if (high < 0 || low < 0) return undefined;
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

// Module-level, not a closure per call: under tsx (esbuild keepNames) each closure made costs a __name call.
const hexAt = (bytes: Uint8Array, i: number): string => HEX_PAIRS[bytes[i]!]!;

export function formatGuid(bytes: Uint8Array): string {
  const h = hexAt;
  return (
    h(bytes, 3) +
    h(bytes, 2) +
    h(bytes, 1) +
    h(bytes, 0) +
    '-' +
    h(bytes, 5) +
    h(bytes, 4) +
    '-' +
    h(bytes, 7) +
    h(bytes, 6) +
    '-' +
    h(bytes, 8) +
    h(bytes, 9) +
    '-' +
    h(bytes, 10) +
    h(bytes, 11) +
    h(bytes, 12) +
    h(bytes, 13) +
    h(bytes, 14) +
    h(bytes, 15)
  );
}

/** Byte positions in the order SQL Server compares them (SqlGuid's order). */
const COMPARE_ORDER = [10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3];

/** Wire bytes rearranged so that a plain byte comparison orders them as SQL Server does. */
export function guidSortKey(bytes: Uint8Array): Buffer {
  const key = Buffer.allocUnsafe(16);
  for (let i = 0; i < 16; i++) key[i] = bytes[COMPARE_ORDER[i]!]!;
  return key;
}

export function guidFromSortKey(key: Uint8Array): Buffer {
  const bytes = Buffer.allocUnsafe(16);
  for (let i = 0; i < 16; i++) bytes[COMPARE_ORDER[i]!] = key[i]!;
  return bytes;
}
