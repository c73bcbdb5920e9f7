/** What SQL Server's catalog says about the server and a table: the facts the migrator plans from. */
import { MigrationError } from '../contracts/errors';
import type { SourceTableRef } from '../contracts/table';
import { viewRestrictions, type ReadRestrictions } from '../source/read-restrictions';
import { ORDINARY_TABLE, type TableKind } from '../source/table-kinds';
import { writeAccessOf, type HeldPermissions } from '../source/permissions';
import { describedBy } from '../mapping/descriptions';
import { classifyFilterError } from './errors';
import type { SourcePool } from './pool';
import type { SourceReader } from './read-transaction';
import { bindRequest, queryRows } from './query';
import { qualifiedTable, compileFilterQuery, countRowsQuery } from '../sql/sqlserver/queries';
import {
  BASE_TABLES_QUERY,
  DATABASE_STATE_PERMISSIONS_QUERY,
  DESCRIPTIONS_QUERY,
  TABLE_PERMISSIONS_QUERY,
  COLUMN_FLAGS_QUERY,
  COLUMNS_QUERY,
  INDEXES_QUERY,
  KIND_COLUMNS_QUERY,
  OBJECT_IDENTITY_QUERY,
  OTHER_CONSTRAINTS_QUERY,
  FILTER_PREDICATES_QUERY,
  MASKED_COLUMNS_QUERY,
  MEMORY_OPTIMIZED_QUERY,
  PRIMARY_KEY_QUERY,
  ROW_ESTIMATE_QUERY,
  UNIQUE_KEYS_QUERY,
  READ_PERMISSIONS_QUERY,
  SERVER_INFO_QUERY,
  SNAPSHOT_ISOLATION_QUERY,
  TABLE_KIND_QUERY,
  SHAPE_CHECK_QUERY,
  TABLE_SIZE_QUERY,
  TABLE_TYPE_QUERY,
  WRITE_ACCESS_QUERY,
} from '../sql/sqlserver/catalog-queries';
import { displayTableName } from '../names/sqlserver-names';
import type {
  SourceDescriptions,
  SourceTableCatalog,
  SourceUniqueKey,
  TableDeclarations,
} from '../source/catalog-facts';

export interface ServerInfo {
  version: string;
  databaseName: string;
  productVersion: string;
}

export async function readServerInfo(pool: SourcePool): Promise<ServerInfo> {
  const [row] = await queryRows<{ version: string; database_name: string; product_version: string }>(pool, {
    text: SERVER_INFO_QUERY,
    params: {},
  });
  return {
    version: row!.version,
    databaseName: row!.database_name,
    productVersion: String(row!.product_version),
  };
}

/** sys.databases.snapshot_isolation_state_desc of the connected database: ON when SNAPSHOT reads may run. */
export async function readSnapshotIsolation(pool: SourcePool): Promise<string> {
  const [row] = await queryRows<{ state: string }>(pool, { text: SNAPSHOT_ISOLATION_QUERY, params: {} });
  return row?.state ?? 'unknown';
}

/** Every user table of the database (base tables only), as the catalog spells their names. */
export async function listBaseTables(pool: SourcePool): Promise<SourceTableRef[]> {
  const rows = await queryRows<{ schema_name: string; table_name: string }>(pool, {
    text: BASE_TABLES_QUERY,
    params: {},
  });
  return rows.map((r) => ({ schema: r.schema_name, table: r.table_name }));
}

interface ColumnRow extends Record<string, unknown> {
  COLUMN_NAME: string;
  ORDINAL_POSITION: number;
  DATA_TYPE: string;
  CHARACTER_MAXIMUM_LENGTH: number | null;
  NUMERIC_PRECISION: number | null;
  NUMERIC_SCALE: number | null;
  DATETIME_PRECISION: number | null;
  IS_NULLABLE: string;
  COLUMN_DEFAULT: string | null;
  COLLATION_NAME: string | null;
}

interface FlagRow extends Record<string, unknown> {
  name: string;
  is_identity: boolean;
  is_computed: boolean;
  default_object_id: number;
  identity_seed: string | null;
  identity_increment: string | null;
}

