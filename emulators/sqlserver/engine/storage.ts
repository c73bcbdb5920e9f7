/**
 * How a SQL Server column lives in DuckDB. Every column keeps its full value (`c<i>`), stored so that
 * nothing is lost: decimals as DECIMAL(38, s), times as integer ticks, datetimeoffset as UTC ticks plus an
 * offset column (`o<i>`). Strings and binaries also get a key column (`k<i>`) computed in JavaScript, whose
 * plain byte order is SQL Server's order, and uniqueidentifiers are stored with their bytes rearranged to
 * the same end. Comparisons and ORDER BY then run on keys, inside DuckDB.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DECIMAL,
  DOUBLE,
  DuckDBBlobValue,
  DuckDBBlobVector,
  DuckDBDecimal128Vector,
  DuckDBDecimal16Vector,
  DuckDBDecimal32Vector,
  DuckDBDecimal64Vector,
  DuckDBDecimalValue,
  FLOAT,
  INTEGER,
  SMALLINT,
  UTINYINT,
  VARCHAR,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBVector,
} from '@duckdb/node-api';
import { binaryKey, collationKey } from '../collation';
import { convert } from '../types/convert';
import { guidFromSortKey, guidSortKey } from '../types/guid';
import { hierarchyIdKey } from '../types/hierarchyid';
import type { SqlType } from '../types/sql-type';
import { resolveType, scaleOf, typeDisplayName } from '../types/sql-type';

/**
 * The CONVERT style that writes a value of `type` as text without losing anything, for a sql_variant's
 * stored text: the default style keeps two decimals of money, minutes of datetime and six digits of float
 * (https://learn.microsoft.com/en-us/sql/t-sql/functions/cast-and-convert-transact-sql).
 */
function exactStyle(type: SqlType): number | undefined {
  switch (type.name) {
    case 'money':
    case 'smallmoney':
      return 2;
    case 'datetime':
    case 'smalldatetime':
      return 121;
    case 'float':
    case 'real':
      return 3;
    default:
      return undefined;
  }
}
import type { DateTimeOffsetValue, SqlValue, VariantValue } from '../types/values';

/**
 * nchar and nvarchar hold UTF-16 code units as they come, a lone surrogate included (UCS-2 under a
 * collation without _SC: https://learn.microsoft.com/sql/relational-databases/collations/collation-and-unicode-support),
 * but DuckDB keeps UTF-8, which has no form for one. So a stored string writes each lone surrogate as
 * ESCAPE + its four hex digits, and ESCAPE itself (U+10FFFF, a noncharacter) as ESCAPE + 'E'; values
 * without surrogates are stored as they are. Reading back undoes it. String functions evaluated inside
 * DuckDB see the escape (documented in the README); comparisons use the key column, made from the
 * value itself.
 */
const ESCAPE = '\u{10FFFF}';
const NEEDS_ESCAPE = /[\uD800-\uDFFF]/;
const TO_ESCAPE = /\u{10FFFF}|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
const ESCAPED = /\u{10FFFF}(E|[0-9A-F]{4})/gu;

