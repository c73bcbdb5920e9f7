/**
 * validateTable: first removes rows a timed-out attempt loaded late (so they cannot be published), then
 * compares source and staging rows by aggregates each database computes itself.
 */
import type { TableStepInput, ValidationResult } from '../contracts/run';
import { execute } from '../snowflake/connection';
import { deleteLateAttempts, aggregatesQuery as targetAggregates } from '../snowflake/sql';
import { queryRows } from '../sqlserver/query';
import { aggregatesQuery as sourceAggregates } from '../sqlserver/sql';
import { aggregateSpecs, compareAggregates, type AggregateRow } from '../validation/aggregates';
import type { ActivityDeps } from './deps';
import { heartbeatWhile } from './heartbeat';

export function createValidateTable(deps: ActivityDeps) {
  return async function validateTable(input: TableStepInput): Promise<ValidationResult> {
    const { task, metadataColumns } = input;
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
    const [source, target] = await heartbeatWhile(
      Promise.all([
        queryRows<AggregateRow>(pool, {
          text: sourceAggregates(task.source, specs, task.filter),
          params: {},
        }),
        deps.target.use((session) =>
          execute<AggregateRow>(session, targetAggregates(task.staging, specs, metadataColumns), undefined, {
            fetchAsString: ['Number'],
          }),
        ),
      ]),
    );
    const targetRow = target[0]!;
    const compared = compareAggregates(specs, source[0]!, targetRow, {
      ...metadataColumns,
      notMigrated: targetRow.notMigrated,
      withMigratedAt: targetRow.withMigratedAt,
    });
    return { passed: compared.checks.every((c) => c.passed), ...compared, lateRowsRemoved };
  };
}
