/**
 * Writing converted rows into a table through DuckDB's appender, a data chunk (2048 rows) at a time:
 * the fast path of INSERT ... VALUES with binds and of COPY INTO. Rows arrive in the table's column
 * order, already converted and checked.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  DuckDBDataChunk,
  HUGEINT,
  STRUCT,
  VARCHAR,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { nullInNotNull } from '../errors';
import { structTag, type SnowflakeType } from '../types';
import type { Stored } from '../values/parse';
import type { ColumnDef, TableInfo } from './catalog';
import { snowflakeErrorOf } from './duck';
import { duckValue } from './duck-values';
import type { Session } from './session';

const CHUNK_ROWS = 2048;

function duckType(type: SnowflakeType): DuckDBType {
  const tag = structTag(type);
  if (tag)
    return STRUCT({
      [tag]: type.kind === 'TIME' ? BIGINT : type.kind.startsWith('TIMESTAMP') ? HUGEINT : VARCHAR,
    });
  switch (type.kind) {
    case 'NUMBER':
      return DECIMAL(type.precision, type.scale);
    case 'FLOAT':
      return DOUBLE;
    case 'TEXT':
      return VARCHAR;
    case 'BINARY':
      return BLOB;
    case 'BOOLEAN':
      return BOOLEAN;
    case 'DATE':
      return DATE;
    default:
      throw new Error(`no DuckDB type for ${type.kind}`);
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
  rows: (Stored | null)[][],
): Promise<number> {
  const appender = await session.connection.createAppender(`t_${table.id}`, 'sf_data');
  const columns = table.columns;
  const types = columns.map((c) => duckType(c.type));
  try {
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const batch = rows.slice(start, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, batch.length);
      for (let k = 0; k < columns.length; k++) {
        const type = columns[k]!.type;
        const values = new Array<DuckDBValue>(batch.length);
        for (let r = 0; r < batch.length; r++) values[r] = duckValue(type, batch[r]![k] ?? null);
        chunk.setColumnValues(k, values);
      }
      appender.appendDataChunk(chunk);
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
  return rows.length;
}
