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
  type DuckDBAppender,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { nullInNotNull } from '../errors';
import type { LoadStatement, RowAlteration } from '../faults';
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

/**
 * Rows on their way into one table: collected into data chunks and appended as each fills, so a
 * load of any size holds one chunk in memory. Part of the session's transaction; `close` flushes.
 */
export class RowSink {
  private batch: (Stored | null)[][] = [];
  private readonly types: DuckDBType[];
  count = 0;

  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: ColumnDef[],
  ) {
    this.types = columns.map((c) => duckType(c.type));
  }

  static async open(session: Session, table: TableInfo, via: LoadStatement): Promise<RowSink> {
    const sink = new RowSink(
      await session.connection.createAppender(`t_${table.id}`, 'sf_data'),
      table.columns,
    );
    sink.alter = session.faults?.alterationFor(table.name, table.columns, via);
    return sink;
  }

  /** The altered-values fault, when one names a column of this table (see faults.ts). */
  private alter: RowAlteration | undefined;

  add(row: (Stored | null)[]): void {
    this.alter?.(row);
    this.batch.push(row);
    this.count += 1;
    if (this.batch.length === CHUNK_ROWS) this.write();
  }

  private write(): void {
    const batch = this.batch;
    this.batch = [];
    try {
      const chunk = DuckDBDataChunk.create(this.types, batch.length);
      for (let k = 0; k < this.columns.length; k++) {
        const type = this.columns[k]!.type;
        const values = new Array<DuckDBValue>(batch.length);
        for (let r = 0; r < batch.length; r++) values[r] = duckValue(type, batch[r]![k] ?? null);
        chunk.setColumnValues(k, values);
      }
      this.appender.appendDataChunk(chunk);
    } catch (err) {
      throw snowflakeErrorOf(err);
    }
  }

  /** Appends what is left and flushes; after a failure, `close(false)` just lets go of the appender. */
  close(flush = true): void {
    try {
      if (flush) {
        if (this.batch.length > 0) this.write();
        this.appender.flushSync();
      }
    } catch (err) {
      throw snowflakeErrorOf(err);
    } finally {
      try {
        this.appender.closeSync();
      } catch {
        // A failed flush already said what went wrong.
      }
    }
  }
}

/** Appends an INSERT's rows to a table within the session's transaction (the caller makes it atomic). */
export async function appendRows(
  session: Session,
  table: TableInfo,
  rows: (Stored | null)[][],
): Promise<number> {
  const sink = await RowSink.open(session, table, 'INSERT');
  let ok = false;
  try {
    for (const row of rows) sink.add(row);
    ok = true;
  } finally {
    sink.close(ok);
  }
  return sink.count;
}
