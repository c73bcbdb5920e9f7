/** What a statement answers: rows with Snowflake column types, or a file transfer for the driver to do. */
import type { DuckDBResultReader } from '@duckdb/node-api';
import { MAX_TEXT_LENGTH, type SnowflakeType } from '../types';
import type { Stored } from '../values/parse';
import { columnReader } from './duck-values';
import { snowflakeColumnName } from '../sql/translate';

export interface ResultColumn {
  name: string;
  type: SnowflakeType;
  nullable?: boolean;
}

/** Statement type ids as the driver reads them (connection/result/statement_type.js). */
export const STATEMENT_TYPE = {
  SELECT: 0x1000,
  DML: 0x3000,
  INSERT: 0x3100,
  UPDATE: 0x3200,
  DELETE: 0x3300,
  MERGE: 0x3400,
  MULTI_TABLE_INSERT: 0x3500,
  SCL: 0x4000,
  TCL: 0x5000,
  DDL: 0x6000,
} as const;

export interface RowsResult {
  kind: 'rows';
  columns: ResultColumn[];
  rows: (Stored | null)[][];
  statementTypeId: number;
}

/** PUT and GET: the driver moves the files itself with what `data` says. */
export interface TransferResult {
  kind: 'transfer';
  data: Record<string, unknown>;
}

export type StatementResult = RowsResult | TransferResult;

export const text = (name: string): ResultColumn => ({
  name,
  type: { kind: 'TEXT', length: MAX_TEXT_LENGTH },
});
export const fixed = (name: string): ResultColumn => ({
  name,
  type: { kind: 'NUMBER', precision: 19, scale: 0 },
});
export const timestampLtz = (name: string): ResultColumn => ({
  name,
  type: { kind: 'TIMESTAMP_LTZ', scale: 3 },
});

/** The one-row "status" answer of DDL and session statements. */
export function status(message: string, statementTypeId: number = STATEMENT_TYPE.DDL): RowsResult {
  return { kind: 'rows', columns: [text('status')], rows: [[message]], statementTypeId };
}

/** The one-row count answer of INSERT, UPDATE and DELETE. */
export function counts(statementTypeId: number, values: [string, number][]): RowsResult {
  return {
    kind: 'rows',
    columns: values.map(([name]) => fixed(name)),
    rows: [values.map(([, n]) => BigInt(n))],
    statementTypeId,
  };
}

/** A DuckDB result as Snowflake rows; column names are DuckDB's (the translator chose them). */
export function rowsFromReader(
  reader: DuckDBResultReader,
  statementTypeId: number = STATEMENT_TYPE.SELECT,
): RowsResult {
  const columnCount = reader.columnCount;
  const readers = Array.from({ length: columnCount }, (_, k) => columnReader(reader.columnType(k)));
  const columns = reader.getColumns();
  const rowCount = reader.currentRowCount;
  const rows: (Stored | null)[][] = new Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const row = new Array<Stored | null>(columnCount);
    for (let c = 0; c < columnCount; c++) row[c] = readers[c]!.read(columns[c]![r] ?? null);
    rows[r] = row;
  }
  return {
    kind: 'rows',
    columns: readers.map((r, k) => ({ name: snowflakeColumnName(reader.columnName(k)), type: r.type })),
    rows,
    statementTypeId,
  };
}
