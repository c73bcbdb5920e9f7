/**
 * The T-SQL that reads SQL Server's catalog: the server, the tables, their columns, keys, kinds,
 * descriptions, sizes, and the login's permissions and read restrictions (src/sqlserver/catalog.ts runs
 * them). Pure: no driver, no I/O.
 */
import { quoteIdentifier } from '../../names/sqlserver-names';

/**
 * A table's rows as the catalog estimates them, without reading it: sys.partitions' `rows` ("approximate
 * number of rows in this partition") summed over the partitions of the heap (index_id 0) or the
 * clustered index (1), which together hold each row once. No row for a view (not in sys.tables).
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-partitions-transact-sql
 */
export const ROW_ESTIMATE_QUERY =
  'SELECT SUM(p.rows) AS row_count FROM sys.partitions AS p ' +
  'JOIN sys.tables AS t ON t.object_id = p.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND p.index_id IN (0, 1)';

/** Database permissions whose holder could change data or schema: the migrator needs none of them. */
export const WRITE_PERMISSIONS = ['CONTROL', 'ALTER', 'CREATE TABLE', 'INSERT', 'UPDATE', 'DELETE'] as const;

/** What the login could do besides reading (`check` warns): fixed roles, then effective database permissions. */
export const WRITE_ACCESS_QUERY =
  "SELECT IS_SRVROLEMEMBER('sysadmin') AS [sysadmin], IS_ROLEMEMBER('db_owner') AS [db_owner], " +
  WRITE_PERMISSIONS.map((p) => `HAS_PERMS_BY_NAME(NULL, 'DATABASE', '${p}') AS ${quoteIdentifier(p)}`).join(
    ', ',
  );

/**
 * What decides whether the login reads a table's real values and all its rows: UNMASK (masked columns,
 * https://learn.microsoft.com/sql/relational-databases/security/dynamic-data-masking; sysadmin,
 * db_owner and CONTROL include it) and whether it may read the security policies (VIEW DEFINITION or
 * ALTER ANY SECURITY POLICY,
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-security-policies-transact-sql).
 * Database-level grants only: SQL Server 2022's UNMASK on a schema, table or column is not read.
 * https://learn.microsoft.com/sql/t-sql/functions/has-perms-by-name-transact-sql
 */
export const READ_PERMISSIONS_QUERY =
  "SELECT HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'UNMASK') AS [unmask], " +
  "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DEFINITION') AS [view_definition], " +
  "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'ALTER ANY SECURITY POLICY') AS [alter_any_security_policy]";

/**
 * The database permissions `check` lists besides READ_PERMISSIONS_QUERY's: VIEW DATABASE STATE (table
 * sizes, sys.dm_db_partition_stats) or, from SQL Server 2022, VIEW DATABASE PERFORMANCE STATE, which an
 * older server does not know (HAS_PERMS_BY_NAME then answers NULL).
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-dynamic-management-views/sys-dm-db-partition-stats-transact-sql
 */
export const DATABASE_STATE_PERMISSIONS_QUERY =
  "SELECT HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DATABASE STATE') AS [view_database_state], " +
  "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DATABASE PERFORMANCE STATE') AS [view_database_performance_state]";

/**
 * A table's SELECT and VIEW CHANGE TRACKING (CHANGETABLE needs it,
 * https://learn.microsoft.com/en-us/sql/relational-databases/track-changes/manage-change-tracking-sql-server),
 * `@name` the quoted two-part name.
 */
export const TABLE_PERMISSIONS_QUERY =
  "SELECT HAS_PERMS_BY_NAME(@name, 'OBJECT', 'SELECT') AS [select], " +
  "HAS_PERMS_BY_NAME(@name, 'OBJECT', 'VIEW CHANGE TRACKING') AS [view_change_tracking]";

/** https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-masked-columns-transact-sql */
export const MASKED_COLUMNS_QUERY =
  'SELECT c.name, c.masking_function FROM sys.masked_columns AS c ' +
  'JOIN sys.tables AS t ON t.object_id = c.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND c.is_masked = 1 ORDER BY c.column_id';

