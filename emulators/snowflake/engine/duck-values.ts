/**
 * Between DuckDB values and the stand-in's stored values (values/parse.ts): reading result columns,
 * writing appender rows and SQL literals.
 */
import type { DuckDBStructType } from '@duckdb/node-api';
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBStructValue,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { unsupported } from '../errors';
import { stringLiteral } from '../sql/identifiers';
import { MAX_BINARY_LENGTH, MAX_TEXT_LENGTH, structTag, typeOfStructTag, type SnowflakeType } from '../types';
import { formatUnscaled, type Stored } from '../values/parse';

export interface ColumnReader {
  type: SnowflakeType;
  read: (value: DuckDBValue) => Stored | null;
}

const integer = (precision: number): ColumnReader => ({
  type: { kind: 'NUMBER', precision, scale: 0 },
  read: (v) => (v === null ? null : BigInt(v as number | bigint)),
});

const nanosFrom = (field: 'micros' | 'nanos' | 'millis' | 'seconds', factor: bigint) => (v: DuckDBValue) =>
  v === null ? null : (v as unknown as Record<string, bigint>)[field]! * factor;

/** How to read a DuckDB result column, and which Snowflake type it shows as. */
export function columnReader(type: DuckDBType): ColumnReader {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return { type: { kind: 'BOOLEAN' }, read: (v) => v as boolean | null };
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.UTINYINT:
      return integer(3);
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.USMALLINT:
      return integer(5);
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.INTEGER_LITERAL:
      return integer(10);
    case DuckDBTypeId.BIGINT:
      return integer(18);
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return integer(38);
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = type as unknown as { width: number; scale: number };
      return {
        type: { kind: 'NUMBER', precision: width, scale },
        read: (v) => (v === null ? null : (v as DuckDBDecimalValue).value),
      };
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return { type: { kind: 'FLOAT' }, read: (v) => v as number | null };
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.STRING_LITERAL:
      return { type: { kind: 'TEXT', length: MAX_TEXT_LENGTH }, read: (v) => v as string | null };
    case DuckDBTypeId.BLOB:
      return {
        type: { kind: 'BINARY', length: MAX_BINARY_LENGTH },
        read: (v) => (v === null ? null : (v as DuckDBBlobValue).bytes),
      };
    case DuckDBTypeId.DATE:
      return { type: { kind: 'DATE' }, read: (v) => (v === null ? null : (v as DuckDBDateValue).days) };
    case DuckDBTypeId.TIME:
      return { type: { kind: 'TIME', scale: 6 }, read: nanosFrom('micros', 1000n) };
    case DuckDBTypeId.TIME_NS:
      return { type: { kind: 'TIME', scale: 9 }, read: nanosFrom('nanos', 1n) };
    case DuckDBTypeId.TIMESTAMP:
      return { type: { kind: 'TIMESTAMP_NTZ', scale: 6 }, read: nanosFrom('micros', 1000n) };
    case DuckDBTypeId.TIMESTAMP_NS:
      return { type: { kind: 'TIMESTAMP_NTZ', scale: 9 }, read: nanosFrom('nanos', 1n) };
    case DuckDBTypeId.TIMESTAMP_MS:
      return { type: { kind: 'TIMESTAMP_NTZ', scale: 3 }, read: nanosFrom('millis', 1_000_000n) };
    case DuckDBTypeId.TIMESTAMP_S:
      return { type: { kind: 'TIMESTAMP_NTZ', scale: 0 }, read: nanosFrom('seconds', 1_000_000_000n) };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { type: { kind: 'TIMESTAMP_LTZ', scale: 6 }, read: nanosFrom('micros', 1000n) };
    case DuckDBTypeId.SQLNULL:
      return { type: { kind: 'TEXT', length: MAX_TEXT_LENGTH }, read: () => null };
    case DuckDBTypeId.STRUCT: {
      const struct = type as DuckDBStructType;
      const tag = struct.entryNames.length === 1 ? struct.entryNames[0]! : '';
      const tagged = typeOfStructTag(tag);
      if (tagged) {
        return {
          type: tagged,
          read: (v) =>
            v === null ? null : ((v as DuckDBStructValue).entries[tag] as bigint | string | null),
        };
      }
      break;
    }
  }
  throw unsupported(`result columns of DuckDB type ${type.toString()}`);
}

/** A stored value as the DuckDB value an appender takes for a column of `type`. */
export function duckValue(type: SnowflakeType, value: Stored | null): DuckDBValue {
  if (value === null) return null;
  const tag = structTag(type);
  if (tag) return new DuckDBStructValue({ [tag]: value as bigint | string });
  switch (type.kind) {
    case 'NUMBER':
      return new DuckDBDecimalValue(value as bigint, type.precision, type.scale);
    case 'BINARY':
      return new DuckDBBlobValue(value as Uint8Array);
    case 'DATE':
      return new DuckDBDateValue(value as number);
    default:
      return value as number | string | boolean;
  }
}

/** A stored value as a DuckDB SQL literal of the column's storage type. */
export function sqlLiteral(type: SnowflakeType, value: Stored | null): string {
  if (value === null) return 'NULL';
  const tag = structTag(type);
  if (tag) {
    const inner =
      typeof value === 'string'
        ? stringLiteral(value)
        : `CAST('${String(value)}' AS ${type.kind === 'TIME' ? 'BIGINT' : 'HUGEINT'})`;
    return `{'${tag}': ${inner}}`;
  }
  switch (type.kind) {
    case 'NUMBER':
      return `CAST('${formatUnscaled(value as bigint, type.scale)}' AS DECIMAL(${type.precision},${type.scale}))`;
    case 'FLOAT':
      return `CAST('${Object.is(value, -0) ? '-0' : String(value)}' AS DOUBLE)`;
    case 'TEXT':
      return stringLiteral(value as string);
    case 'BINARY':
      return `unhex('${Buffer.from(value as Uint8Array).toString('hex')}')`;
    case 'BOOLEAN':
      return value ? 'TRUE' : 'FALSE';
    case 'DATE':
      return `(DATE '1970-01-01' + ${String(value)})`;
    default:
      throw new Error(`no literal for ${type.kind}`);
  }
}
