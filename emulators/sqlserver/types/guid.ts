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

export function formatGuid(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, 16);
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Buffer.from(b.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`.toUpperCase();
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