/**
 * Enabled policies' filter predicates (predicate_type 0) on the table:
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-security-predicates-transact-sql
 */
export const FILTER_PREDICATES_QUERY =
  'SELECT ps.name AS policy_schema, p.name AS policy_name, sp.predicate_definition ' +
  'FROM sys.security_predicates AS sp JOIN sys.security_policies AS p ON p.object_id = sp.object_id ' +
  'JOIN sys.schemas AS ps ON ps.schema_id = p.schema_id ' +
  'JOIN sys.tables AS t ON t.object_id = sp.target_object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND p.is_enabled = 1 AND sp.predicate_type = 0 ' +
  'ORDER BY ps.name, p.name, sp.security_predicate_id';

export const SERVER_INFO_QUERY =
  "SELECT @@VERSION AS version, DB_NAME() AS database_name, SERVERPROPERTY('ProductVersion') AS product_version";

/** Whether the database allows SNAPSHOT transactions (ALLOW_SNAPSHOT_ISOLATION): ON, OFF or IN_TRANSITION_... */
export const SNAPSHOT_ISOLATION_QUERY =
  'SELECT snapshot_isolation_state_desc AS state FROM sys.databases WHERE name = DB_NAME()';

/** The database's user tables: no views, no system tables (what patterns in migration.tables match). */
export const BASE_TABLES_QUERY =
  'SELECT s.name AS schema_name, t.name AS table_name FROM sys.tables AS t ' +
  'JOIN sys.schemas AS s ON s.schema_id = t.schema_id WHERE t.is_ms_shipped = 0 ORDER BY s.name, t.name';

export const TABLE_TYPE_QUERY =
  'SELECT TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table';

/**
 * The table's object id and creation time: both stay through ALTER TABLE and change when the table is
 * dropped and created again. Object names are unique within a schema, so no type filter is needed.
 */
export const OBJECT_IDENTITY_QUERY =
  'SELECT o.object_id, CONVERT(nvarchar(30), o.create_date, 121) AS create_date FROM sys.objects AS o ' +
  'JOIN sys.schemas AS s ON s.schema_id = o.schema_id WHERE s.name = @schema AND o.name = @table';

export const COLUMNS_QUERY =
  'SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, ' +
  'DATETIME_PRECISION, IS_NULLABLE, COLUMN_DEFAULT, COLLATION_NAME FROM INFORMATION_SCHEMA.COLUMNS ' +
  'WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION';

/**
 * What kind of table it is (src/source/table-kinds.ts): memory-optimized, and its place in system
 * versioning with the table on the other side (history_table_id of the system-versioned table):
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-tables-transact-sql
 */
export const TABLE_KIND_QUERY =
  'SELECT t.is_memory_optimized, t.temporal_type, hs.name AS history_schema, h.name AS history_table, ' +
  'cs.name AS current_schema, c.name AS current_table FROM sys.tables AS t ' +
  'JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'LEFT JOIN sys.tables AS h ON h.object_id = t.history_table_id LEFT JOIN sys.schemas AS hs ON hs.schema_id = h.schema_id ' +
  'LEFT JOIN sys.tables AS c ON c.history_table_id = t.object_id LEFT JOIN sys.schemas AS cs ON cs.schema_id = c.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table';

/** SQL Server 2014 has is_memory_optimized but none of 2016's columns (temporal_type, encryption_type...). */
export const MEMORY_OPTIMIZED_QUERY =
  'SELECT t.is_memory_optimized FROM sys.tables AS t JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table';

/**
 * Period columns (generated_always_type 1 and 2: AS ROW START/END) with is_hidden, and Always Encrypted
 * columns (encryption_type not NULL):
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-columns-transact-sql
 */