const notFound = (ref: SourceTableRef) =>
  new MigrationError(
    'SourceTableNotFound',
    `The table ${displayTableName(ref)} does not exist in the source database (or the login cannot see it).`,
  );

/** The catalog's columns (INFORMATION_SCHEMA.COLUMNS with sys.columns' flags), in ordinal order. */
function catalogColumns(columns: ColumnRow[], flags: FlagRow[]): SourceTableCatalog['columns'] {
  const flagsByName = new Map(flags.map((f) => [f.name, f]));
  return columns.map((c) => ({
    name: c.COLUMN_NAME,
    ordinal: Number(c.ORDINAL_POSITION),
    dataType: c.DATA_TYPE.toLowerCase(),
    charMaxLength: c.CHARACTER_MAXIMUM_LENGTH === null ? null : Number(c.CHARACTER_MAXIMUM_LENGTH),
    numericPrecision: c.NUMERIC_PRECISION === null ? null : Number(c.NUMERIC_PRECISION),
    numericScale: c.NUMERIC_SCALE === null ? null : Number(c.NUMERIC_SCALE),
    datetimePrecision: c.DATETIME_PRECISION === null ? null : Number(c.DATETIME_PRECISION),
    nullable: c.IS_NULLABLE === 'YES',
    isIdentity: Boolean(flagsByName.get(c.COLUMN_NAME)?.is_identity),
    isComputed: Boolean(flagsByName.get(c.COLUMN_NAME)?.is_computed),
    ...(c.COLLATION_NAME === null ? {} : { collation: c.COLLATION_NAME }),
  }));
}

const objectIdentity = (row: { object_id: number; create_date: string }) =>
  `${row.object_id} ${row.create_date}`;

export async function readTableCatalog(pool: SourcePool, ref: SourceTableRef): Promise<SourceTableCatalog> {
  const names = { text: '', params: { schema: ref.schema, table: ref.table } };
  const [table] = await queryRows<{ TABLE_TYPE: string }>(pool, { ...names, text: TABLE_TYPE_QUERY });
  if (!table) throw notFound(ref);
  const [columns, flags, key, [object]] = await Promise.all([
    queryRows<ColumnRow>(pool, { ...names, text: COLUMNS_QUERY }),
    queryRows<FlagRow>(pool, { ...names, text: COLUMN_FLAGS_QUERY }),
    queryRows<{ COLUMN_NAME: string }>(pool, { ...names, text: PRIMARY_KEY_QUERY }),
    queryRows<{ object_id: number; create_date: string }>(pool, { ...names, text: OBJECT_IDENTITY_QUERY }),
  ]);
  const flagsByName = new Map(flags.map((f) => [f.name, f]));
  const identity = flags.find(
    (f) => f.is_identity && f.identity_seed !== null && f.identity_increment !== null,
  );
  return {
    type: table.TABLE_TYPE === 'VIEW' ? 'VIEW' : 'BASE TABLE',
    columns: catalogColumns(columns, flags),
    primaryKey: key.map((k) => k.COLUMN_NAME),
    defaults: columns.flatMap((c): SourceTableCatalog['defaults'] => {
      if (c.COLUMN_DEFAULT !== null) return [{ column: c.COLUMN_NAME, definition: c.COLUMN_DEFAULT }];
      const hidden = Number(flagsByName.get(c.COLUMN_NAME)?.default_object_id ?? 0) !== 0;
      return hidden ? [{ column: c.COLUMN_NAME, definition: null }] : [];
    }),
    // Missing only when the table was dropped between the queries; the next batch then finds no table.
    objectIdentity: object ? objectIdentity(object) : 'dropped',
    ...(identity
      ? {
          identity: {
            column: identity.name,
            seed: identity.identity_seed!,
            increment: identity.identity_increment!,
          },
        }
      : {}),
  };
}

/**
 * What each step checks against the analysis before it touches the table (src/activities/table-shapes.ts):
 * its columns as readTableCatalog reads them and its object identity, in one round trip. sp_executesql
 * runs a batch of several statements, each sending its own result set
 * (https://learn.microsoft.com/en-us/sql/relational-databases/system-stored-procedures/sp-executesql-transact-sql),
 * which mssql returns as `recordsets` (https://github.com/tediousjs/node-mssql#query-command-callback).
 * A table that is no longer there has no row in sys.objects: refused as readTableCatalog refuses it.
 */
