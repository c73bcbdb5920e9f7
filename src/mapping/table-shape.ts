/**
 * From what the SQL Server catalog says about a table to everything the migrator derives from it:
 * column mappings, the key that orders batches, the Snowflake column names and DDL columns. Pure.
 */
import { createHash } from 'node:crypto';
import { MigrationError } from '../contracts/errors';
import type { SourceColumn } from '../contracts/table';
import type { SourceIdentity } from '../source/catalog-facts';
import { type TargetColumn } from '../sql/snowflake/statements';
import { snowflakeNameFor } from '../names/snowflake-names';
import { keyColumnProblem } from '../sql/sqlserver/queries';
import { snowflakeDefault } from './column-defaults';
import { mapColumn, type ColumnMapping } from './type-map';

export interface TableShapeInput {
  tableName: string;
  columns: SourceColumn[];
  primaryKey: string[];
  keyColumns?: string[];
  excludeColumns?: string[];
  metadataColumns: { isMigrated: string; migratedAt: string };
  /**
   * The source's column defaults: those Snowflake can express are declared (column-defaults.ts). A NULL
   * definition is one the login may not see (no VIEW DEFINITION): not declared.
   */
  defaults?: { column: string; definition: string | null }[];
  /** The source's identity column: carried as a sequence default when it is copied (sql/snowflake/identity.ts). */
  identity?: SourceIdentity | undefined;
}

export interface TableShape {
  mappings: ColumnMapping[];
  keyColumns: SourceColumn[];
  keySource: 'primaryKey' | 'config' | 'none';
  targetColumns: TargetColumn[];
  /** Target names of the key columns when the source declares a primary key (declared in Snowflake too). */
  targetPrimaryKey: string[];
  /** The copied identity column (its Snowflake name), with SQL Server's seed and increment. */
  identity?: SourceIdentity;
  warnings: string[];
}

function findColumn(input: TableShapeInput, name: string, what: string): SourceColumn {
  const column =
    input.columns.find((c) => c.name === name) ??
    input.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!column) {
    throw new MigrationError(
      'InvalidConfig',
      `${what} names the column "${name}", which ${input.tableName} does not have.`,
    );
  }
  return column;
}

function chooseKey(input: TableShapeInput): Pick<TableShape, 'keyColumns' | 'keySource' | 'warnings'> {
  if (input.keyColumns?.length) {
    const keys = input.keyColumns.map((name) => findColumn(input, name, `keyColumns of ${input.tableName}`));
    for (const key of keys) {
      const problem = keyColumnProblem(key);
      if (problem)
        throw new MigrationError(
          'InvalidKey',
          `${input.tableName}.${key.name} cannot be a key column: ${problem}.`,
        );
    }
    return { keyColumns: keys, keySource: 'config', warnings: [] };
  }
  if (!input.primaryKey.length) {
    return {
      keyColumns: [],
      keySource: 'none',
      warnings: [
        `${input.tableName} has no primary key: it is copied in one pass (one batch, no parallelism). ` +
          'Name unique NOT NULL columns in keyColumns to copy it in parallel batches.',
      ],
    };
  }
  const keys = input.primaryKey.map((name) => findColumn(input, name, 'The primary key'));
  const problems = keys.map((k) => [k, keyColumnProblem(k)] as const).filter(([, p]) => p);
  if (problems.length) {
    const [column, problem] = problems[0]!;
    return {
      keyColumns: [],
      keySource: 'none',
      warnings: [
        `${input.tableName}: the primary key column ${column.name} cannot bound batches (${problem}); ` +
          'the table is copied in one pass. Name other key columns in keyColumns to copy it in batches.',
      ],
    };
  }
  return { keyColumns: keys, keySource: 'primaryKey', warnings: [] };
}

export function shapeTable(input: TableShapeInput): TableShape {
  const excluded = new Set(
    (input.excludeColumns ?? []).map((name) => findColumn(input, name, 'excludeColumns').name),
  );
  const kept = input.columns.filter((c) => !excluded.has(c.name));
  if (!kept.length)
    throw new MigrationError('InvalidConfig', `excludeColumns leaves no column of ${input.tableName}.`);
  const mappings = kept.map((c) => mapColumn(input.tableName, c));
  const key = chooseKey(input);
  for (const k of key.keyColumns) {
    if (excluded.has(k.name)) {
      throw new MigrationError(
        'InvalidConfig',
        `${input.tableName}.${k.name} is a key column and cannot be excluded.`,
      );
    }
  }

  const targetColumns = mappings.map((m): TargetColumn => {
    const definition = input.defaults?.find((d) => d.column === m.column.name)?.definition;
    const carried = definition == null ? undefined : snowflakeDefault(m.column, definition);
    return {
      name: snowflakeNameFor(m.column.name),
      type: m.targetType,
      nullable: m.column.nullable,
      ...(carried && 'sql' in carried ? { default: carried.sql } : {}),
    };
  });
  const seen = new Map<string, string>();
  const metadata = [input.metadataColumns.isMigrated, input.metadataColumns.migratedAt];
  for (const [i, target] of targetColumns.entries()) {
    const source = mappings[i]!.column.name;
    const clash =
      seen.get(target.name) ?? (metadata.includes(target.name) ? 'the metadata column' : undefined);
    if (clash) {
      throw new MigrationError(
        'InvalidConfig',
        `${input.tableName}.${source} would become the Snowflake column "${target.name}", which ${clash} already is. ` +
          'Rename the metadata columns (migration.metadataColumns) or exclude one of the columns.',
      );
    }
    seen.set(target.name, `${input.tableName}.${source}`);
  }

  const identity =
    input.identity && kept.some((c) => c.name === input.identity!.column) ? input.identity : undefined;
  return {
    mappings,
    keyColumns: key.keyColumns,
    keySource: key.keySource,
    targetColumns,
    targetPrimaryKey:
      key.keySource === 'primaryKey' ? key.keyColumns.map((k) => snowflakeNameFor(k.name)) : [],
    ...(identity ? { identity: { ...identity, column: snowflakeNameFor(identity.column) } } : {}),
    warnings: key.warnings,
  };
}

/** Target columns whose loaded text is JSON parsed into a VARIANT (sql_variant; LoadColumns in src/sql/snowflake/statements.ts). */
export const jsonColumns = (shape: Pick<TableShape, 'mappings' | 'targetColumns'>): ReadonlySet<string> =>
  new Set(shape.targetColumns.filter((_, i) => shape.mappings[i]!.kind === 'variant').map((c) => c.name));

/** Changes when the analysed columns change: batches refuse to run against a table that changed shape. */
export function schemaFingerprint(columns: SourceColumn[]): string {
  return createHash('sha256').update(JSON.stringify(columns)).digest('hex').slice(0, 16);
}
