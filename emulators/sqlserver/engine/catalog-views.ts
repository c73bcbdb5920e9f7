/**
 * INFORMATION_SCHEMA and sys views, shaped as SQL Server returns them: same column names, types and
 * values, computed from the catalog for the database a query runs in.
 */
import { COLLATION_NAME } from '../collation';
import { DAY_1900, DATETIME_UNITS_PER_DAY, daysFromCivil } from '../types/datetime';
import type { SqlType, SqlTypeName } from '../types/sql-type';
import {
  BIT,
  INT,
  MAX,
  SYSNAME,
  SYSTEM_TYPE_IDS,
  USER_TYPE_IDS,
  catalogPrecision,
  catalogScale,
  isExactNumeric,
  isIntegerType,
  isStringType,
  isUnicodeType,
  maxLengthBytes,
  nvarchar,
  precisionOf,
  scaleOf,
  varchar,
} from '../types/sql-type';
import type { SqlValue } from '../types/values';
import {
  sameName,
  type Catalog,
  type ColumnInfo,
  type DatabaseInfo,
  type KeyConstraint,
  type TableInfo,
} from './catalog';
import { RETENTION_UNIT_CODES, minValidVersion } from './change-tracking';
import { CLASS_DESC } from './extended-properties';
import type { Principal } from './security';

export interface CatalogView {
  schema: 'INFORMATION_SCHEMA' | 'sys';
  name: string;
  columns: ColumnInfo[];
  /** `principal`: who reads, for the views whose rows depend on permissions. */
  rows(catalog: Catalog, database: string, principal: Principal): SqlValue[][];
  /**
   * A column holding the row count of the table whose object id is in column `table`: the query counts
   * the rows itself (engine/select.ts), so the view needs no count kept beside the data.
   */
  rowCount?: { column: number; table: number };
}

const TINYINT: SqlType = { name: 'tinyint' };
const BIGINT: SqlType = { name: 'bigint' };
const SMALLINT: SqlType = { name: 'smallint' };
const DATETIME: SqlType = { name: 'datetime' };
const VARIANT: SqlType = { name: 'sql_variant' };

function columns(spec: [string, SqlType, boolean?][]): ColumnInfo[] {
  return spec.map(([name, type, nullable]) => ({ name, type, nullable: nullable ?? true }));
}

const datetimeOf = (ms: number): number => {
  const d = new Date(ms);
  const days = daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  const msOfDay = ms - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return (days - DAY_1900) * DATETIME_UNITS_PER_DAY + Math.round((msOfDay * 3) / 10);
};

/** Datetime types in INFORMATION_SCHEMA: precision in DATETIME_PRECISION, no NUMERIC_SCALE. */
const DATE_TYPES = new Set<SqlTypeName>([
  'date',
  'time',
  'datetime2',
  'datetimeoffset',
  'smalldatetime',
  'datetime',
]);

function infoCharacterMaximumLength(t: SqlType): number | null {
  switch (t.name) {
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
    case 'binary':
    case 'varbinary':
      return t.length === MAX ? -1 : t.length!;
    case 'text':
    case 'image':
      return 2_147_483_647;
    case 'ntext':
      return 1_073_741_823;
    case 'xml':
      return -1;
    default:
      return null;
  }
}

function infoOctetLength(t: SqlType): number | null {
  const chars = infoCharacterMaximumLength(t);
  if (chars === null || chars === -1) return chars;
  if (t.name === 'ntext') return 2_147_483_646;
  return isUnicodeType(t) ? chars * 2 : chars;
}

function infoNumericPrecision(t: SqlType): number | null {
  if (isExactNumeric(t)) return precisionOf(t);
  if (t.name === 'float') return 53;
  if (t.name === 'real') return 24;
  return null;
}

function infoNumericRadix(t: SqlType): number | null {
  if (isExactNumeric(t)) return 10;
  if (t.name === 'float' || t.name === 'real') return 2;
  return null;
}

function infoNumericScale(t: SqlType): number | null {
  return isExactNumeric(t) ? scaleOf(t) : null;
}

function infoDatetimePrecision(t: SqlType): number | null {
  if (!DATE_TYPES.has(t.name)) return null;
  if (t.name === 'date' || t.name === 'smalldatetime') return 0;
  if (t.name === 'datetime') return 3;
  return t.scale ?? 7;
}

/** SQL Server keeps defaults in a normalised text: numbers in double parentheses, the rest in single. */
export function normalizeDefault(source: string): string {
  const text = source
    .trim()
    .replace(/^\((.*)\)$/s, '$1')
    .trim();
  if (/^[+-]?\d+(\.\d*)?$/.test(text)) return `((${text}))`;
  if (/^\w+\s*\(\s*\)$/.test(text)) return `(${text.replace(/\s+/g, '').toLowerCase()})`;
  return `(${text})`;
}

/**
 * sys.databases' recovery_model (1 FULL, 2 BULK_LOGGED, 3 SIMPLE,
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-databases-transact-sql):
 * a new database takes model's, FULL on the Developer edition the stand-in reports; master is SIMPLE
 * (https://learn.microsoft.com/sql/relational-databases/databases/master-database).
 */
function recoveryModel(d: DatabaseInfo): [number, string] {
  const model = d.recoveryModel ?? (d.name.toLowerCase() === 'master' ? 'SIMPLE' : 'FULL');
  return [{ FULL: 1, BULK_LOGGED: 2, SIMPLE: 3 }[model], model];
}

const constraintObjectId = {
  primaryKey: (t: TableInfo) => t.objectId + 1,
  unique: (t: TableInfo, i: number) => t.objectId + 2 + i,
  foreignKey: (t: TableInfo, i: number) => t.objectId + 100 + i,
  default: (t: TableInfo, ordinal: number) => t.objectId + 200 + ordinal,
  check: (t: TableInfo, i: number) => t.objectId + 300 + i,
};