export async function readShapeCheck(
  pool: SourcePool,
  ref: SourceTableRef,
): Promise<Pick<SourceTableCatalog, 'columns' | 'objectIdentity'>> {
  const result = await bindRequest(pool, {
    text: '',
    params: { schema: ref.schema, table: ref.table },
  }).query(SHAPE_CHECK_QUERY);
  const [columns, flags, [identity]] = result.recordsets as unknown as [
    ColumnRow[],
    FlagRow[],
    { object_id: number; create_date: string }[],
  ];
  if (!identity) throw notFound(ref);
  return { columns: catalogColumns(columns, flags), objectIdentity: objectIdentity(identity) };
}

export async function readUniqueKeys(pool: SourcePool, ref: SourceTableRef): Promise<SourceUniqueKey[]> {
  const rows = await queryRows<{ CONSTRAINT_NAME: string; COLUMN_NAME: string }>(pool, {
    text: UNIQUE_KEYS_QUERY,
    params: { schema: ref.schema, table: ref.table },
  });
  const keys = new Map<string, string[]>();
  for (const r of rows) keys.set(r.CONSTRAINT_NAME, [...(keys.get(r.CONSTRAINT_NAME) ?? []), r.COLUMN_NAME]);
  return [...keys].map(([name, columns]) => ({ name, columns }));
}

/**
 * The table's and its columns' descriptions, or why they could not be read: they are comments only, so a
 * server that refuses the catalog view costs them, not the migration (`discover` says why).
 */
export async function readDescriptions(
  pool: SourcePool,
  ref: SourceTableRef,
): Promise<SourceDescriptions | { unknown: string }> {
  try {
    const rows = await queryRows<{ column_name: string | null; description: string | null }>(pool, {
      text: DESCRIPTIONS_QUERY,
      params: { schema: ref.schema, table: ref.table },
    });
    return describedBy(rows);
  } catch (err) {
    return { unknown: `sys.extended_properties: ${(err as Error).message}` };
  }
}

export async function readTableDeclarations(
  pool: SourcePool,
  ref: SourceTableRef,
): Promise<TableDeclarations> {
  const names = { params: { schema: ref.schema, table: ref.table } };
  const [constraints, indexes] = await Promise.all([
    queryRows<{ CONSTRAINT_NAME: string; CONSTRAINT_TYPE: string }>(pool, {
      ...names,
      text: OTHER_CONSTRAINTS_QUERY,
    }),
    queryRows<{ name: string; type_desc: string; is_unique: boolean }>(pool, {
      ...names,
      text: INDEXES_QUERY,
    }),
  ]);
  return {
    constraints: constraints.map((c) => ({ name: c.CONSTRAINT_NAME, type: c.CONSTRAINT_TYPE })),
    indexes: indexes.map((i) => ({ name: i.name, type: i.type_desc, unique: Boolean(i.is_unique) })),
  };
}

/**
 * Bytes of data and indexes (sp_spaceused's data + index_size), or why it is unknown: the view needs a
 * permission the migrator otherwise does not (VIEW DATABASE STATE), so its absence is no error.
 */
export async function readTableSize(
  pool: SourcePool,
  ref: SourceTableRef,
): Promise<{ bytes: number } | { unknown: string }> {
  try {
    const [row] = await queryRows<{ used_bytes: number | string | null }>(pool, {
      text: TABLE_SIZE_QUERY,
      params: { schema: ref.schema, table: ref.table },
    });
    return { bytes: Number(row?.used_bytes ?? 0) };
  } catch (err) {
    return { unknown: `sys.dm_db_partition_stats: ${(err as Error).message}` };
  }
}

/** Runs a query whose only user-written text is the filter, so that SQL Server's complaints name it. */
async function withFilter<T>(
  ref: SourceTableRef,
  filter: string | undefined,
  query: () => Promise<T>,
): Promise<T> {
  try {
    return await query();
  } catch (err) {
    throw (filter && classifyFilterError(err, displayTableName(ref), filter)) || err;
  }
}

