/**
 * hierarchyid's binary form, read: [MS-SSCLRT] 2.1.1 and 3.2 "HIERARCHYID Structure"
 * (https://learn.microsoft.com/en-us/openspecs/sql_server_protocols/ms-ssclrt/eed8aa55-6eb3-4962-acd4-633e3cfe9242).
 * The root is zero bytes. Every other node is a bit string of one (L, O, F) triple per integer of its
 * path, then W, zero bits padding it to a whole byte:
 * - L, a prefix-free bit pattern, says which range the integer is in;
 * - O is the integer's offset from the start of that range, written most significant bit first, with
 *   fixed 0 and 1 bits inserted at set places for the wider ranges (the templates below: `x` an offset
 *   bit, `0`/`1` a fixed bit);
 * - F is 1 when a slash follows the integer (a "real" level) and 0 when a dot does; an integer followed by
 *   a dot is stored one more than its label (3.2, Example 2: `/1/-2.18/` stores -1 before the dot).
 * The ranges and templates are the specification's table as Adam Milazzo describes it bit by bit
 * (http://www.adammil.net/blog/v100_how_the_SQL_Server_hierarchyid_data_type_works_kind_of_.html); the
 * unit tests check them against the specification's two examples and against SQL Server's published
 * values for AdventureWorks' nodes.
 */
import { notSupported } from '../errors';

interface Range {
  l: string;
  min: bigint;
  template: string;
}

const X32 = 'xxxxxxxxxxxxxxxxxxx0xxxxxx0xxx0x1xxx';
const X48 = 'xxxxxxxxxxxxxx0xxxxxxxxxxxxxxxxxxxxx0xxxxxx0xxx0x1xxx';

const RANGES: Range[] = [
  { l: '000100', min: -281479271682120n, template: X48 },
  { l: '000101', min: -4294971464n, template: X32 },
  { l: '000110', min: -4168n, template: 'xxxxx0xxx0x1xxx' },
  { l: '0010', min: -72n, template: 'xx0x1xxx' },
  { l: '00111', min: -8n, template: 'xxx' },
  { l: '01', min: 0n, template: 'xx' },
  { l: '100', min: 4n, template: 'xx' },
  { l: '101', min: 8n, template: 'xxx' },
  { l: '110', min: 16n, template: 'xx0x1xxx' },
  { l: '1110', min: 80n, template: 'xxx0xxx0x1xxx' },
  { l: '11110', min: 1104n, template: 'xxxxx0xxx0x1xxx' },
  { l: '111110', min: 5200n, template: X32 },
  { l: '111111', min: 4294972496n, template: X48 },
];

const invalid = (bytes: Buffer): Error =>
  notSupported(
    `a hierarchyid binary value that is not a valid encoding (0x${bytes.toString('hex').toUpperCase()})`,
  );

/** The canonical path text (`/1/1/`) of a hierarchyid's binary form. */
export function hierarchyIdFromBinary(bytes: Buffer): string {
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
  const levels: bigint[][] = [];
  let level: bigint[] = [];
  let at = 0;
  // What is left after the last triple is W: fewer than 8 zero bits (no L pattern is all zeros).
  while (!/^0{0,7}$/.test(bits.slice(at))) {
    const range = RANGES.find((r) => bits.startsWith(r.l, at));
    if (!range) throw invalid(bytes);
    at += range.l.length;
    let offset = 0n;
    for (const t of range.template) {
      const bit = bits[at++];
      if (bit === undefined) throw invalid(bytes);
      if (t === 'x') offset = offset * 2n + BigInt(bit);
      else if (bit !== t) throw invalid(bytes);
    }
    const f = bits[at++];
    if (f === undefined) throw invalid(bytes);
    const value = range.min + offset;
    if (f === '1') {
      levels.push([...level, value]);
      level = [];
    } else level.push(value - 1n);
  }
  if (level.length > 0) throw invalid(bytes);
  return levels.length === 0 ? '/' : `/${levels.map((l) => l.join('.')).join('/')}/`;
}
