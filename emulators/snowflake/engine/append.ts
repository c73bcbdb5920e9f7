/**
 * Writing converted rows into a table through DuckDB's appender: the fast path of INSERT ... VALUES
 * with binds and of COPY INTO. Rows arrive in the table's column order, already converted and checked.
 */
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  STRUCT,
  BIGINT,
  HUGEINT,
  VARCHAR,
  type DuckDBAppender,
} from '@duckdb/node-api';
import { nullInNotNull } from '../errors';
import { structTag, type SnowflakeType } from '../types';
import type { Stored } from '../values/parse';
import type { ColumnDef, TableInfo } from './catalog';
import { snowflakeErrorOf } from './duck';
import type { Session } from './session';

type Append = (value: Stored | null) => void;

function appendFunction(appender: DuckDBAppender, type: SnowflakeType): Append {
  const tag = structTag(type);
  if (tag) {
    const inner = type.kind === 'TIME' ? BIGINT : type.kind.startsWith('TIMESTAMP') ? HUGEINT : VARCHAR;
    const structType = STRUCT({ [tag]: inner });
    return (v) =>
      v === null ? appender.appendNull() : appender.appendStruct({ [tag]: v as bigint | string }, structType);
  }
  switch (type.kind) {
    case 'NUMBER': {
      const { precision, scale } = type;
      return (v) =>
        v === null
          ? appender.appendNull()
          : appender.appendDecimal(new DuckDBDecimalValue(v as bigint, precision, scale));
    }
    case 'FLOAT':
      return (v) => (v === null ? appender.appendNull() : appender.appendDouble(v as number));
    case 'TEXT':
      return (v) => (v === null ? appender.appendNull() : appender.appendVarchar(v as string));
    case 'BINARY':
      return (v) => (v === null ? appender.appendNull() : appender.appendBlob(v as Uint8Array));
    case 'BOOLEAN':
      return (v) => (v === null ? appender.appendNull() : appender.appendBoolean(v as boolean));
    case 'DATE':
      return (v) =>
        v === null ? appender.appendNull() : appender.appendDate(new DuckDBDateValue(v as number));
    default:
      throw new Error(`no appender for ${type.kind}`);
  }
}

/** NULL into a NOT NULL column fails the statement before anything is written. */
export function checkNotNull(columns: ColumnDef[], row: (Stored | null)[]): void {
  for (let k = 0; k < columns.length; k++)
    if (row[k] === null && !columns[k]!.nullable) throw nullInNotNull();
}

export async function appendRows(
  session: Session,
  table: TableInfo,
  rows: Iterable<(Stored | null)[]>,
): Promise<number> {
  const appender = await session.connection.createAppender(`t_${table.id}`, 'sf_data');
  const appenders = table.columns.map((c) => appendFunction(appender, c.type));
  let count = 0;
  try {
    for (const row of rows) {
      for (let k = 0; k < appenders.length; k++) appenders[k]!(row[k] ?? null);
      appender.endRow();
      count += 1;
    }
    appender.flushSync();
  } catch (err) {
    throw snowflakeErrorOf(err);
  } finally {
    try {
      appender.closeSync();
    } catch {
      // The flush error above is the one that matters.
    }
  }
  return count;
}