export async function countRows(pool: SourcePool, ref: SourceTableRef, filter?: string): Promise<number> {
  const [row] = await withFilter(ref, filter, () =>
    queryRows<{ row_count: string | number }>(pool, { text: countRowsQuery(ref, filter), params: {} }),
  );
  return Number(row!.row_count);
}

/** The catalog's estimate of a table's rows (ROW_ESTIMATE_QUERY); null for a view, which has none. */
export async function estimateRows(pool: SourcePool, ref: SourceTableRef): Promise<number | null> {
  const [row] = await queryRows<{ row_count: string | number | null }>(pool, {
    text: ROW_ESTIMATE_QUERY,
    params: { schema: ref.schema, table: ref.table },
  });
  return row?.row_count === null || row?.row_count === undefined ? null : Number(row.row_count);
}

/** Has SQL Server compile the filter against the table without reading a row (`check`). */
export async function compileFilter(pool: SourcePool, ref: SourceTableRef, filter: string): Promise<void> {
  await withFilter(ref, filter, () => queryRows(pool, { text: compileFilterQuery(ref, filter), params: {} }));
}

/** Fixed roles and database permissions of the login that allow more than reading (empty: read-only). */
export async function readWriteAccess(pool: SourcePool): Promise<string[]> {
  const [row] = await queryRows<Record<string, number | null>>(pool, {
    text: WRITE_ACCESS_QUERY,
    params: {},
  });
  return writeAccessOf(row!);
}

/** Whether the login holds UNMASK and may read the security policies (database-level grants). */
export async function readReadPermissions(
  pool: SourcePool,
): Promise<{ unmask: boolean; viewDefinition: boolean; readsPolicies: boolean }> {
  const [row] = await queryRows<Record<string, number | null>>(pool, {
    text: READ_PERMISSIONS_QUERY,
    params: {},
  });
  return {
    unmask: row?.unmask === 1,
    viewDefinition: row?.view_definition === 1,
    readsPolicies: row?.view_definition === 1 || row?.alter_any_security_policy === 1,
  };
}

/** What `check` lists: the login's database permissions and its SELECT and VIEW CHANGE TRACKING per table. */
export async function readHeldPermissions(
  pool: SourcePool,
  tables: SourceTableRef[],
): Promise<HeldPermissions> {
  const read = await readReadPermissions(pool);
  const [state] = await queryRows<Record<string, number | null>>(pool, {
    text: DATABASE_STATE_PERMISSIONS_QUERY,
    params: {},
  });
  const perTable = [];
  for (const ref of tables) {
    const [row] = await queryRows<Record<string, number | null>>(pool, {
      text: TABLE_PERMISSIONS_QUERY,
      params: { name: qualifiedTable(ref) },
    });
    perTable.push({
      table: displayTableName(ref),
      select: row?.select === 1,
      viewChangeTracking: row?.view_change_tracking === 1,
    });
  }
  return {
    unmask: read.unmask,
    viewDefinition: read.viewDefinition,
    readsPolicies: read.readsPolicies,
    viewDatabaseState: state?.view_database_state === 1 || state?.view_database_performance_state === 1,
    tables: perTable,
  };
}

/**
 * Masked columns and enabled filter predicates of a table, and whether the login holds UNMASK. A view
 * that cannot be read, or policies the login may not see, make the answer unknown, never "none".
 */