function keyConstraints(
  t: TableInfo,
): { kind: 'PRIMARY KEY' | 'UNIQUE' | 'FOREIGN KEY'; key: KeyConstraint; objectId: number }[] {
  return [
    ...(t.primaryKey
      ? [{ kind: 'PRIMARY KEY' as const, key: t.primaryKey, objectId: constraintObjectId.primaryKey(t) }]
      : []),
    ...t.uniques.map((key, i) => ({
      kind: 'UNIQUE' as const,
      key,
      objectId: constraintObjectId.unique(t, i),
    })),
    ...t.foreignKeys.map((key, i) => ({
      kind: 'FOREIGN KEY' as const,
      key,
      objectId: constraintObjectId.foreignKey(t, i),
    })),
  ];
}

function schemaId(catalog: Catalog, database: string, schema: string): number {
  return catalog.schema(database, schema)?.id ?? 1;
}

const columnId = (t: TableInfo, name: string): number => t.columns.findIndex((c) => c.name === name) + 1;

/** A column named as a constraint's definition wrote it: SQL Server's default collation ignores case. */
const columnIdByName = (t: TableInfo, name: string): number =>
  t.columns.findIndex((c) => sameName(c.name, name)) + 1;

/** Whether two column lists hold the same names, in any order (names compared as SQL Server does). */
const sameColumnSet = (a: string[], b: string[]): boolean =>
  a.length === b.length && a.every((x) => b.some((y) => sameName(x, y)));

interface IndexRow {
  id: number;
  name: string | null;
  clustered: boolean;
  key?: KeyConstraint;
  primary: boolean;
  unique: boolean;
  /** Backs a UNIQUE constraint (not a CREATE UNIQUE INDEX). */
  constraint: boolean;
}

/**
 * sys.indexes of a table: the primary key clustered (id 1), or a heap (id 0) without one; then unique
 * constraints and CREATE INDEX indexes. A clustered index made by CREATE INDEX replaces the heap.
 */
function indexesOf(t: TableInfo): IndexRow[] {
  const created = t.indexes ?? [];
  const clustered = created.find((ix) => ix.clustered);
  const indexes: IndexRow[] = [];
  if (t.primaryKey) {
    indexes.push({
      id: 1,
      name: t.primaryKey.name,
      clustered: true,
      key: t.primaryKey,
      primary: true,
      unique: true,
      constraint: false,
    });
  } else if (clustered) {
    indexes.push({
      id: 1,
      name: clustered.name,
      clustered: true,
      key: clustered,
      primary: false,
      unique: clustered.unique,
      constraint: false,
    });
  } else
    indexes.push({ id: 0, name: null, clustered: false, primary: false, unique: false, constraint: false });
  for (const key of t.uniques) {
    indexes.push({
      id: indexes.length + 1,
      name: key.name,
      clustered: false,
      key,
      primary: false,
      unique: true,
      constraint: true,
    });
  }
  for (const ix of created) {
    if (ix === clustered && !t.primaryKey) continue;
    indexes.push({
      id: indexes.length + 1,
      name: ix.name,
      clustered: false,
      key: ix,
      primary: false,
      unique: ix.unique,
      constraint: false,
    });
  }
  return indexes;
}

const SYSTEM_TYPES: SqlTypeName[] = [
  'image',
  'text',
  'uniqueidentifier',
  'date',
  'time',
  'datetime2',
  'datetimeoffset',
  'tinyint',
  'smallint',
  'int',
  'smalldatetime',
  'real',
  'money',
  'datetime',
  'float',
  'sql_variant',
  'ntext',
  'bit',
  'decimal',
  'numeric',
  'smallmoney',
  'bigint',
  'varbinary',
  'varchar',
  'binary',
  'char',
  'nvarchar',
  'nchar',
  'xml',
];

const defaultTypeOf = (name: SqlTypeName): SqlType => {
  switch (name) {
    case 'decimal':
    case 'numeric':
      return { name, precision: 38, scale: 38 };
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return { name, scale: 7 };
    case 'varchar':
    case 'char':
    case 'varbinary':
    case 'binary':
      return { name, length: 8000 };
    case 'nvarchar':
    case 'nchar':
      return { name, length: 4000 };
    default:
      return { name };
  }
};

/** sys.identity_columns begins as sys.columns does. */
const COLUMN_HEAD: [string, SqlType, boolean?][] = [
  ['object_id', INT, false],
  ['name', SYSNAME],
  ['column_id', INT, false],
  ['system_type_id', TINYINT, false],
  ['user_type_id', INT, false],
  ['max_length', SMALLINT, false],
  ['precision', TINYINT, false],
  ['scale', TINYINT, false],
];

/** The columns that sys.tables, sys.objects and sys.key_constraints share, as SQL Server's views do. */
const OBJECT_HEAD: [string, SqlType, boolean?][] = [
  ['name', SYSNAME, false],
  ['object_id', INT, false],
  ['principal_id', INT],
  ['schema_id', INT, false],
  ['parent_object_id', INT, false],
  ['type', { name: 'char', length: 2 }],
  ['type_desc', nvarchar(60)],
];
const OBJECT_DATES: [string, SqlType, boolean?][] = [
  ['create_date', DATETIME, false],
  ['modify_date', DATETIME, false],
  ['is_ms_shipped', BIT, false],
];

/** Values for OBJECT_HEAD (principal_id is always NULL: objects belong to their schema's owner). */
function objectHead(
  name: string,
  id: number,
  schema: number,
  parent: number,
  type: string,
  desc: string,
): SqlValue[] {
  return [name, id, null, schema, parent, type, desc];
}

/** sys.objects' type and type_desc of each kind of key constraint. */
const CONSTRAINT_TYPES: Record<'PRIMARY KEY' | 'UNIQUE' | 'FOREIGN KEY', [string, string]> = {
  'PRIMARY KEY': ['PK', 'PRIMARY_KEY_CONSTRAINT'],
  UNIQUE: ['UQ', 'UNIQUE_CONSTRAINT'],
  'FOREIGN KEY': ['F ', 'FOREIGN_KEY_CONSTRAINT'],
};

function columnHead(t: TableInfo, c: ColumnInfo, i: number): SqlValue[] {
  const id = SYSTEM_TYPE_IDS[c.type.name];
  return [
    t.objectId,
    c.name,
    i + 1,
    id,
    USER_TYPE_IDS[c.type.name] ?? id,
    maxLengthBytes(c.type),
    catalogPrecision(c.type),
    catalogScale(c.type),
  ];
}

