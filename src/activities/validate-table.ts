/**
 * validateTable: first removes rows a timed-out attempt loaded late (so they cannot be published), then
 * compares source and staging rows by aggregates each database computes itself, and (unless
 * validation.sourceChanges is off) reads every source row again to find rows written on the source
 * after their batch was copied. Under sourceReadIsolation `snapshot` both read one SNAPSHOT transaction.
 */
import { Context } from '@temporalio/activity';
import { ValidationConfigSchema } from '../config/schema';
import type { ValidationCheck, ValidationResult } from '../contracts/progress';
import type { TableStepInput } from '../contracts/activities';
import { readAndCompareContent, rowDescription, targetQuery } from '../comparison/compare-content';
import { execute } from '../snowflake/connection';
import { deleteLateAttempts } from '../sql/snowflake/statements';
import { aggregatesQuery as targetAggregates } from '../sql/snowflake/content-queries';
import { queryRows } from '../sqlserver/query';
import { withSourceReads } from '../sqlserver/read-transaction';
import { streamRows } from '../sqlserver/reader';
import { selectBatchQuery, aggregatesQuery as sourceAggregates } from '../sql/sqlserver/queries';
import { displayTableName } from '../names/sqlserver-names';
import {
  aggregateSpecs,
  compareAggregates,
  notMigratedCheckName,
  type AggregateRow,
} from '../validation/aggregates';
import { sourceChangeVerdict } from '../validation/content';
import type { ActivityDeps } from './deps';
import { heartbeatWhile } from './heartbeat';
import { recordContentDifferences } from './metrics';

export function createValidateTable(deps: ActivityDeps) {
  return async function validateTable(input: TableStepInput): Promise<ValidationResult> {
    const { task, metadataColumns } = input;
    const validation = input.validation ?? ValidationConfigSchema.parse({});
    const { shape } = await deps.shapes.get(task, metadataColumns);
    const specs = aggregateSpecs(
      shape.mappings,
      shape.targetColumns.map((c) => c.name),
    );
    const pool = await deps.source.pool();
    const [deleted] = await deps.target.use((session) =>
      heartbeatWhile(
        execute<Record<string, string>>(session, deleteLateAttempts(task.staging), undefined, {
          fetchAsString: ['Number'],
        }),
      ),
    );
    const lateRowsRemoved = Number(deleted?.['number of rows deleted'] ?? 0);
    return withSourceReads(pool, input.sourceReadIsolation ?? 'readCommitted', async (reader) => {
      const [source, target] = await heartbeatWhile(
        Promise.all([
          queryRows<AggregateRow>(reader, {
            text: sourceAggregates(task.source, specs, task.filter),
            params: {},
          }),
          deps.target.use((session) =>
            execute<AggregateRow>(
              session,
              targetAggregates(task.staging, specs, metadataColumns),
              undefined,
              {
                fetchAsString: ['Number'],
              },
            ),
          ),
        ]),
      );
      const targetRow = target[0]!;
      const compared = compareAggregates(specs, source[0]!, targetRow, {
        ...metadataColumns,
        notMigrated: targetRow.notMigrated,
        withMigratedAt: targetRow.withMigratedAt,
      });
      const result = { ...compared, lateRowsRemoved };
      if (validation.sourceChanges === 'off') return { passed: passed(result.checks), ...result };

      const tableName = displayTableName(task.source);
      const foundWhenCopied = input.copied?.differingRows ?? 0;
      // Every batch proven equal to what it read: the staging table's checksum is their sum.
      const knownTarget = foundWhenCopied === 0 ? input.copied?.sourceChecksum : undefined;
      const everyRow = selectBatchQuery(
        task.source,
        shape.mappings,
        shape.keyColumns,
        { lower: null, upper: null },
        task.filter,
      );
      const sourceChanges = await heartbeatWhile(
        readAndCompareContent({
          description: rowDescription(tableName, shape),
          targetColumns: shape.targetColumns.map((c) => c.name),
          sensitiveColumns: task.sensitiveColumns ?? [],
          sourceRows: () => streamRows(reader, everyRow, Context.current().cancellationSignal),
          // The whole staging table: every batch's rows, late ones removed above.
          target: { table: task.staging, scope: { binds: [] }, query: targetQuery(deps.target) },
          ...(knownTarget ? { knownTarget } : {}),
          maxReported: validation.maxReportedDifferences,
          // Counted exactly past the differences already known, to tell whether any other row differs.
          tolerated: foundWhenCopied,
        }),
      );
      recordContentDifferences('validation', sourceChanges.differingRows);
      const verdict = sourceChangeVerdict(
        tableName,
        sourceChanges,
        validation.sourceChanges,
        foundWhenCopied,
      );
      // Accepted changes explain the source aggregates they move; the re-read compared every value anyway.
      const targetOnly = notMigratedCheckName(metadataColumns.isMigrated);
      const checks: ValidationCheck[] = verdict.warning
        ? result.checks.map((c) =>
            c.passed || c.name === targetOnly
              ? c
              : { ...c, passed: true, target: `${c.target} (moved by the source changes)` },
          )
        : result.checks;
      return {
        ...result,
        checks: [...checks, verdict.check],
        passed: passed([...checks, verdict.check]),
        sourceChanges,
        ...(verdict.warning ? { warnings: [verdict.warning] } : {}),
      };
    });
  };
}

const passed = (checks: ValidationCheck[]) => checks.every((c) => c.passed);