export async function readReadRestrictions(
  pool: SourcePool,
  ref: SourceTableRef,
  type: SourceTableCatalog['type'],
): Promise<ReadRestrictions> {
  const params = { schema: ref.schema, table: ref.table };
  const permissions = await readReadPermissions(pool);
  if (type === 'VIEW') return viewRestrictions(displayTableName(ref), permissions.unmask);
  const restrictions: ReadRestrictions = { unmask: permissions.unmask, maskedColumns: [], filters: [] };
  try {
    const rows = await queryRows<{ name: string; masking_function: string | null }>(pool, {
      text: MASKED_COLUMNS_QUERY,
      params,
    });
    restrictions.maskedColumns = rows.map((r) => ({
      column: r.name,
      maskingFunction: r.masking_function ?? 'unknown function',
    }));
  } catch (err) {
    restrictions.masksUnknown = {
      why: `sys.masked_columns could not be read (${(err as Error).message})`,
      todo: 'Grant the login VIEW DEFINITION on the database',
    };
  }
  if (!permissions.readsPolicies) {
    // sys.security_policies shows a login only the policies it may see: without these grants, an empty
    // answer would not mean that no policy filters the table.
    restrictions.filtersUnknown = {
      why: 'the login lacks VIEW DEFINITION (and ALTER ANY SECURITY POLICY), without which sys.security_policies shows it no policy',
      todo: 'Grant the login VIEW DEFINITION on the database',
    };
    return restrictions;
  }
  try {
    const rows = await queryRows<{
      policy_schema: string;
      policy_name: string;
      predicate_definition: string;
    }>(pool, { text: FILTER_PREDICATES_QUERY, params });
    restrictions.filters = rows.map((r) => ({
      policy: `${r.policy_schema}.${r.policy_name}`,
      predicate: r.predicate_definition,
    }));
  } catch (err) {
    restrictions.filtersUnknown = {
      why: `sys.security_policies could not be read (${(err as Error).message})`,
      todo: 'Grant the login VIEW DEFINITION on the database',
    };
  }
  return restrictions;
}

/** Error 207, Invalid column name: the catalog view predates the column. */
const isInvalidColumn = (err: unknown) => (err as { number?: number })?.number === 207;

/**
 * Memory-optimized, system-versioned or history table, period and Always Encrypted columns
 * (src/source/table-kinds.ts). A view has none of its own: sys.tables has no row for it. The
 * catalog columns came with the features (SQL Server 2014: is_memory_optimized; 2016: the rest), so a
 * server without them is found at run time (207) and has none of those kinds.
 */
export async function readTableKind(
  pool: SourceReader,
  ref: SourceTableRef,
  type: SourceTableCatalog['type'],
): Promise<TableKind> {
  if (type === 'VIEW') return ORDINARY_TABLE;
  try {
    return await readTableKind2016(pool, ref);
  } catch (err) {
    if (!isInvalidColumn(err)) throw err;
  }
  try {
    const [table] = await queryRows<{ is_memory_optimized: boolean | null }>(pool, {
      text: MEMORY_OPTIMIZED_QUERY,
      params: { schema: ref.schema, table: ref.table },
    });
    return { ...ORDINARY_TABLE, memoryOptimized: Boolean(table?.is_memory_optimized) };
  } catch (err) {
    if (isInvalidColumn(err)) return ORDINARY_TABLE;
    throw err;
  }
}

async function readTableKind2016(pool: SourceReader, ref: SourceTableRef): Promise<TableKind> {
  const params = { schema: ref.schema, table: ref.table };
  const [[table], columns] = await Promise.all([
    queryRows<{
      is_memory_optimized: boolean | null;
      temporal_type: number | null;
      history_schema: string | null;
      history_table: string | null;
      current_schema: string | null;
      current_table: string | null;
    }>(pool, { text: TABLE_KIND_QUERY, params }),
    queryRows<{
      name: string;
      generated_always_type: number;
      generated_always_type_desc: string;
      is_hidden: boolean;
      encryption_type_desc: string | null;
    }>(pool, { text: KIND_COLUMNS_QUERY, params }),
  ]);
  if (!table) return ORDINARY_TABLE;
  const temporalType = Number(table.temporal_type ?? 0);
  const name = (schema: string | null, t: string | null) =>
    schema !== null && t !== null ? displayTableName({ schema, table: t }) : undefined;
  const related =
    temporalType === 2
      ? name(table.history_schema, table.history_table)
      : temporalType === 1
        ? name(table.current_schema, table.current_table)
        : undefined;
  return {
    memoryOptimized: Boolean(table.is_memory_optimized),
    temporalType: temporalType === 1 || temporalType === 2 ? temporalType : 0,
    ...(related ? { related } : {}),
    periodColumns: columns
      .filter((c) => c.generated_always_type === 1 || c.generated_always_type === 2)
      .map((c) => ({
        column: c.name,
        generated: c.generated_always_type_desc.replace(/_/g, ' '),
        hidden: Boolean(c.is_hidden),
      })),
    encryptedColumns: columns
      .filter((c) => c.encryption_type_desc !== null)
      .map((c) => ({ column: c.name, encryption: c.encryption_type_desc! })),
  };
}
