/**
 * uniqueidentifier values as SQL Server keeps them: 16 bytes in the mixed-endian order of the wire (the
 * first three groups little-endian), printed upper case, and compared group by group from the last.
 */

const GUID_RE =
  /^\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}?/;

const reversedHex = (hex: string): Buffer => Buffer.from(hex, 'hex').reverse();

/** Text to wire bytes. Like SQL Server, characters after the 36th are ignored. */
export function parseGuid(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const m = GUID_RE.exec(trimmed.startsWith('{') ? trimmed : trimmed.slice(0, 36));
  if (!m) return undefined;
  return Buffer.concat([
    reversedHex(m[1]!),
    reversedHex(m[2]!),
    reversedHex(m[3]!),
    Buffer.from(m[4]! + m[5]!, 'hex'),
  ]);
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
