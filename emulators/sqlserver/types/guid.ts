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

export function formatGuid(bytes: Uint8Array): string {
  const h = (i: number): string => HEX_PAIRS[bytes[i]!]!;
  return (
    h(3) +
    h(2) +
    h(1) +
    h(0) +
    '-' +
    h(5) +
    h(4) +
    '-' +
    h(7) +
    h(6) +
    '-' +
    h(8) +
    h(9) +
    '-' +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15)
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
