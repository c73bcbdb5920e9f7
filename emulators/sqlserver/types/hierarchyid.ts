/**
 * hierarchyid values in the stand-in: kept as their canonical path text (`/`, `/1/3/`, `/1.5/-2/`) with a
 * byte key whose plain order is SQL Server's depth-first order. SQL Server's own binary encoding
 * (`0x5AC0` for `/1/1/`) is not modelled, so conversions to and from binary are refused.
 *
 * - Text form and its conversions: "Parse is called implicitly when a conversion from a string type to
 *   hierarchyid occurs" and "If Parse receives a value that is not a valid string representation of a
 *   hierarchyid, an exception is raised. For example, if char data types contain trailing spaces"
 *   (https://learn.microsoft.com/en-us/sql/t-sql/data-types/parse-database-engine); "ToString is called
 *   implicitly when a conversion from hierarchyid to a string type occurs", `CAST(node AS nvarchar(4000))`
 *   (https://learn.microsoft.com/en-us/sql/t-sql/data-types/tostring-database-engine).
 * - Order: "Given two hierarchyid values a and b, a<b means a comes before b in a depth-first traversal of
 *   the tree" (https://learn.microsoft.com/en-us/sql/t-sql/data-types/hierarchyid-data-type-method-reference).
 *   A node's label may hold several integers (`/1.1/`, a node inserted between `/1/` and `/2/`), so the
 *   children of `/1/` come before `/1.1/`.
 */
import { SqlError } from '../errors';

/** One node: its levels, each a list of integers (`/1.5/-2/` is [[1, 5], [-2]]). */
type Levels = bigint[][];

const LEVEL = /^-?\d+(?:\.-?\d+)*$/;

function parseFailed(text: string): SqlError {
  // The .NET exception SQL Server wraps in error 6522 (as Parse raises it for such input).
  return new SqlError(
    6522,
    `A .NET Framework error occurred during execution of user-defined routine or aggregate "hierarchyid": \n` +
      `System.FormatException: 24001: SqlHierarchyId.Parse failed because the input string '${text}' is not a valid string representation of a SqlHierarchyId node.`,
  );
}

function levelsOf(text: string): Levels {
  if (text === '/') return [];
  if (!text.startsWith('/') || !text.endsWith('/')) throw parseFailed(text);
  const labels = text.slice(1, -1).split('/');
  if (!labels.every((l) => LEVEL.test(l))) throw parseFailed(text);
  return labels.map((l) => l.split('.').map((n) => BigInt(n)));
}

/** The canonical text of a node written as text (CAST(string AS hierarchyid)): `/01/` is `/1/`. */
export function parseHierarchyId(text: string): string {
  return formatLevels(levelsOf(text));
}

const formatLevels = (levels: Levels): string =>
  levels.length === 0 ? '/' : `/${levels.map((l) => l.join('.')).join('/')}/`;

/** 8 bytes, big-endian, sign bit flipped: byte order is numeric order. */
function orderedInteger(n: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, n) ^ (1n << 63n));
  return bytes;
}

const INTEGER_MARK = Buffer.from([2]);
const LEVEL_END = Buffer.from([1]);

/**
 * A byte key in depth-first order: each integer is 0x02 and 8 ordered bytes, each level ends with 0x01.
 * A level that ends sorts before one that goes on (`/1/...` before `/1.1/`), and a node before its
 * descendants (a prefix sorts first).
 */
export function hierarchyIdKey(canonical: string): Buffer {
  const parts: Buffer[] = [];
  for (const level of levelsOf(canonical)) {
    for (const n of level) parts.push(INTEGER_MARK, orderedInteger(n));
    parts.push(LEVEL_END);
  }
  return Buffer.concat(parts);
}
