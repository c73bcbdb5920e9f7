/**
 * Validation compares aggregates computed by SQL Server on the source rows and by Snowflake on the
 * loaded rows: the row count, the non-NULL count of every nullable column and the exact sum of every
 * integer and decimal column (up to 28 digits, so a sum of up to 10^10 rows fits in 38). Together they
 * catch lost rows, duplicated rows, NULLs turned into values and decimals rounded on the way. Pure.
 */
import type { ValidationCheck } from '../contracts/progress';
import type { ColumnMapping } from '../mapping/type-map';
import { canonicalDecimal } from './canonical';

export interface AggregateSpec {
  alias: string;
  mapping: ColumnMapping;
  targetColumn: string;
  measure: 'count' | 'sum';
}

const MAX_SUM_PRECISION = 28;

function summable(mapping: ColumnMapping): boolean {
  // int, smallint, tinyint (floats are kind 'float': their sums are not exact).
  if (mapping.kind === 'number') return true;
  if (mapping.kind !== 'text-number') return false;
  const precision = mapping.column.dataType === 'bigint' ? 19 : (mapping.column.numericPrecision ?? 38);
  return precision <= MAX_SUM_PRECISION;
}

export function aggregateSpecs(mappings: ColumnMapping[], targetNames: string[]): AggregateSpec[] {
  const specs: AggregateSpec[] = [];
  mappings.forEach((mapping, i) => {
    const targetColumn = targetNames[i]!;
    if (mapping.column.nullable)
      specs.push({ alias: `a${specs.length}`, mapping, targetColumn, measure: 'count' });
    if (summable(mapping)) specs.push({ alias: `a${specs.length}`, mapping, targetColumn, measure: 'sum' });
  });
  return specs;
}

export interface AggregateRow {
  [alias: string]: unknown;
}

/** Metadata columns are checked on the target only: every row migrated, every row stamped. */
export interface TargetMetadataCounts {
  notMigrated: unknown;
  withMigratedAt: unknown;
}

/** The one check that compares no source value: the target's own IS_MIGRATED flags. */
export const notMigratedCheckName = (isMigrated: string) => `rows with ${isMigrated} not TRUE`;

export function compareAggregates(
  specs: AggregateSpec[],
  source: AggregateRow,
  target: AggregateRow,
  metadata: TargetMetadataCounts & { isMigrated: string; migratedAt: string },
): { checks: ValidationCheck[]; sourceRows: number; targetRows: number } {
  const sourceRows = canonicalDecimal(source.rows);
  const targetRows = canonicalDecimal(target.rows);
  const check = (name: string, s: unknown, t: unknown): ValidationCheck => {
    const a = canonicalDecimal(s);
    const b = canonicalDecimal(t);
    return { name, source: a, target: b, passed: a === b };
  };
  const checks = [
    check('row count', source.rows, target.rows),
    ...specs.map((spec) =>
      check(
        `${spec.measure === 'count' ? 'non-NULL values' : 'sum'} of ${spec.mapping.column.name}`,
        source[spec.alias],
        target[spec.alias],
      ),
    ),
    check(notMigratedCheckName(metadata.isMigrated), 0, metadata.notMigrated),
    check(`rows with ${metadata.migratedAt} set`, source.rows, metadata.withMigratedAt),
  ];
  return { checks, sourceRows: Number(sourceRows), targetRows: Number(targetRows) };
}
