/** The two ways a batch reaches Snowflake: a staged file and COPY INTO, or multi-row INSERTs. */
import type { TargetLocation } from '../contracts/run-input';
import type { SnowflakeName } from '../contracts/table';
import { execute, type Bind, type Session } from './connection';
import { isMissingObject } from './errors';
import {
  copyInto,
  insertRows,
  putFile,
  removeStagedFiles,
  stageLocation,
  type LoadColumns,
} from '../sql/snowflake/statements';

export class LoadMismatchError extends Error {
  override readonly name = 'LoadMismatchError';
}

function field(row: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(row).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : row[key];
}

/** PUT the gzip CSV into the stage folder, COPY it into the table, and check every row arrived. */
export async function putAndCopy(
  session: Session,
  load: {
    table: SnowflakeName;
    location: string;
    localPath: string;
    fileName: string;
    expectedRows: number;
    /** The file's columns, when some hold JSON for a VARIANT; else the table's, by position. */
    columns?: LoadColumns;
  },
): Promise<number> {
  await execute(session, putFile(load.localPath, load.location));
  const results = await execute(session, copyInto(load.table, load.location, load.fileName, load.columns));
  const loaded = results.reduce((sum, row) => sum + Number(field(row, 'rows_loaded') ?? 0), 0);
  if (loaded !== load.expectedRows) {
    const statuses = results.map(
      (r) =>
        `${String(field(r, 'file'))}: ${String(field(r, 'status'))} ${String(field(r, 'first_error') ?? '')}`,
    );
    // Retryable: the next attempt deletes what this one loaded and loads a fresh file.
    throw new LoadMismatchError(
      `COPY INTO loaded ${loaded} of ${load.expectedRows} rows from ${load.fileName} (${statuses.join('; ')}).`,
    );
  }
  return loaded;
}

/** Bound values per INSERT: below the driver's threshold for switching array binds to a stage upload. */
const MAX_BOUND_VALUES_PER_INSERT = 60_000;

/** How many rows of `columns` columns one INSERT carries. */
export const rowsPerInsert = (columns: number): number =>
  Math.max(1, Math.floor(MAX_BOUND_VALUES_PER_INSERT / columns));

export async function insertRowsWithBinds(
  session: Session,
  table: SnowflakeName,
  columns: string[],
  rows: Bind[][],
  json?: ReadonlySet<string>,
): Promise<void> {
  if (rows.length) await execute(session, insertRows(table, columns, json), rows);
}

/** Removes every file under a folder of the run's stage; a stage that is not there has none. */
export async function removeStagedFolder(
  session: Session,
  target: TargetLocation,
  path: string,
): Promise<void> {
  try {
    await execute(
      session,
      removeStagedFiles(stageLocation(target.database, target.schema, target.stage, path)),
    );
  } catch (err) {
    if (!isMissingObject(err)) throw err;
  }
}