const SYS_COLUMNS: [string, SqlType, boolean?][] = [
  ...COLUMN_HEAD,
  ['collation_name', SYSNAME],
  ['is_nullable', BIT],
  ['is_ansi_padded', BIT, false],
  ['is_rowguidcol', BIT, false],
  ['is_identity', BIT, false],
  ['is_computed', BIT, false],
  ['is_filestream', BIT, false],
  ['is_replicated', BIT],
  ['is_sparse', BIT],
  ['is_column_set', BIT],
  ['default_object_id', INT, false],
  ['rule_object_id', INT, false],
  // https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-columns-transact-sql
  // (SQL Server 2016 and later). The column encryption key's id is not modelled: the stand-in keeps its
  // name only, so column_encryption_key_id is left out (a query naming it gets 207, not a made-up id).
  ['is_hidden', BIT],
  ['generated_always_type', TINYINT],
  ['generated_always_type_desc', nvarchar(60)],
  ['encryption_type', INT],
  ['encryption_type_desc', nvarchar(64)],
  ['encryption_algorithm_name', SYSNAME],
];

const TEMPORAL_TYPES = ['NON_TEMPORAL_TABLE', 'HISTORY_TABLE', 'SYSTEM_VERSIONED_TEMPORAL_TABLE'];
const GENERATED_ALWAYS_TYPES = { AS_ROW_START: 1, AS_ROW_END: 2 } as const;
const ENCRYPTION_TYPES = { DETERMINISTIC: 1, RANDOMIZED: 2 } as const;

function sysColumnsRow(t: TableInfo, c: ColumnInfo, i: number): SqlValue[] {
  return [
    ...columnHead(t, c, i),
    isStringType(c.type) ? COLLATION_NAME : null,
    c.nullable,
    isStringType(c.type) || c.type.name === 'binary' || c.type.name === 'varbinary',
    false,
    c.identity !== undefined,
    c.computed !== undefined,
    false,
    false,
    false,
    false,
    c.default ? constraintObjectId.default(t, i + 1) : 0,
    0,
    c.hidden === true,
    c.generatedAlways ? GENERATED_ALWAYS_TYPES[c.generatedAlways] : 0,
    c.generatedAlways ?? 'NOT_APPLICABLE',
    c.encryption ? ENCRYPTION_TYPES[c.encryption.type] : null,
    c.encryption?.type ?? null,
    c.encryption?.algorithm ?? null,
  ];
}

/**
 * Whether a principal sees the definitions of defaults: OBJECT_DEFINITION, which INFORMATION_SCHEMA.COLUMNS'
 * COLUMN_DEFAULT shows, is NULL for a caller without permission to view it, and "the definition of user
 * objects is visible to the object owner or grantees that have any one of the following permissions:
 * ALTER, CONTROL, TAKE OWNERSHIP, or VIEW DEFINITION"
 * (https://learn.microsoft.com/en-us/sql/t-sql/functions/object-definition-transact-sql). Only
 * database-level grants exist here (CONTROL includes the others).
 */
const seesDefinitions = (catalog: Catalog, principal: Principal): boolean =>
  catalog.security.holds(principal, 'VIEW DEFINITION') || catalog.security.holds(principal, 'ALTER');

const seesPolicies = (catalog: Catalog, principal: Principal): boolean =>
  catalog.security.holds(principal, 'VIEW DEFINITION') ||
  catalog.security.holds(principal, 'ALTER ANY SECURITY POLICY');

