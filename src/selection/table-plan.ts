/**
 * A table's plan from its configuration, its names and what its analysis found. Pure: the analysis
 * (src/activities/analyze-table.ts) builds its plan with it, and a table's child builds the same plan from
 * the facts the run's preflight handed over (src/workflows/table/analyse.ts), so the two cannot drift.
 */
import type { TableConfig } from '../config/schema';
import type { AnalysedFacts, CatalogFacts, SourceTableRef, TablePlan } from '../contracts/table';
import type { TableNames } from '../names/target-names';

export function tablePlan(
  table: TableConfig,
  at: { index: number; source: SourceTableRef; names: TableNames },
  found: AnalysedFacts,
): TablePlan {
  return {
    task: {
      index: at.index,
      source: at.source,
      filter: table.filter,
      excludeColumns: table.excludeColumns ?? [],
      ...(table.sensitiveColumns ? { sensitiveColumns: table.sensitiveColumns } : {}),
      keyColumns: found.keyColumns,
      declarePrimaryKey: found.keySource === 'primaryKey',
      ...at.names,
      schemaFingerprint: found.schemaFingerprint,
      objectIdentity: found.objectIdentity,
      ...(found.identity ? { identity: found.identity } : {}),
    },
    columnCount: found.columnCount,
    rowCountEstimate: found.rowCountEstimate,
    keySource: found.keySource,
    targetExists: found.targetExists,
    warnings: found.warnings,
  };
}

/** The catalog facts of an analysed plan (its row estimate and warnings travel apart, in the run's record). */
export function catalogFacts(plan: TablePlan): CatalogFacts {
  return {
    keySource: plan.keySource,
    columnCount: plan.columnCount,
    targetExists: plan.targetExists,
    keyColumns: plan.task.keyColumns,
    schemaFingerprint: plan.task.schemaFingerprint,
    objectIdentity: plan.task.objectIdentity,
    ...(plan.task.identity ? { identity: plan.task.identity } : {}),
  };
}
