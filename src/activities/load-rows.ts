/**
 * Loads rows read from SQL Server into a Snowflake table, the one routine behind a batch (copyBatch) and a
 * follow round's changes (applyChanges): either a gzip CSV file written locally, PUT into the stage and
 * COPY'd into the table with a check that every row arrived, or multi-row INSERTs with bound values.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LOAD_METHODS } from '../config/schema';
import type { TargetLocation } from '../contracts/run-input';
import type { SnowflakeName } from '../contracts/table';
import { writeGzipCsv } from '../load/batch-file';
import { PRIVATE_DIR_MODE } from '../load/work-dir';
import { insertRowsWithBinds, putAndCopy, rowsPerInsert } from '../snowflake/load';
import { stageLocation, type LoadColumns } from '../sql/snowflake/statements';
import type { ActivityDeps } from './deps';
import { throwIfCancelled } from './heartbeat';

export interface RowsLoad {
  method: (typeof LOAD_METHODS)[number];
  table: SnowflakeName;
  /** The loaded fields in file and bind order, and which of them hold JSON for a VARIANT. */
  columns: LoadColumns;
  /** Names the load's statements in Snowflake's QUERY_HISTORY. */
  tag: string;
  /** The run's stage and the table's folder in it (copy). */
  stage: { target: TargetLocation; path: string };
  /**
   * The staged file's name (copy): one no earlier attempt used, as COPY's load metadata skips a file
   * name it has loaded (https://docs.snowflake.com/en/user-guide/data-load-considerations-load,
   * "Loading older files").
   */
  fileName: string;
  /** Rows formatted so far (the file written, or the INSERTs sent). */
  onProgress?: (rows: number) => void;
  /** Called once the rows are read, before the file is sent to Snowflake (copy). */
  onSending?: () => void;
  /** The error to throw for one Snowflake gave (copy passes the local file, which still holds the rows). */
  failure?: (err: unknown, localPath?: string) => Promise<unknown>;
}

/** Builds the formatter of one row as a CSV line (copy) or as bound values (insert); only one is built. */
export interface RowFormat {
  csv: () => (row: unknown[]) => string;
  binds: () => (row: unknown[]) => (string | null)[];
}

export interface LoadedRows {
  rows: number;
  /** Uncompressed CSV bytes (copy), or bound text bytes and one per value (insert). */
  bytes: number;
}

export function loadRows(
  deps: Pick<ActivityDeps, 'target' | 'workDir'>,
  load: RowsLoad,
  rows: AsyncIterable<unknown[][]>,
  format: RowFormat,
): Promise<LoadedRows> {
  return load.method === 'copy'
    ? throughStage(deps, load, rows, format.csv())
    : withInserts(deps, load, rows, format.binds());
}

const failWith = (load: RowsLoad, localPath?: string) => async (err: unknown) => {
  throw load.failure ? await load.failure(err, localPath) : err;
};

async function throughStage(
  deps: Pick<ActivityDeps, 'target' | 'workDir'>,
  load: RowsLoad,
  rows: AsyncIterable<unknown[][]>,
  formatRow: (row: unknown[]) => string,
): Promise<LoadedRows> {
  // A folder per attempt (PUT names the staged file after the local one), removed whole at the end.
  const folder = join(deps.workDir, `${load.stage.path.replace(/\//g, '-')}-${load.fileName}`);
  await mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
  const localPath = join(folder, load.fileName);
  try {
    const file = await writeGzipCsv(rows, formatRow, localPath, load.onProgress ?? (() => undefined));
    if (file.rows > 0) {
      throwIfCancelled();
      load.onSending?.();
      const { database, schema, stage } = load.stage.target;
      const location = stageLocation(database, schema, stage, load.stage.path);
      await deps.target
        .use(
          (session) =>
            putAndCopy(session, {
              table: load.table,
              location,
              localPath,
              fileName: load.fileName,
              expectedRows: file.rows,
              columns: load.columns,
            }),
          load.tag,
        )
        .catch(failWith(load, localPath));
    }
    return { rows: file.rows, bytes: file.bytes };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function withInserts(
  deps: Pick<ActivityDeps, 'target'>,
  load: RowsLoad,
  rows: AsyncIterable<unknown[][]>,
  formatRow: (row: unknown[]) => (string | null)[],
): Promise<LoadedRows> {
  const { names, json } = load.columns;
  const perInsert = rowsPerInsert(names.length);
  let pending: (string | null)[][] = [];
  let count = 0;
  let bytes = 0;
  const flush = async () => {
    const chunk = pending;
    pending = [];
    throwIfCancelled();
    await deps.target
      .use((session) => insertRowsWithBinds(session, load.table, names, chunk, json), load.tag)
      .catch(failWith(load));
    load.onProgress?.(count);
  };
  for await (const chunk of rows) {
    for (const row of chunk) {
      const values = formatRow(row);
      for (const value of values) bytes += value === null ? 1 : Buffer.byteLength(value, 'utf8') + 1;
      pending.push(values);
      count += 1;
      if (pending.length >= perInsert) await flush();
    }
  }
  if (pending.length) await flush();
  return { rows: count, bytes };
}
