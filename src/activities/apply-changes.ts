/**
 * applyChanges: one round of following a published table (mode follow). In one SNAPSHOT transaction on
 * SQL Server, as Microsoft's "Work with change tracking" describes it
 * (https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server):
 * check the last applied version against CHANGE_TRACKING_MIN_VALID_VERSION, read
 * CHANGE_TRACKING_CURRENT_VERSION() (the version the target reflects after the round), and read
 * CHANGETABLE(CHANGES) joined to the table for the changed keys and their current values. These are
 * loaded into the round's changes table the way batches are loaded (a staged file and COPY, or INSERTs),
 * then applied in one Snowflake transaction: the target rows of every changed key are deleted and the
 * current values of the keys that still exist are inserted.
 *
 * Idempotent: whatever state between the last version and now the target is in (a round that committed
 * but whose result was lost), deleting every key changed since the last version and inserting its
 * current values leaves the target equal to the source at the round's version. Returns counts only.
 *
 * At cutover (`verify`) the whole target table is then compared with the source, read in the same
 * snapshot: both sides are the table as of the round's version, whatever is written on the source since.
 */
import { Context } from '@temporalio/activity';
import { MigrationError } from '../contracts/errors';
import type { ContentResult } from '../contracts/progress';
import type { ApplyChangesInput, ApplyChangesResult } from '../contracts/activities';
import { csvRowFormatter, bindRowFormatter, formatMigratedAt } from '../mapping/values';
import { jsonColumns } from '../mapping/table-shape';
import { readAndCompareContent, rowDescription, targetQuery } from '../comparison/compare-content';
import { changesLost, changesLostMessage, isDelete } from '../follow/rules';
import { changesTableName } from '../names/target-names';
import { execute } from '../snowflake/connection';
import { continueIdentity } from '../snowflake/identity';
import {
  DELETED_COLUMN,
  createChangesTable,
  deleteRowsWithKeysOf,
  dropTable,
  insertChangedRows,
} from '../sql/snowflake/statements';
import { displaySnowflakeName } from '../names/snowflake-names';
import { snowflakeNameFor } from '../names/snowflake-names';
import { changesQuery } from '../sql/sqlserver/change-tracking';
import { readCurrentVersion, readMinValidVersion } from '../sqlserver/change-tracking-reads';
import { withSourceReads, type SourceReader } from '../sqlserver/read-transaction';
import { streamRows } from '../sqlserver/reader';
import { selectBatchQuery } from '../sql/sqlserver/queries';
import { displayTableName } from '../names/sqlserver-names';
import type { ActivityDeps } from './deps';
import { heartbeatWhile, throwIfCancelled } from './heartbeat';
import { loadRows } from './load-rows';
import { activityQueryTag } from './query-tag';

