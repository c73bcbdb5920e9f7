/**
 * copyBatch: one key range from SQL Server into the table's staging table in Snowflake.
 *
 * Idempotent: every staging row carries its batch number, and each attempt first deletes the rows of
 * its batch, so the table ends with exactly this range's rows whether the batch ran once or five times,
 * even after an attempt that died in the middle of a load. Each attempt loads a file of its own name,
 * so COPY's load history never skips a file this attempt has to load. Rows also carry their attempt:
 * an attempt that timed out but still finished its load after the next attempt cleared the batch is
 * removed by validateTable (see deleteLateAttempts).
 */
import { hostname } from 'node:os';
import { Context } from '@temporalio/activity';
import { ValidationConfigSchema } from '../config/schema';
import type { CopyBatchInput, CopyBatchResult } from '../contracts/activities';
import { csvRowFormatter, bindRowFormatter, formatMigratedAt } from '../mapping/values';
import { jsonColumns } from '../mapping/table-shape';
import { readBatchFileRecord } from '../load/batch-file';
import { checksummed, compareContent, rowDescription, targetQuery } from '../comparison/compare-content';
import { MigrationError } from '../contracts/errors';
import { execute } from '../snowflake/connection';
import { classifySnowflakeError, isRejectedValue, rejectedValue } from '../snowflake/errors';
import { ATTEMPT_COLUMN, BATCH_COLUMN, deleteBatch } from '../sql/snowflake/statements';
import { batchScope } from '../sql/snowflake/content-queries';
import { displaySnowflakeName } from '../names/snowflake-names';
import { withSourceReads } from '../sqlserver/read-transaction';
import { streamRows } from '../sqlserver/reader';
import { selectBatchQuery } from '../sql/sqlserver/queries';
import { displayTableName } from '../names/sqlserver-names';
import type { ActivityDeps } from './deps';
import { failedAttemptOutcome } from './failures';
import { heartbeatWhile, throwIfCancelled } from './heartbeat';
import { loadRows } from './load-rows';
import { recordBatchLoaded, recordBatchOutcome } from './metrics';
import { activityQueryTag } from './query-tag';

export function createCopyBatch(deps: ActivityDeps) {
  return async function copyBatch(input: CopyBatchInput): Promise<CopyBatchResult> {
    const context = Context.current();
    const started = Date.now();
    const { task, batch } = input;
    const { shape } = await deps.shapes.get(task, input.metadataColumns);
    const pool = await deps.source.pool();
    const description = rowDescription(displayTableName(task.source), shape);
    const attempt = (input.earlierAttempts ?? 0) + context.info.attempt;
    const extra = ['TRUE', formatMigratedAt(new Date()), String(batch.index), String(attempt)];
    // The loaded fields in file and bind order: the table's columns, then the extra values above.
    const loadColumns = {
      names: [
        ...shape.targetColumns.map((c) => c.name),
        input.metadataColumns.isMigrated,
        input.metadataColumns.migratedAt,
        BATCH_COLUMN,
        ATTEMPT_COLUMN,
      ],
      json: jsonColumns(shape),
    };
    // Names this attempt's statements in Snowflake's QUERY_HISTORY.
    const tag = activityQueryTag({ table: displaySnowflakeName(task.staging), batch: batch.index, attempt });
    let rowsSoFar = 0;
    let phase: 'clearing' | 'reading' | 'loading' | 'comparing' = 'clearing';
    const progress = (rows: number) => {
      rowsSoFar = rows;
    };

    try {
      const result = await heartbeatWhile(copy(), () => ({ phase, rows: rowsSoFar }));
      recordBatchLoaded(deps.tableLabels, displayTableName(task.source), result);
      return result;
    } catch (err) {
      const cancelled = context.cancellationSignal.aborted;
      const maximumAttempts = context.info.retryPolicy?.maximumAttempts;
      recordBatchOutcome(
        cancelled ? 'cancelled' : failedAttemptOutcome(err, context.info.attempt, maximumAttempts),
      );
      throwIfCancelled();
      throw err;
    }

    async function copy(): Promise<CopyBatchResult> {
      // Whatever an earlier attempt of this batch loaded goes first.
      await deps.target.use((session) => execute(session, deleteBatch(task.staging), [batch.index]), tag);
      throwIfCancelled();
      phase = 'reading';
      const query = selectBatchQuery(task.source, shape.mappings, shape.keyColumns, batch, task.filter);
      // Under `snapshot` the read and the re-reads that pinpoint differences see the same rows.
      return withSourceReads(pool, input.sourceReadIsolation ?? 'readCommitted', async (reader) => {
        const rows = () => streamRows(reader, query, context.cancellationSignal);
        const source = checksummed(description, rows());
        const loaded = await loadRows(
          deps,
          {
            method: input.loadMethod,
            table: task.staging,
            columns: loadColumns,
            tag,
            stage: { target: input.target, path: task.stagePath },
            fileName: `b${String(batch.index).padStart(6, '0')}-a${attempt}.csv.gz`,
            onProgress: progress,
            onSending: () => {
              phase = 'loading';
            },
            failure: withRejectedRow,
          },
          source.rows,
          {
            csv: () => csvRowFormatter(description, extra),
            binds: () => bindRowFormatter(description, extra),
          },
        );
        throwIfCancelled();
        // What this attempt loaded, compared row by row with what it read (see compare-content.ts).
        phase = 'comparing';
        const validation = input.validation ?? ValidationConfigSchema.parse({});
        const content = await compareContent(
          {
            description,
            targetColumns: shape.targetColumns.map((c) => c.name),
            sensitiveColumns: task.sensitiveColumns ?? [],
            sourceRows: rows,
            target: {
              table: task.staging,
              scope: batchScope(batch.index, attempt),
              query: targetQuery(deps.target),
            },
            maxReported: validation.maxReportedDifferences,
            tolerated: validation.toleratedDifferences,
          },
          source.checksum(),
        );
        content.durationMs += source.busyMs();
        return { ...loaded, attempt, durationMs: Date.now() - started, content, host: hostname() };
      });
    }

    /**
     * A value Snowflake refused fails the batch for good (every retry would send it again), named by the
     * table, the column and the row's key, which the batch file still holds (COPY names the record).
     */
    async function withRejectedRow(err: unknown, file?: string): Promise<unknown> {
      const known = classifySnowflakeError(err);
      if (!known || !isRejectedValue(known)) return err;
      const where = rejectedValue((err as Error).message ?? '');
      const record =
        file && where.row ? await readBatchFileRecord(file, where.row).catch(() => undefined) : undefined;
      const key =
        record && shape.keyColumns.length
          ? `, the row with key (${shape.keyColumns.map((k) => k.name).join(', ')}) = (${description.keyPositions.map((p) => record[p]).join(', ')})`
          : '';
      const column = where.column ? `, column ${where.column}` : '';
      return new MigrationError(
        known.type,
        `Snowflake refused a value of ${description.tableName}${column}${key} (batch ${batch.index}): ${where.reason}`,
      );
    }
  };
}