export const KIND_COLUMNS_QUERY =
  'SELECT c.name, c.generated_always_type, c.generated_always_type_desc, c.is_hidden, c.encryption_type_desc ' +
  'FROM sys.columns AS c JOIN sys.tables AS t ON t.object_id = c.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND (c.generated_always_type IN (1, 2) OR c.encryption_type IS NOT NULL) ' +
  'ORDER BY c.column_id';

/**
 * Column flags from sys.columns, and an identity column's seed and increment from sys.identity_columns
 * (`sql_variant` of the column's own type, converted to text here:
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-identity-columns-transact-sql).
 * Read in the same statement, so carrying identity costs no extra round trip. `default_object_id` (not 0: the column has a default) is metadata any
 * grantee on the table sees, while the default's definition (INFORMATION_SCHEMA.COLUMNS.COLUMN_DEFAULT,
 * OBJECT_DEFINITION underneath) is NULL without VIEW DEFINITION
 * (https://learn.microsoft.com/en-us/sql/t-sql/functions/object-definition-transact-sql): both together tell
 * "no default" from "a default the login may not see".
 */
export const COLUMN_FLAGS_QUERY =
  'SELECT c.name, c.is_identity, c.is_computed, c.default_object_id, ' +
  'CONVERT(varchar(40), ic.seed_value) AS identity_seed, CONVERT(varchar(40), ic.increment_value) AS identity_increment ' +
  'FROM sys.columns AS c ' +
  'JOIN sys.tables AS t ON t.object_id = c.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'LEFT JOIN sys.identity_columns AS ic ON ic.object_id = c.object_id AND ic.column_id = c.column_id ' +
  'WHERE s.name = @schema AND t.name = @table ORDER BY c.column_id';

/** The columns, their flags and the object identity, as three result sets of one batch (readShapeCheck). */
export const SHAPE_CHECK_QUERY = [COLUMNS_QUERY, COLUMN_FLAGS_QUERY, OBJECT_IDENTITY_QUERY].join(';\n');

/** Constraints other than the primary key (foreign keys, unique, check): none is carried to Snowflake. */
export const OTHER_CONSTRAINTS_QUERY =
  'SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS ' +
  "WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table AND CONSTRAINT_TYPE <> 'PRIMARY KEY' " +
  'ORDER BY CONSTRAINT_TYPE, CONSTRAINT_NAME';

/** Indexes that back no key constraint (Snowflake has no indexes). */
export const INDEXES_QUERY =
  'SELECT i.name, i.type_desc, i.is_unique FROM sys.indexes AS i ' +
  'JOIN sys.tables AS t ON t.object_id = i.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND i.index_id > 0 ' +
  'AND i.is_primary_key = 0 AND i.is_unique_constraint = 0 ORDER BY i.name';

/**
 * The table's size as sp_spaceused counts data and indexes: used 8 KB pages of every partition. Needs
 * VIEW DATABASE STATE (or, from SQL Server 2022, VIEW DATABASE PERFORMANCE STATE).
 */
export const TABLE_SIZE_QUERY =
  'SELECT SUM(ps.used_page_count) * 8192 AS used_bytes FROM sys.dm_db_partition_stats AS ps ' +
  'JOIN sys.tables AS t ON t.object_id = ps.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table';

/**
 * The columns of each UNIQUE constraint, in key order: Snowflake declares them (without enforcing them).
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-information-schema-views/key-column-usage-transact-sql
 */
export const UNIQUE_KEYS_QUERY =
  'SELECT tc.CONSTRAINT_NAME, kcu.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS AS tc ' +
  'JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE AS kcu ON kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME ' +
  'AND kcu.TABLE_SCHEMA = tc.TABLE_SCHEMA AND kcu.TABLE_NAME = tc.TABLE_NAME ' +
  "WHERE tc.CONSTRAINT_TYPE = 'UNIQUE' AND tc.TABLE_SCHEMA = @schema AND tc.TABLE_NAME = @table " +
  'ORDER BY tc.CONSTRAINT_NAME, kcu.ORDINAL_POSITION';