export function createApplyChanges(deps: ActivityDeps) {
  return async function applyChanges(input: ApplyChangesInput): Promise<ApplyChangesResult> {
    const context = Context.current();
    const { task, metadataColumns } = input;
    const { shape } = await deps.shapes.get(task, input.metadataColumns);
    const pool = await deps.source.pool();
    const tableName = displayTableName(task.source);
    const description = rowDescription(tableName, shape);
    const changes = changesTableName(task.staging);
    const attempt = context.info.attempt;
    const tag = activityQueryTag({ table: displaySnowflakeName(task.target), round: input.round, attempt });
    const targetColumns = shape.targetColumns.map((c) => c.name);
    const loadedColumns = [...targetColumns, metadataColumns.isMigrated, metadataColumns.migratedAt];
    const json = jsonColumns(shape);
    const migratedAt = formatMigratedAt(new Date());
    let phase = 'reading';

    return heartbeatWhile(
      withSourceReads(pool, 'snapshot', async (reader) => {
        const minValid = await readMinValidVersion(reader, task.source);
        if (changesLost(input.lastVersion, minValid)) {
          throw new MigrationError(
            'ChangesLost',
            changesLostMessage(task.source, input.lastVersion, minValid),
          );
        }
        const version = (await readCurrentVersion(reader)) ?? input.lastVersion;
        await deps.target.use(
          (session) =>
            execute(
              session,
              createChangesTable({
                table: changes,
                columns: shape.targetColumns,
                isMigratedColumn: metadataColumns.isMigrated,
                migratedAtColumn: metadataColumns.migratedAt,
              }),
            ),
          tag,
        );
        const counted = await loadChanges(reader);
        throwIfCancelled();
        phase = 'applying';
        if (counted.changes > 0) await apply();
        await deps.target.use((session) => execute(session, dropTable(changes)), tag);
        const content = input.verify ? await verify(reader) : undefined;
        // Cutover: the last rows are in, and the identity continues after the highest of them.
        if (content?.differingRows === 0 && task.identity?.setAt === 'cutover')
          await deps.target.use((session) => continueIdentity(session, task.target, task), tag);
        return { version, ...counted, ...(content ? { content } : {}) };
      }),
      () => ({ phase }),
    );

    /** The round's changed keys into the changes table; counts them. */
    async function loadChanges(reader: SourceReader): Promise<{ changes: number; deletes: number }> {
      const query = changesQuery(task.source, shape.mappings, shape.keyColumns, input.lastVersion);
      let count = 0;
      let deletes = 0;
      // CHANGETABLE's version and operation come first, then the table's columns as a batch reads them;
      // each row is loaded as [deleted, values].
      async function* rows(): AsyncGenerator<unknown[][]> {
        for await (const chunk of streamRows(reader, query, context.cancellationSignal)) {
          yield chunk.map((row) => {
            const deleted = isDelete(row[1]);
            count += 1;
            if (deleted) deletes += 1;
            return [deleted, row.slice(2)];
          });
        }
      }
      // Each formatter built twice, once per value of the DELETED column that ends the row.
      const byDeleted = <T>(formatter: (extra: string[]) => (values: unknown[]) => T) => {
        const format = [false, true].map((deleted) =>
          formatter(['TRUE', migratedAt, deleted ? 'TRUE' : 'FALSE']),
        );
        return (row: unknown[]) => format[row[0] ? 1 : 0]!(row[1] as unknown[]);
      };
      await loadRows(
        deps,
        {
          method: input.loadMethod,
          table: changes,
          columns: { names: [...loadedColumns, DELETED_COLUMN], json },
          tag,
          stage: { target: input.target, path: task.stagePath },
          fileName: `changes-r${input.round}-a${attempt}-${Date.now()}.csv.gz`,
          onSending: () => {
            phase = 'loading';
          },
        },
        rows(),
        {
          csv: () => byDeleted((extra) => csvRowFormatter(description, extra)),
          binds: () => byDeleted((extra) => bindRowFormatter(description, extra)),
        },
      );
      return { changes: count, deletes };
    }

    /**
     * Every changed key's old rows out, the current values of those still on the source in: one explicit
     * transaction of DML only, which commits or rolls back as a unit (a DDL statement would commit it, so
     * the changes table is created before and dropped after:
     * https://docs.snowflake.com/en/sql-reference/transactions).
     */
    async function apply(): Promise<void> {
      const keys = shape.keyColumns.map((k) => snowflakeNameFor(k.name));
      await deps.target.use(async (session) => {
        await execute(session, 'BEGIN');
        try {
          await execute(session, deleteRowsWithKeysOf(task.target, changes, keys));
          await execute(session, insertChangedRows(task.target, changes, loadedColumns));
          await execute(session, 'COMMIT');
        } catch (err) {
          await execute(session, 'ROLLBACK').catch(() => undefined);
          throw err;
        }
      }, tag);
    }

    /** The whole target compared with the source as of the round's version (the same snapshot). */
    async function verify(reader: SourceReader): Promise<ContentResult> {
      phase = 'verifying';
      const everyRow = selectBatchQuery(task.source, shape.mappings, shape.keyColumns, {
        lower: null,
        upper: null,
      });
      return readAndCompareContent({
        description,
        targetColumns,
        sensitiveColumns: task.sensitiveColumns ?? [],
        sourceRows: () => streamRows(reader, everyRow, context.cancellationSignal),
        target: { table: task.target, scope: { binds: [] }, query: targetQuery(deps.target) },
        maxReported: input.maxReportedDifferences,
        tolerated: 0,
      });
    }
  };
}