export function toStored(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(TO_ESCAPE, (m) =>
    m === ESCAPE ? `${ESCAPE}E` : `${ESCAPE}${m.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function fromStored(v: string): string {
  if (!v.includes(ESCAPE)) return v;
  return v.replace(ESCAPED, (_, code: string) =>
    code === 'E' ? ESCAPE : String.fromCharCode(parseInt(code, 16)),
  );
}

/** A column of a DuckDB table or result, with the SQL type it holds. */
export interface PhysicalColumn {
  name: string;
  duckType: DuckDBType;
}

/** Strings, binaries and hierarchyid (its path text, in depth-first order) compare through a key column. */
export const hasKeyColumn = (t: SqlType): boolean =>
  ['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary', 'hierarchyid'].includes(t.name);

export function valueDuckType(t: SqlType): DuckDBType {
  switch (t.name) {
    case 'tinyint':
      return UTINYINT;
    case 'smallint':
      return SMALLINT;
    case 'int':
    case 'date':
    case 'smalldatetime':
      return INTEGER;
    case 'bigint':
    case 'time':
    case 'datetime2':
    case 'datetime':
    case 'datetimeoffset':
      return BIGINT;
    case 'bit':
      return BOOLEAN;
    case 'decimal':
    case 'numeric':
    case 'money':
    case 'smallmoney':
      return DECIMAL(38, scaleOf(t));
    case 'float':
      return DOUBLE;
    case 'real':
      return FLOAT;
    case 'binary':
    case 'varbinary':
    case 'image':
    case 'uniqueidentifier':
    case 'geography':
    case 'geometry':
      return BLOB;
    default:
      return VARCHAR;
  }
}

/** The DuckDB type of what comparisons use: the key column, or the value itself. */
export const keyDuckType = (t: SqlType): DuckDBType => (hasKeyColumn(t) ? BLOB : valueDuckType(t));

/** The DuckDB columns of SQL column number `ordinal`: value, then offset or key. */
export function physicalColumns(t: SqlType, ordinal: number): PhysicalColumn[] {
  const columns: PhysicalColumn[] = [{ name: `c${ordinal}`, duckType: valueDuckType(t) }];
  if (t.name === 'datetimeoffset') columns.push({ name: `o${ordinal}`, duckType: SMALLINT });
  if (hasKeyColumn(t)) columns.push({ name: `k${ordinal}`, duckType: BLOB });
  return columns;
}

/** The SQL (over a table alias) that compares and orders a column as SQL Server does. */
export function keySql(t: SqlType, alias: string, ordinal: number): string {
  return hasKeyColumn(t) ? `${alias}.k${ordinal}` : `${alias}.c${ordinal}`;
}

/** The comparable form of a value: what keySql yields for it. */
export function keyValue(t: SqlType, v: SqlValue): DuckDBValue {
  if (v === null) return null;
  switch (t.name) {
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
      return new DuckDBBlobValue(collationKey(v as string));
    case 'binary':
    case 'varbinary':
      return new DuckDBBlobValue(binaryKey(v as Buffer));
    case 'datetimeoffset':
      return (v as DateTimeOffsetValue).utc;
    case 'hierarchyid':
      return new DuckDBBlobValue(hierarchyIdKey(v as string));
    default:
      return storageValues(t, v)[0]!;
  }
}

/** Appends the DuckDB values of one SQL value to the arrays of its physical columns, from `at` on. */
export type StoragePusher = (columns: DuckDBValue[][], at: number, v: SqlValue) => void;

export function storagePusher(t: SqlType): StoragePusher {
  const width = physicalColumns(t, 0).length;
  const nulls: StoragePusher = (columns, at) => {
    for (let i = 0; i < width; i++) columns[at + i]!.push(null);
  };
  const one =
    (convert: (v: SqlValue) => DuckDBValue): StoragePusher =>
    (columns, at, v) =>
      v === null ? nulls(columns, at, v) : columns[at]!.push(convert(v));
  switch (t.name) {
    case 'decimal':
    case 'numeric':
    case 'money':
    case 'smallmoney': {
      const scale = scaleOf(t);
      return one((v) => new DuckDBDecimalValue(v as bigint, 38, scale));
    }
    case 'time':
    case 'datetime':
      return one((v) => BigInt(v as number));
    case 'datetimeoffset':
      return (columns, at, v) => {
        if (v === null) return nulls(columns, at, v);
        columns[at]!.push((v as DateTimeOffsetValue).utc);
        columns[at + 1]!.push((v as DateTimeOffsetValue).offset);
      };
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
      return (columns, at, v) => {
        if (v === null) return nulls(columns, at, v);
        columns[at]!.push(toStored(v as string));
        columns[at + 1]!.push(new DuckDBBlobValue(collationKey(v as string)));
      };
    case 'binary':
    case 'varbinary':
      return (columns, at, v) => {
        if (v === null) return nulls(columns, at, v);
        columns[at]!.push(new DuckDBBlobValue(v as Buffer));
        columns[at + 1]!.push(new DuckDBBlobValue(binaryKey(v as Buffer)));
      };
    case 'hierarchyid':
      return (columns, at, v) => {
        if (v === null) return nulls(columns, at, v);
        columns[at]!.push(v as string);
        columns[at + 1]!.push(new DuckDBBlobValue(hierarchyIdKey(v as string)));
      };
    case 'image':
    case 'geography':
    case 'geometry':
      return one((v) => new DuckDBBlobValue(v as Buffer));
    case 'uniqueidentifier':
      return one((v) => new DuckDBBlobValue(guidSortKey(v as Buffer)));
    case 'sql_variant':
      return one((v) => {
        const variant = v as VariantValue;
        const text = convert(
          variant.value,
          variant.variant,
          { name: 'nvarchar', length: -1 },
          exactStyle(variant.variant),
        );
        return `${typeDisplayName(variant.variant)}|${text}`;
      });
    default:
      return one((v) => v as DuckDBValue);
  }
}

/** The DuckDB values of the physical columns of one SQL value (in physicalColumns order). */
export function storageValues(t: SqlType, v: SqlValue): DuckDBValue[] {
  const columns: DuckDBValue[][] = physicalColumns(t, 0).map(() => []);
  storagePusher(t)(columns, 0, v);
  return columns.map((c) => c[0]!);
}

/** The value-part count of a physical column list, for reading back (keys are never read). */
type Composer = (raw: unknown[], at: number) => SqlValue;

const asNumber = (raw: unknown): number | null =>
  raw === null ? null : typeof raw === 'bigint' ? Number(raw) : (raw as number);

/** Turns what DuckDB returned for a column (value parts at `at`...) into the SQL value. */
export function composer(t: SqlType): Composer {
  switch (t.name) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'date':
    case 'smalldatetime':
    case 'time':
    case 'datetime':
      return (raw, at) => asNumber(raw[at]);
    case 'bigint':
    case 'datetime2':
      return (raw, at) => {
        const v = raw[at];
        return v === null ? null : typeof v === 'bigint' ? v : BigInt(v as number);
      };
    case 'datetimeoffset':
      return (raw, at) => {
        const utc = raw[at];
        return utc === null ? null : { utc: utc as bigint, offset: Number(raw[at + 1]) };
      };
    case 'binary':
    case 'varbinary':
    case 'image':
    case 'geography':
    case 'geometry':
      return (raw, at) => (raw[at] === null ? null : Buffer.from(raw[at] as Uint8Array));
    case 'uniqueidentifier':
      return (raw, at) => (raw[at] === null ? null : guidFromSortKey(raw[at] as Uint8Array));
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
      return (raw, at) => (raw[at] === null ? null : fromStored(raw[at] as string));
    case 'sql_variant':
      return (raw, at) => {
        const text = raw[at] as string | null;
        if (text === null) return null;
        const bar = text.indexOf('|');
        const variant = parseTypeName(text.slice(0, bar));
        return { variant, value: convert(text.slice(bar + 1), { name: 'nvarchar', length: -1 }, variant) };
      };
    default:
      return (raw, at) => raw[at] as SqlValue;
  }
}

/** A type as typeDisplayName writes it (`decimal(18,4)`, `nvarchar(max)`). */
export function parseTypeName(text: string): SqlType {
  const m = /^(\w+)(?:\((\w+)(?:,(\d+))?\))?$/.exec(text)!;
  const args = [m[2], m[3]]
    .filter((a): a is string => a !== undefined)
    .map((a) => (a === 'max' ? 'max' : Number(a)));
  return resolveType(m[1]!, args as (number | 'max')[]);
}

/** A reader for one result vector, returning what composers expect (scaled bigints for decimals). */
export function vectorReader(v: DuckDBVector): (row: number) => unknown {
  if (v instanceof DuckDBDecimal128Vector || v instanceof DuckDBDecimal64Vector)
    return (i) => v.getScaledValue(i);
  if (v instanceof DuckDBDecimal32Vector || v instanceof DuckDBDecimal16Vector) {
    return (i) => {
      const x = v.getScaledValue(i);
      return x === null ? null : BigInt(x);
    };
  }
  if (v instanceof DuckDBBlobVector) return (i) => v.getItemBytes(i);
  return (i) => v.getItem(i);
}

export const physicalTableName = (objectId: number): string => `t${objectId}`;