/**
 * The MS_Description extended properties of a table (minor_id 0) and of its columns (minor_id: the
 * column_id), which SQL Server Management Studio writes as descriptions. `value` is sql_variant: cast to
 * nvarchar(max) to read it as text.
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/extended-properties-catalog-views-sys-extended-properties
 */
export const DESCRIPTIONS_QUERY =
  'SELECT c.name AS column_name, CAST(ep.value AS nvarchar(max)) AS description ' +
  'FROM sys.extended_properties AS ep JOIN sys.tables AS t ON t.object_id = ep.major_id ' +
  'JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'LEFT JOIN sys.columns AS c ON c.object_id = ep.major_id AND c.column_id = ep.minor_id ' +
  "WHERE ep.class = 1 AND ep.name = N'MS_Description' AND s.name = @schema AND t.name = @table";

export const PRIMARY_KEY_QUERY =
  'SELECT kcu.COLUMN_NAME, kcu.ORDINAL_POSITION FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS AS tc ' +
  'JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE AS kcu ON kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME ' +
  'AND kcu.TABLE_SCHEMA = tc.TABLE_SCHEMA AND kcu.TABLE_NAME = tc.TABLE_NAME ' +
  "WHERE tc.CONSTRAINT_TYPE = 'PRIMARY KEY' AND tc.TABLE_SCHEMA = @schema AND tc.TABLE_NAME = @table " +
  'ORDER BY kcu.ORDINAL_POSITION';

/**
 * The source database's foreign keys, one row per column pair, read from the catalog views that pair
 * each referencing column with the referenced column it names: sys.foreign_key_columns
 * (https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-foreign-key-columns-transact-sql:
 * constraint_column_id, parent_column_id, referenced_column_id). INFORMATION_SCHEMA.KEY_COLUMN_USAGE
 * cannot: it gives each side's columns in its own order, and `REFERENCES t (b, a)` against a key
 * (a, b) pairs them crosswise. sys.foreign_keys names the key and the unique index it references
 * (https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-foreign-keys-transact-sql:
 * referenced_object_id, key_index_id); sys.indexes says whether that index is a primary key or a UNIQUE
 * constraint, and sys.index_columns where each referenced column stands in it (key_ordinal,
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-index-columns-transact-sql).
 * src/mapping/foreign-keys.ts groups the rows (groupForeignKeys).
 */
export const FOREIGN_KEYS_QUERY =
  'SELECT cs.name AS table_schema, fk.name, ct.name AS table_name, cc.name AS column_name, ' +
  'rs.name AS ref_schema, rt.name AS ref_table, rc.name AS ref_column, ' +
  'ix.is_primary_key AS ref_is_primary_key, ix.is_unique_constraint AS ref_is_unique_constraint, ' +
  'ic.key_ordinal AS ref_key_ordinal ' +
  'FROM sys.foreign_keys AS fk ' +
  'JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id ' +
  'JOIN sys.tables AS ct ON ct.object_id = fk.parent_object_id ' +
  'JOIN sys.schemas AS cs ON cs.schema_id = ct.schema_id ' +
  'JOIN sys.columns AS cc ON cc.object_id = fkc.parent_object_id AND cc.column_id = fkc.parent_column_id ' +
  'JOIN sys.tables AS rt ON rt.object_id = fkc.referenced_object_id ' +
  'JOIN sys.schemas AS rs ON rs.schema_id = rt.schema_id ' +
  'JOIN sys.columns AS rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id ' +
  'JOIN sys.indexes AS ix ON ix.object_id = fk.referenced_object_id AND ix.index_id = fk.key_index_id ' +
  'LEFT JOIN sys.index_columns AS ic ON ic.object_id = fk.referenced_object_id ' +
  'AND ic.index_id = fk.key_index_id AND ic.column_id = fkc.referenced_column_id ' +
  'ORDER BY cs.name, fk.name, fkc.constraint_column_id';
