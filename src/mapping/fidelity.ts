/**
 * The type-fidelity report of one table, as `discover` and `plan` show it: a verdict per column, taken
 * from the type mapping itself (type-map.ts), the key that orders batches, and what Snowflake will not
 * have of what SQL Server declares. Pure.
 */
import { MigrationError } from '../contracts/errors';
import type { SourceTableCatalog, SourceUniqueKey, TableDeclarations } from '../source/catalog-facts';
import { declaredType } from '../sql/sqlserver/queries';
import { shapeTable } from './table-shape';
import { carriedUniqueKeys } from './unique-keys';
import { snowflakeDefault } from './column-defaults';
import { columnVerdict, type ColumnVerdict } from './type-map';

export type ColumnReport = { name: string; sourceType: string } & (
  ColumnVerdict | { verdict: 'excluded'; why: string }
);

export interface NotCarried {
  kind: string;
  name: string;
  detail: string;
}

export interface TableFidelity {
  key: { columns: string[]; from: 'primary key' | 'config' } | null;
  columns: ColumnReport[];
  notCarried: NotCarried[];
  warnings: string[];
  /** Why the table cannot be migrated as configured, besides refused columns (e.g. a wrong keyColumns). */
  problem?: string;
}

export interface TableFidelityInput {
  tableName: string;
  catalog: Pick<SourceTableCatalog, 'columns' | 'primaryKey' | 'defaults' | 'identity'>;
  declarations: TableDeclarations;
  uniqueKeys: SourceUniqueKey[];
  keyColumns?: string[];
  excludeColumns?: string[];
  metadataColumns: { isMigrated: string; migratedAt: string };
}

/** One verdict per source column, in column order; `excluded` for those excludeColumns leaves out. */
export function columnReports(
  columns: SourceTableCatalog['columns'],
  excludeColumns: string[] = [],
): ColumnReport[] {
  const excluded = new Set(excludeColumns.map((n) => n.toLowerCase()));
  return columns.map((column) => ({
    name: column.name,
    sourceType: declaredType(column),
    ...(excluded.has(column.name.toLowerCase())
      ? { verdict: 'excluded' as const, why: 'left out by excludeColumns' }
      : columnVerdict(column)),
  }));
}

const CONSTRAINT_KINDS: Record<string, string> = {
  'FOREIGN KEY': 'foreign key',
  UNIQUE: 'unique constraint',
  CHECK: 'check constraint',
};

const FOREIGN_KEY_DETAIL =
  "declared in Snowflake, which does not enforce it, at the run's end if the run publishes the table it references";

/** sql/snowflake/identity.ts: a sequence created once the copied values are known (mode follow: at cutover). */
const IDENTITY_DETAIL =
  'declared in Snowflake as DEFAULT <sequence>.NEXTVAL, continuing after the highest copied value (mode follow: the highest at cutover)';

/** What becomes of a source constraint: UNIQUE ones over copied columns are declared (unique-keys.ts). */
function constraintDetail(type: string, declared: boolean): string {
  // Foreign keys are declared at the run's end, between tables it published (foreign-keys.ts).
  if (type === 'FOREIGN KEY') return FOREIGN_KEY_DETAIL;
  if (type !== 'UNIQUE') return 'not created in Snowflake';
  return declared
    ? 'declared in Snowflake, which does not enforce it'
    : 'not created in Snowflake: not all of its columns are copied';
}

/** A default on a copied column that Snowflake can express is declared; the others are not. */
function defaultDetail(
  d: { column: string; definition: string },
  columns: SourceTableCatalog['columns'],
  copied: Set<string>,
): string {
  const column = columns.find((c) => c.name === d.column);
  const verdict = column && copied.has(d.column) ? snowflakeDefault(column, d.definition) : undefined;
  if (!verdict || 'why' in verdict) return 'not created: the copied values are kept, new rows get no default';
  return `declared in Snowflake as DEFAULT ${verdict.sql}${verdict.note ? `: ${verdict.note}` : ''}`;
}

function notCarried(
  input: TableFidelityInput,
  declaresPrimaryKey: boolean,
  declaredUnique: Set<string>,
  copied: Set<string>,
): NotCarried[] {
  const { catalog, declarations } = input;
  return [
    ...(declaresPrimaryKey
      ? [
          {
            kind: 'primary key',
            name: `(${catalog.primaryKey.join(', ')})`,
            detail: 'declared in Snowflake, which does not enforce it',
          },
        ]
      : []),
    ...declarations.constraints.map((c) => ({
      kind: CONSTRAINT_KINDS[c.type] ?? c.type.toLowerCase(),
      name: c.name,
      detail: constraintDetail(c.type, declaredUnique.has(c.name)),
    })),
    ...declarations.indexes.map((i) => ({
      kind: 'index',
      name: i.name,
      detail: `${i.unique ? 'unique ' : ''}${i.type.toLowerCase()}: Snowflake has no indexes`,
    })),
    ...catalog.defaults.map((d) =>
      d.definition === null
        ? {
            kind: 'default',
            name: d.column,
            // SQL Server shows a default's definition only to a login with VIEW DEFINITION (or ALTER, CONTROL).
            detail: 'default not visible (VIEW DEFINITION missing); not created either way',
          }
        : {
            kind: 'default',
            name: `${d.column} ${d.definition}`,
            detail: defaultDetail({ column: d.column, definition: d.definition }, catalog.columns, copied),
          },
    ),
    ...(catalog.identity
      ? [
          {
            kind: 'identity',
            name: `${catalog.identity.column} (seed ${catalog.identity.seed}, increment ${catalog.identity.increment})`,
            detail: copied.has(catalog.identity.column)
              ? IDENTITY_DETAIL
              : 'not created: the column is not copied',
          },
        ]
      : []),
    ...catalog.columns
      .filter((c) => c.isComputed)
      .map((c) => ({
        kind: 'computed column',
        name: c.name,
        detail: 'its values are copied, not its formula',
      })),
  ];
}

export function tableFidelity(input: TableFidelityInput): TableFidelity {
  const columns = columnReports(input.catalog.columns, input.excludeColumns);
  const refused = columns.filter((c) => c.verdict === 'refused').map((c) => c.name);
  try {
    // Refused columns are reported above; left out here so that the key and warnings can still be told.
    const shape = shapeTable({
      tableName: input.tableName,
      columns: input.catalog.columns,
      primaryKey: input.catalog.primaryKey,
      keyColumns: input.keyColumns,
      excludeColumns: [...(input.excludeColumns ?? []), ...refused],
      metadataColumns: input.metadataColumns,
      defaults: input.catalog.defaults,
      identity: input.catalog.identity,
    });
    const keyed = shape.keyColumns.length > 0;
    return {
      key: keyed
        ? {
            columns: shape.keyColumns.map((k) => k.name),
            from: shape.keySource === 'primaryKey' ? 'primary key' : 'config',
          }
        : null,
      columns,
      notCarried: notCarried(
        input,
        shape.targetPrimaryKey.length > 0,
        new Set(carriedUniqueKeys(input.uniqueKeys, shape).map((k) => k.name)),
        new Set(shape.mappings.map((m) => m.column.name)),
      ),
      warnings: shape.warnings,
    };
  } catch (err) {
    if (!(err instanceof MigrationError)) throw err;
    return {
      key: null,
      columns,
      notCarried: notCarried(input, false, new Set(), new Set()),
      warnings: [],
      problem: err.message,
    };
  }
}
