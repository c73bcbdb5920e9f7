/** Names of everything a run creates in Snowflake for one table. Pure. */
import type { SnowflakeName, SourceTableRef, TargetSchemaMode } from '../contracts/table';
import { resolveIdentifier, snowflakeNameFor } from './snowflake-names';
import { displayTableName, parseTableName } from './sqlserver-names';

export interface TableNames {
  target: SnowflakeName;
  staging: SnowflakeName;
  replaced: SnowflakeName;
  stagePath: string;
  /** The sequence an identity column's default draws from once published (sql/snowflake/identity.ts). */
  identitySequence: SnowflakeName;
  /** The sequence the staging table's identity column starts with, until the real one exists. */
  identityPlaceholder: SnowflakeName;
}

export function tableNames(options: {
  index: number;
  runTag: string;
  source: SourceTableRef;
  targetOverride?: string | undefined;
  target: TargetPlace;
}): TableNames {
  const name = targetTableName(options.source, options.targetOverride);
  const tag = options.runTag.toUpperCase();
  const { database } = options.target;
  const schema = targetSchemaName(options.source, options.target);
  const at = (n: string): SnowflakeName => ({ database, schema, name: n });
  return {
    target: at(name),
    staging: at(`${name}__MIGRATING_${tag}`),
    replaced: at(`${name}__REPLACED_${tag}`),
    stagePath: `${options.runTag}/t${options.index}`,
    // One per table: SQL Server allows one identity column per table. The run's tag makes them this
    // run's own, so undo drops them by name, and a later run replacing the table makes its own.
    identitySequence: at(`${name}__IDENTITY_${tag}`),
    identityPlaceholder: at(`${name}__IDENTITY_PLACEHOLDER_${tag}`),
  };
}

/** The run's target as far as names go (config.target, or a run's TargetLocation). */
export interface TargetPlace {
  database: string;
  schema: string;
  schemas?: TargetSchemaMode | undefined;
}

/**
 * The Snowflake schema a table lands in: the target schema, or under perSource its source schema's
 * name by the rule table names follow (dbo is DBO, a name that needs quotes keeps its case).
 */
export function targetSchemaName(source: SourceTableRef, target: Omit<TargetPlace, 'database'>): string {
  return target.schemas === 'perSource' ? snowflakeNameFor(source.schema) : target.schema;
}

/**
 * The table name an entry publishes to: its `target` by Snowflake's identifier rule, else derived from
 * the source. The workflow input keeps `target` as written, so this resolves it on every use.
 */
export function targetTableName(source: SourceTableRef, targetOverride?: string): string {
  return targetOverride !== undefined ? resolveIdentifier(targetOverride) : snowflakeNameFor(source.table);
}

/**
 * The first entry whose target is another entry's, or differs from it only in case: Snowflake would
 * create two tables (`customers` quoted beside CUSTOMERS) that unquoted SQL cannot tell apart.
 * Entries whose source is not a table name are left to the source check; patterns have none.
 */
export function targetNameClash(
  tables: { source?: string; target?: string | undefined }[],
  schemas: TargetSchemaMode = 'single',
): { index: number; message: string } | undefined {
  const seen = new Map<string, { source: string; name: string }>();
  for (const [index, table] of tables.entries()) {
    if (table.source === undefined) continue; // a pattern: its tables are checked once resolved
    let source: SourceTableRef;
    try {
      source = parseTableName(table.source);
    } catch {
      continue;
    }
    // Under perSource a name is only taken within its schema: dbo.T and sales.T are DBO.T and SALES.T.
    const tableName = targetTableName(source, table.target);
    const name = schemas === 'perSource' ? `${snowflakeNameFor(source.schema)}.${tableName}` : tableName;
    const other = seen.get(name.toUpperCase());
    const here = displayTableName(source);
    if (other?.name === name)
      return {
        index,
        message: `${other.source} and ${here} would both be migrated to ${name}: give one of them another name with target in its migration.tables entry.`,
      };
    if (other)
      return {
        index,
        message: `the target ${name} of ${here} differs only in case from ${other.name} (the target of ${other.source}): Snowflake would create two tables that unquoted SQL cannot tell apart; choose another name`,
      };
    seen.set(name.toUpperCase(), { source: here, name });
  }
  return undefined;
}

/** Where a following round (mode follow) loads the changed rows before applying them to the target. */
export function changesTableName(staging: SnowflakeName): SnowflakeName {
  return { ...staging, name: `${staging.name}_CHANGES` };
}

/**
 * The names of the n-th copy of a followed table made again from the start (its changes were lost):
 * a staging table and a stage folder of its own, so nothing of the first copy's (or of an earlier
 * re-copy's) is reused or loaded twice.
 */
export function recopyNames(
  names: Pick<TableNames, 'staging' | 'stagePath'>,
  n: number,
): Pick<TableNames, 'staging' | 'stagePath'> {
  return {
    staging: { ...names.staging, name: `${names.staging.name}_R${n}` },
    stagePath: `${names.stagePath}r${n}`,
  };
}