export const CATALOG_VIEWS: CatalogView[] = [
  {
    schema: 'INFORMATION_SCHEMA',
    name: 'TABLES',
    columns: columns([
      ['TABLE_CATALOG', SYSNAME],
      ['TABLE_SCHEMA', SYSNAME],
      ['TABLE_NAME', SYSNAME, false],
      ['TABLE_TYPE', varchar(10)],
    ]),
    rows: (catalog, database) =>
      catalog.tablesOf(database).map((t) => [database, t.schema, t.name, 'BASE TABLE']),
  },
  {
    schema: 'INFORMATION_SCHEMA',
    name: 'COLUMNS',
    columns: columns([
      ['TABLE_CATALOG', SYSNAME],
      ['TABLE_SCHEMA', SYSNAME],
      ['TABLE_NAME', SYSNAME, false],
      ['COLUMN_NAME', SYSNAME],
      ['ORDINAL_POSITION', INT],
      ['COLUMN_DEFAULT', nvarchar(4000)],
      ['IS_NULLABLE', varchar(3)],
      ['DATA_TYPE', SYSNAME],
      ['CHARACTER_MAXIMUM_LENGTH', INT],
      ['CHARACTER_OCTET_LENGTH', INT],
      ['NUMERIC_PRECISION', TINYINT],
      ['NUMERIC_PRECISION_RADIX', SMALLINT],
      ['NUMERIC_SCALE', INT],
      ['DATETIME_PRECISION', SMALLINT],
      ['CHARACTER_SET_CATALOG', SYSNAME],
      ['CHARACTER_SET_SCHEMA', SYSNAME],
      ['CHARACTER_SET_NAME', SYSNAME],
      ['COLLATION_CATALOG', SYSNAME],
      ['COLLATION_SCHEMA', SYSNAME],
      ['COLLATION_NAME', SYSNAME],
      ['DOMAIN_CATALOG', SYSNAME],
      ['DOMAIN_SCHEMA', SYSNAME],
      ['DOMAIN_NAME', SYSNAME],
    ]),
    rows: (catalog, database, principal) => {
      const definitions = seesDefinitions(catalog, principal);
      return catalog.tablesOf(database).flatMap((t) =>
        t.columns.map((c, i) => {
          const textual = isStringType(c.type);
          return [
            database,
            t.schema,
            t.name,
            c.name,
            i + 1,
            c.default && definitions ? normalizeDefault(c.default.source) : null,
            c.nullable ? 'YES' : 'NO',
            c.type.name,
            infoCharacterMaximumLength(c.type),
            infoOctetLength(c.type),
            infoNumericPrecision(c.type),
            infoNumericRadix(c.type),
            infoNumericScale(c.type),
            infoDatetimePrecision(c.type),
            null,
            null,
            textual ? (isUnicodeType(c.type) ? 'UNICODE' : 'iso_1') : null,
            null,
            null,
            textual ? COLLATION_NAME : null,
            null,
            null,
            null,
          ];
        }),
      );
    },
  },
  {
    schema: 'INFORMATION_SCHEMA',
    name: 'TABLE_CONSTRAINTS',
    columns: columns([
      ['CONSTRAINT_CATALOG', SYSNAME],
      ['CONSTRAINT_SCHEMA', SYSNAME],
      ['CONSTRAINT_NAME', SYSNAME, false],
      ['TABLE_CATALOG', SYSNAME],
      ['TABLE_SCHEMA', SYSNAME],
      ['TABLE_NAME', SYSNAME, false],
      ['CONSTRAINT_TYPE', varchar(11)],
      ['IS_DEFERRABLE', varchar(2), false],
      ['INITIALLY_DEFERRED', varchar(2), false],
    ]),
    rows: (catalog, database) =>
      catalog
        .tablesOf(database)
        .flatMap((t) =>
          keyConstraints(t).map(({ kind, key }) => [
            database,
            t.schema,
            key.name,
            database,
            t.schema,
            t.name,
            kind,
            'NO',
            'NO',
          ]),
        ),
  },
  {
    schema: 'INFORMATION_SCHEMA',
    name: 'KEY_COLUMN_USAGE',
    columns: columns([
      ['CONSTRAINT_CATALOG', SYSNAME],
      ['CONSTRAINT_SCHEMA', SYSNAME],
      ['CONSTRAINT_NAME', SYSNAME, false],
      ['TABLE_CATALOG', SYSNAME],
      ['TABLE_SCHEMA', SYSNAME],
      ['TABLE_NAME', SYSNAME, false],
      ['COLUMN_NAME', SYSNAME],
      ['ORDINAL_POSITION', INT],
    ]),
    rows: (catalog, database) =>
      catalog
        .tablesOf(database)
        .flatMap((t) =>
          keyConstraints(t).flatMap(({ key }) =>
            key.columns.map((column, i) => [
              database,
              t.schema,
              key.name,
              database,
              t.schema,
              t.name,
              column,
              i + 1,
            ]),
          ),
        ),
  },
  {
    schema: 'INFORMATION_SCHEMA',
    name: 'REFERENTIAL_CONSTRAINTS',
    columns: columns([
      ['CONSTRAINT_CATALOG', SYSNAME],
      ['CONSTRAINT_SCHEMA', SYSNAME],
      ['CONSTRAINT_NAME', SYSNAME, false],
      ['UNIQUE_CONSTRAINT_CATALOG', SYSNAME],
      ['UNIQUE_CONSTRAINT_SCHEMA', SYSNAME],
      ['UNIQUE_CONSTRAINT_NAME', SYSNAME],
      ['MATCH_OPTION', varchar(7)],
      ['UPDATE_RULE', varchar(11)],
      ['DELETE_RULE', varchar(11)],
    ]),
    rows: (catalog, database) =>
      catalog.tablesOf(database).flatMap((t) =>
        t.foreignKeys.map((fk) => {
          const target = catalog.table(database, fk.refSchema, fk.refTable);
          // The PRIMARY KEY or UNIQUE constraint over the referenced columns (in any order), as SQL Server
          // names it (https://learn.microsoft.com/en-us/sql/relational-databases/system-information-schema-views/referential-constraints-transact-sql).
          const referenced = target
            ? [target.primaryKey, ...target.uniques].find((k) => k && sameColumnSet(k.columns, fk.refColumns))
            : undefined;
          return [
            database,
            t.schema,
            fk.name,
            database,
            fk.refSchema,
            referenced?.name ?? null,
            'SIMPLE',
            'NO ACTION',
            'NO ACTION',
          ];
        }),
      ),
  },
  {
    schema: 'INFORMATION_SCHEMA',
    name: 'SCHEMATA',
    columns: columns([
      ['CATALOG_NAME', SYSNAME],
      ['SCHEMA_NAME', SYSNAME, false],
      ['SCHEMA_OWNER', SYSNAME],
      ['DEFAULT_CHARACTER_SET_CATALOG', varchar(6)],
      ['DEFAULT_CHARACTER_SET_SCHEMA', varchar(3)],
      ['DEFAULT_CHARACTER_SET_NAME', SYSNAME],
    ]),
    rows: (catalog, database) =>
      (catalog.database(database)?.schemas ?? []).map((s) => [
        database,
        s.name,
        s.id <= 4 ? s.name : 'dbo',
        null,
        null,
        'iso_1',
      ]),
  },
  {
    schema: 'sys',
    name: 'schemas',
    columns: columns([
      ['name', SYSNAME, false],
      ['schema_id', INT, false],
      ['principal_id', INT],
    ]),
    rows: (catalog, database) =>
      (catalog.database(database)?.schemas ?? []).map((s) => [
        s.name,
        s.id,
        s.id === 3 || s.id === 4 ? 4 : 1,
      ]),
  },
  {
    // https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-xml-schema-collections-transact-sql
    // (the user's collections; xml-schema-collections.ts). Dates are those of the CREATE and last ALTER.
    schema: 'sys',
    name: 'xml_schema_collections',
    columns: columns([
      ['xml_collection_id', INT, false],
      ['schema_id', INT, false],
      ['principal_id', INT],
      ['name', SYSNAME, false],
      ['create_date', DATETIME, false],
      ['modify_date', DATETIME, false],
    ]),
    rows: (catalog, database) =>
      (catalog.database(database)?.xmlSchemaCollections ?? []).map((c) => [
        c.id,
        catalog.schema(database, c.schema)?.id ?? null,
        null,
        c.name,
        datetimeOf(Date.parse(c.created)),
        datetimeOf(Date.parse(c.modified)),
      ]),
  },
  {
    schema: 'sys',
    name: 'databases',
    columns: columns([
      ['name', SYSNAME],
      ['database_id', INT, false],
      ['create_date', DATETIME, false],
      ['compatibility_level', TINYINT, false],
      ['collation_name', SYSNAME],
      ['state', TINYINT],
      ['state_desc', nvarchar(60)],
      ['snapshot_isolation_state', TINYINT],
      ['snapshot_isolation_state_desc', nvarchar(60)],
      ['recovery_model', TINYINT],
      ['recovery_model_desc', nvarchar(60)],
    ]),
    rows: (catalog) =>
      catalog
        .allDatabases()
        .map((d) => [
          d.name,
          d.id,
          datetimeOf(0),
          160,
          COLLATION_NAME,
          0,
          'ONLINE',
          d.allowSnapshotIsolation ? 1 : 0,
          d.allowSnapshotIsolation ? 'ON' : 'OFF',
          ...recoveryModel(d),
        ]),
  },
  {
    // https://learn.microsoft.com/sql/relational-databases/system-catalog-views/change-tracking-catalog-views-sys-change-tracking-databases:
    // one row per database with change tracking on, its columns in the page's order. The page lists the
    // units' descriptions in prose (Minutes, Hours, Days); the server reports them in capitals, as
    // ALTER DATABASE spells them (MINUTES, HOURS, DAYS), so a client should compare without case.
    schema: 'sys',
    name: 'change_tracking_databases',
    columns: columns([
      ['database_id', INT, false],
      ['is_auto_cleanup_on', BIT],
      ['retention_period', INT],
      ['retention_period_units_desc', nvarchar(60)],
      ['retention_period_units', TINYINT],
    ]),
    rows: (catalog) =>
      catalog
        .allDatabases()
        .flatMap((d) =>
          d.changeTracking
            ? [
                [
                  d.id,
                  d.changeTracking.autoCleanup,
                  d.changeTracking.retention,
                  d.changeTracking.units,
                  RETENTION_UNIT_CODES[d.changeTracking.units],
                ],
              ]
            : [],
        ),
  },
  {
    // https://learn.microsoft.com/sql/relational-databases/system-catalog-views/change-tracking-catalog-views-sys-change-tracking-tables:
    // one row per tracked table of the current database.
    schema: 'sys',
    name: 'change_tracking_tables',
    columns: columns([
      ['object_id', INT, false],
      ['is_track_columns_updated_on', BIT, false],
      ['begin_version', BIGINT],
      ['cleanup_version', BIGINT],
      ['min_valid_version', BIGINT],
    ]),
    rows: (catalog, database) =>
      catalog
        .tablesOf(database)
        .flatMap((t) =>
          t.changeTracking
            ? [
                [
                  t.objectId,
                  false,
                  BigInt(t.changeTracking.beginVersion),
                  BigInt(t.changeTracking.cleanupVersion),
                  BigInt(minValidVersion(t.changeTracking)),
                ],
              ]
            : [],
        ),
  },
  {
    schema: 'sys',
    name: 'tables',
    columns: columns([
      ...OBJECT_HEAD,
      ...OBJECT_DATES,
      ['is_published', BIT, false],
      ['is_schema_published', BIT, false],
      ['max_column_id_used', INT, false],
      // https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-tables-transact-sql
      ['temporal_type', TINYINT],
      ['temporal_type_desc', nvarchar(60)],
      ['history_table_id', INT],
      ['is_memory_optimized', BIT],
      ['durability', TINYINT],
      ['durability_desc', nvarchar(60)],
    ]),
    rows: (catalog, database) =>
      catalog.tablesOf(database).map((t) => {
        const temporal = t.historyTableId !== undefined ? 2 : catalog.currentTableOf(t) ? 1 : 0;
        return [
          ...objectHead(t.name, t.objectId, schemaId(catalog, database, t.schema), 0, 'U ', 'USER_TABLE'),
          datetimeOf(t.createdMs),
          datetimeOf(t.createdMs),
          false,
          false,
          false,
          t.columns.length,
          temporal,
          TEMPORAL_TYPES[temporal]!,
          t.historyTableId ?? null,
          t.memoryOptimized === true,
          0,
          'SCHEMA_AND_DATA',
        ];
      }),
  },
  {
    schema: 'sys',
    name: 'objects',
    columns: columns([...OBJECT_HEAD, ...OBJECT_DATES]),
    rows: (catalog, database) =>
      catalog.tablesOf(database).flatMap((t) => {
        const schema = schemaId(catalog, database, t.schema);
        const created = datetimeOf(t.createdMs);
        const row = (name: string, id: number, parent: number, type: string, desc: string): SqlValue[] => [
          ...objectHead(name, id, schema, parent, type, desc),
          created,
          created,
          false,
        ];
        return [
          row(t.name, t.objectId, 0, 'U ', 'USER_TABLE'),
          ...keyConstraints(t).map(({ kind, key, objectId }) =>
            row(key.name, objectId, t.objectId, ...CONSTRAINT_TYPES[kind]),
          ),
          ...t.columns.flatMap((c, i) =>
            c.default
              ? [
                  row(
                    c.default.name,
                    constraintObjectId.default(t, i + 1),
                    t.objectId,
                    'D ',
                    'DEFAULT_CONSTRAINT',
                  ),
                ]
              : [],
          ),
          ...(t.checks ?? []).map((c, i) =>
            row(c.name, constraintObjectId.check(t, i), t.objectId, 'C ', 'CHECK_CONSTRAINT'),
          ),
        ];
      }),
  },
  {
    // https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-check-constraints-transact-sql:
    // sys.objects' columns, then the constraint's state and its definition. The definition is the
    // condition as written, in parentheses (SQL Server keeps a normalised text: [brackets], its own spacing).
    schema: 'sys',
    name: 'check_constraints',
    columns: columns([
      ...OBJECT_HEAD,
      ...OBJECT_DATES,
      ['is_published', BIT, false],
      ['is_schema_published', BIT, false],
      ['is_disabled', BIT, false],
      ['is_not_for_replication', BIT, false],
      ['is_not_trusted', BIT, false],
      ['parent_column_id', INT, false],
      ['definition', nvarchar(MAX)],
      ['uses_database_collation', BIT],
      ['is_system_named', BIT, false],
    ]),
    rows: (catalog, database) =>
      catalog
        .tablesOf(database)
        .flatMap((t) =>
          (t.checks ?? []).map((c, i) => [
            ...objectHead(
              c.name,
              constraintObjectId.check(t, i),
              schemaId(catalog, database, t.schema),
              t.objectId,
              'C ',
              'CHECK_CONSTRAINT',
            ),
            datetimeOf(t.createdMs),
            datetimeOf(t.createdMs),
            false,
            false,
            false,
            c.disabled === true,
            false,
            c.notTrusted === true || c.disabled === true,
            c.column === undefined ? 0 : t.columns.findIndex((x) => x.name === c.column) + 1,
            `(${c.source})`,
            true,
            c.name.startsWith('CK__'),
          ]),
        ),
  },
  {
    // https://learn.microsoft.com/sql/relational-databases/system-compatibility-views/sys-sysobjects-transact-sql:
    // the rows of sys.objects in SQL Server 2000's shape. Columns the page marks "identified for
    // informational purposes only" (info, status, sysstat, userstat, ...) are NULL: their values are not
    // documented. A primary key or unique constraint has type K.
    schema: 'sys',
    name: 'sysobjects',
    columns: columns([
      ['name', SYSNAME, false],
      ['id', INT, false],
      ['xtype', { name: 'char', length: 2 }, false],
      ['uid', SMALLINT],
      ['info', SMALLINT],
      ['status', INT],
      ['base_schema_ver', INT],
      ['replinfo', INT],
      ['parent_obj', INT, false],
      ['crdate', DATETIME, false],
      ['ftcatid', SMALLINT],
      ['schema_ver', INT],
      ['stats_schema_ver', INT],
      ['type', { name: 'char', length: 2 }],
      ['userstat', SMALLINT],
      ['sysstat', SMALLINT],
      ['indexdel', SMALLINT],
      ['refdate', DATETIME],
      ['version', INT],
      ['deltrig', INT],
      ['instrig', INT],
      ['updtrig', INT],
      ['seltrig', INT],
      ['category', INT],
      ['cache', SMALLINT],
    ]),
    rows: (catalog, database, principal) =>
      findCatalogView('sys', 'objects')!
        .rows(catalog, database, principal)
        .map((row): SqlValue[] => {
          const [name, id, , schema, parent, type, , created] = row as [
            SqlValue,
            SqlValue,
            SqlValue,
            SqlValue,
            SqlValue,
            SqlValue,
            SqlValue,
            SqlValue,
          ];
          const xtype = String(type);
          return [
            name,
            id,
            xtype,
            schema,
            null,
            null,
            null,
            null,
            parent,
            created,
            xtype === 'U ' ? 0 : null,
            0,
            null,
            xtype === 'PK' || xtype === 'UQ' ? 'K ' : xtype,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
          ];
        }),
  },
  {
    // https://learn.microsoft.com/sql/relational-databases/system-compatibility-views/sys-sysdatabases-transact-sql:
    // one row per database. Only the documented values are given: the status bits and the rest, which
    // the page leaves to the server, are NULL.
    schema: 'sys',
    name: 'sysdatabases',
    columns: columns([
      ['name', SYSNAME],
      ['dbid', SMALLINT],
      ['sid', { name: 'varbinary', length: 85 }],
      ['mode', SMALLINT],
      ['status', INT],
      ['status2', INT],
      ['crdate', DATETIME, false],
      ['reserved', DATETIME],
      ['category', INT],
      ['cmptlevel', TINYINT, false],
      ['filename', nvarchar(260)],
      ['version', SMALLINT],
    ]),
    rows: (catalog) =>
      catalog
        .allDatabases()
        .map((d) => [d.name, d.id, null, null, null, null, datetimeOf(0), null, null, 160, null, null]),
  },
  {
    schema: 'sys',
    name: 'columns',
    columns: columns(SYS_COLUMNS),
    rows: (catalog, database) =>
      catalog.tablesOf(database).flatMap((t) => t.columns.map((c, i) => sysColumnsRow(t, c, i))),
  },
  {
    // https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-computed-columns-transact-sql:
    // sys.columns' columns plus definition, uses_database_collation and is_persisted, for the computed
    // columns only.
    schema: 'sys',
    name: 'computed_columns',
    columns: columns([
      ...SYS_COLUMNS,
      ['definition', nvarchar(MAX)],
      ['uses_database_collation', BIT, false],
      ['is_persisted', BIT, false],
    ]),
    rows: (catalog, database) =>
      catalog
        .tablesOf(database)
        .flatMap((t) =>
          t.columns.flatMap((c, i) =>
            c.computed
              ? [[...sysColumnsRow(t, c, i), c.computed.definition, true, c.computed.persisted]]
              : [],
          ),
        ),
  },
  {
    // https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-masked-columns-transact-sql:
    // sys.columns' columns plus is_masked and masking_function, for the masked columns only.
    schema: 'sys',
    name: 'masked_columns',
    columns: columns([...SYS_COLUMNS, ['is_masked', BIT, false], ['masking_function', nvarchar(4000)]]),
    rows: (catalog, database) =>
      catalog
        .tablesOf(database)
        .flatMap((t) =>
          t.columns.flatMap((c, i) =>
            c.mask === undefined ? [] : [[...sysColumnsRow(t, c, i), true, c.mask]],
          ),
        ),
  },
  {
    // https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-security-policies-transact-sql:
    // visible to principals with ALTER ANY SECURITY POLICY or VIEW DEFINITION (the stand-in models the
    // database-level grants only).
    schema: 'sys',
    name: 'security_policies',
    columns: columns([
      ...OBJECT_HEAD,
      ...OBJECT_DATES,
      ['is_enabled', BIT, false],
      ['is_not_for_replication', BIT, false],
      ['uses_database_collation', BIT],
      ['is_schemabinding_enabled', BIT],
    ]),
    rows: (catalog, database, principal) =>
      seesPolicies(catalog, principal)
        ? catalog.security.policiesOf(database).map((p) => [
            ...objectHead(
              p.name,
              p.objectId,
              schemaId(catalog, database, p.schema),
              0,
              'SP',
              'SECURITY_POLICY',
            ),
            datetimeOf(p.createdMs),
            datetimeOf(p.createdMs),
            false,
            p.enabled,
            false,
            true,
            // 0 (or NULL) means schemabinding is enabled, 1 disabled, as the page says.
            !p.schemaBinding,
          ])
        : [],
  },
  {
    // https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-security-predicates-transact-sql
    schema: 'sys',
    name: 'security_predicates',
    columns: columns([
      ['object_id', INT, false],
      ['security_predicate_id', INT, false],
      ['target_object_id', INT, false],
      ['predicate_definition', nvarchar(MAX)],
      ['predicate_type', INT],
      ['predicate_type_desc', nvarchar(60)],
      ['operation', INT],
      ['operation_desc', nvarchar(60)],
    ]),
    rows: (catalog, database, principal) =>
      seesPolicies(catalog, principal)
        ? catalog.security
            .policiesOf(database)
            .flatMap((p) =>
              p.predicates.map((f) => [
                p.objectId,
                f.id,
                f.targetObjectId,
                `[${f.fn.schema}].[${f.fn.name}](${f.columns.map((c) => `[${c}]`).join(', ')})`,
                0,
                'FILTER',
                null,
                null,
              ]),
            )
        : [],
  },
  {
    schema: 'sys',
    name: 'types',
    columns: columns([
      ['name', SYSNAME, false],
      ['system_type_id', TINYINT, false],
      ['user_type_id', INT, false],
      ['schema_id', INT, false],
      ['principal_id', INT],
      ['max_length', SMALLINT, false],
      ['precision', TINYINT, false],
      ['scale', TINYINT, false],
      ['collation_name', SYSNAME],
      ['is_nullable', BIT],
      ['is_user_defined', BIT, false],
      ['is_assembly_type', BIT, false],
      ['default_object_id', INT, false],
      ['rule_object_id', INT, false],
      ['is_table_type', BIT, false],
    ]),
    rows: () => [
      ...SYSTEM_TYPES.map((name) => {
        const t = defaultTypeOf(name);
        return [
          name,
          SYSTEM_TYPE_IDS[name],
          SYSTEM_TYPE_IDS[name],
          4,
          null,
          maxLengthBytes(t),
          catalogPrecision(t),
          catalogScale(t),
          isStringType(t) ? COLLATION_NAME : null,
          true,
          false,
          false,
          0,
          0,
          false,
        ];
      }),
      [
        'sysname',
        SYSTEM_TYPE_IDS.nvarchar,
        256,
        4,
        null,
        256,
        0,
        0,
        COLLATION_NAME,
        false,
        false,
        false,
        0,
        0,
        false,
      ],
    ],
  },
  {
    schema: 'sys',
    name: 'indexes',
    columns: columns([
      ['object_id', INT, false],
      ['name', SYSNAME],
      ['index_id', INT, false],
      ['type', TINYINT, false],
      ['type_desc', nvarchar(60)],
      ['is_unique', BIT],
      ['data_space_id', INT],
      ['ignore_dup_key', BIT],
      ['is_primary_key', BIT],
      ['is_unique_constraint', BIT],
      ['fill_factor', TINYINT, false],
      ['is_padded', BIT],
      ['is_disabled', BIT],
      ['is_hypothetical', BIT],
      ['allow_row_locks', BIT],
      ['allow_page_locks', BIT],
      ['has_filter', BIT],
    ]),
    rows: (catalog, database) =>
      catalog
        .tablesOf(database)
        .flatMap((t) =>
          indexesOf(t).map((ix) => [
            t.objectId,
            ix.name,
            ix.id,
            ix.id === 0 ? 0 : ix.clustered ? 1 : 2,
            ix.id === 0 ? 'HEAP' : ix.clustered ? 'CLUSTERED' : 'NONCLUSTERED',
            ix.unique,
            1,
            false,
            ix.primary,
            ix.constraint,
            0,
            false,
            false,
            false,
            true,
            true,
            false,
          ]),
        ),
  },
  {
    // One partition per table and index (the stand-in does not partition), holding every row of the
    // table. SQL Server documents `rows` as approximate; the stand-in's is the count its query sees.
    // https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-partitions-transact-sql
    schema: 'sys',
    name: 'partitions',
    columns: columns([
      ['partition_id', BIGINT, false],
      ['object_id', INT, false],
      ['index_id', INT, false],
      ['partition_number', INT, false],
      ['hobt_id', BIGINT, false],
      ['rows', BIGINT],
      ['filestream_filegroup_id', SMALLINT, false],
      ['data_compression', TINYINT, false],
      ['data_compression_desc', nvarchar(60)],
      ['xml_compression', BIT],
      ['xml_compression_desc', varchar(3)],
    ]),
    rows: (catalog, database) =>
      catalog.tablesOf(database).flatMap((t) =>
        indexesOf(t).map((ix) => {
          // Unique within the database, as documented; SQL Server's own ids carry no meaning to read.
          const id = BigInt(t.objectId) * 65_536n + BigInt(ix.id);
          return [id, t.objectId, ix.id, 1, id, null, 0, 0, 'NONE', false, 'OFF'];
        }),
      ),
    rowCount: { column: 5, table: 1 },
  },
  {
    schema: 'sys',
    name: 'index_columns',
    columns: columns([
      ['object_id', INT, false],
      ['index_id', INT, false],
      ['index_column_id', INT, false],
      ['column_id', INT, false],
      ['key_ordinal', TINYINT, false],
      ['partition_ordinal', TINYINT, false],
      ['is_descending_key', BIT],
      ['is_included_column', BIT],
    ]),
    rows: (catalog, database) =>
      catalog
        .tablesOf(database)
        .flatMap((t) =>
          indexesOf(t).flatMap((ix) =>
            (ix.key?.columns ?? []).map((name, i) => [
              t.objectId,
              ix.id,
              i + 1,
              columnId(t, name),
              i + 1,
              0,
              false,
              false,
            ]),
          ),
        ),
  },
  {
    schema: 'sys',
    name: 'key_constraints',
    columns: columns([...OBJECT_HEAD, ['unique_index_id', INT], ['is_system_named', BIT, false]]),
    rows: (catalog, database) =>
      catalog.tablesOf(database).flatMap((t) =>
        keyConstraints(t)
          .filter((k) => k.kind !== 'FOREIGN KEY')
          .map(({ kind, key, objectId }) => [
            ...objectHead(
              key.name,
              objectId,
              schemaId(catalog, database, t.schema),
              t.objectId,
              ...CONSTRAINT_TYPES[kind],
            ),
            indexesOf(t).find((ix) => ix.key === key)?.id ?? null,
            /^(PK|UQ)__/.test(key.name),
          ]),
      ),
  },
  {
    // https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-foreign-keys-transact-sql:
    // sys.objects' columns, then the referenced table, the unique index of its that the key references
    // (key_index_id: the primary key's, a UNIQUE constraint's or a unique index's over the referenced
    // columns), the key's state and its referential actions. Foreign keys are recorded, never enforced,
    // and the stand-in knows no ON DELETE / ON UPDATE action: NO ACTION, the default.
    schema: 'sys',
    name: 'foreign_keys',
    columns: columns([
      ...OBJECT_HEAD,
      ...OBJECT_DATES,
      ['is_published', BIT, false],
      ['is_schema_published', BIT, false],
      ['referenced_object_id', INT],
      ['key_index_id', INT],
      ['is_disabled', BIT, false],
      ['is_not_for_replication', BIT, false],
      ['is_not_trusted', BIT, false],
      ['delete_referential_action', TINYINT],
      ['delete_referential_action_desc', nvarchar(60)],
      ['update_referential_action', TINYINT],
      ['update_referential_action_desc', nvarchar(60)],
      ['is_system_named', BIT, false],
    ]),
    rows: (catalog, database) =>
      catalog.tablesOf(database).flatMap((t) =>
        t.foreignKeys.map((fk, i) => {
          const target = catalog.table(database, fk.refSchema, fk.refTable);
          const keyIndex = target
            ? indexesOf(target).find(
                (ix) => ix.unique && ix.key && sameColumnSet(ix.key.columns, fk.refColumns),
              )
            : undefined;
          const created = datetimeOf(t.createdMs);
          return [
            ...objectHead(
              fk.name,
              constraintObjectId.foreignKey(t, i),
              schemaId(catalog, database, t.schema),
              t.objectId,
              ...CONSTRAINT_TYPES['FOREIGN KEY'],
            ),
            created,
            created,
            false,
            false,
            false,
            target?.objectId ?? null,
            keyIndex?.id ?? null,
            fk.disabled === true,
            false,
            fk.disabled === true,
            0,
            'NO_ACTION',
            0,
            'NO_ACTION',
            /^FK__/.test(fk.name),
          ];
        }),
      ),
  },
  {
    // https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-foreign-key-columns-transact-sql:
    // one row per column pair of a foreign key, constraint_column_id 1..n in the order the key lists
    // them, each referencing column beside the referenced column it is paired with. All int, NOT NULL.
    schema: 'sys',
    name: 'foreign_key_columns',
    columns: columns([
      ['constraint_object_id', INT, false],
      ['constraint_column_id', INT, false],
      ['parent_object_id', INT, false],
      ['parent_column_id', INT, false],
      ['referenced_object_id', INT, false],
      ['referenced_column_id', INT, false],
    ]),
    rows: (catalog, database) =>
      catalog.tablesOf(database).flatMap((t) =>
        t.foreignKeys.flatMap((fk, i) => {
          const target = catalog.table(database, fk.refSchema, fk.refTable);
          if (!target) return [];
          return fk.columns.map((column, j) => [
            constraintObjectId.foreignKey(t, i),
            j + 1,
            t.objectId,
            columnIdByName(t, column),
            target.objectId,
            columnIdByName(target, fk.refColumns[j]!),
          ]);
        }),
      ),
  },
  {
    // https://learn.microsoft.com/sql/relational-databases/system-catalog-views/extended-properties-catalog-views-sys-extended-properties
    schema: 'sys',
    name: 'extended_properties',
    columns: columns([
      ['class', TINYINT, false],
      ['class_desc', nvarchar(60)],
      ['major_id', INT, false],
      ['minor_id', INT, false],
      ['name', SYSNAME, false],
      ['value', VARIANT],
    ]),
    rows: (catalog, database) =>
      (catalog.database(database)?.extendedProperties ?? []).map((p) => [
        p.class,
        CLASS_DESC[p.class],
        p.majorId,
        p.minorId,
        p.name,
        p.value === null || !p.valueType ? null : { variant: p.valueType, value: p.value },
      ]),
  },
  {
    schema: 'sys',
    name: 'identity_columns',
    columns: columns([
      ...COLUMN_HEAD,
      ['is_nullable', BIT],
      ['is_identity', BIT, false],
      ['seed_value', VARIANT],
      ['increment_value', VARIANT],
      ['last_value', VARIANT],
      ['is_not_for_replication', BIT],
    ]),
    rows: (catalog, database) =>
      catalog.tablesOf(database).flatMap((t) =>
        t.columns.flatMap((c, i) => {
          if (!c.identity) return [];
          const variant = (v: bigint | undefined): SqlValue =>
            v === undefined
              ? null
              : { variant: c.type, value: isIntegerType(c.type) && c.type.name !== 'bigint' ? Number(v) : v };
          return [
            [
              ...columnHead(t, c, i),
              false,
              true,
              variant(c.identity.seed),
              variant(c.identity.increment),
              variant(t.identityCurrent),
              false,
            ],
          ];
        }),
      ),
  },
];

export function findCatalogView(schema: string, name: string): CatalogView | undefined {
  return CATALOG_VIEWS.find(
    (v) => v.schema.toLowerCase() === schema.toLowerCase() && v.name.toLowerCase() === name.toLowerCase(),
  );
}
