/**
 * Kinds of SQL Server tables that a plain SELECT does not read as ordinary rows, and what the migrator
 * does with each (discover, plan and every run's analysis give the same verdict). Pure.
 *
 * - Memory-optimized tables (sys.tables.is_memory_optimized) cannot be read in a transaction begun at
 *   SNAPSHOT isolation: SQL Server raises 41332, "Memory optimized tables and natively compiled stored
 *   procedures cannot be accessed or created when the session TRANSACTION ISOLATION LEVEL is set to
 *   SNAPSHOT", and its only user action is another isolation level
 *   (https://learn.microsoft.com/sql/relational-databases/errors-events/mssqlserver-41332-database-engine-error).
 *   The WITH (SNAPSHOT) table hint is the documented way for READ COMMITTED user transactions (41368,
 *   https://learn.microsoft.com/sql/relational-databases/errors-events/mssqlserver-41368-database-engine-error),
 *   not for a session at SNAPSHOT. Autocommit statements at READ COMMITTED are supported
 *   (https://learn.microsoft.com/sql/relational-databases/in-memory-oltp/transactions-with-memory-optimized-tables),
 *   which is how `sourceReadIsolation: readCommitted` reads. So under SNAPSHOT reads (sourceReadIsolation:
 *   snapshot, or mode follow's rounds) the table is refused with what to do.
 * - Always Encrypted columns (sys.columns.encryption_type not NULL): a client that has not enabled
 *   column encryption gets the ciphertext, as varbinary
 *   (https://learn.microsoft.com/dotnet/api/microsoft.data.sqlclient.sqlcommandcolumnencryptionsetting,
 *   Remarks). tedious 19 cannot enable it (its columnEncryptionSetting is internal and always false; the
 *   feature is an open roadmap item: https://github.com/tediousjs/tedious/issues/1584), so such a
 *   column is refused unless excluded.
 * - System-versioned temporal tables (temporal_type 2): a SELECT reads the current rows; period columns
 *   declared HIDDEN are left out of SELECT * but returned when named
 *   (https://learn.microsoft.com/sql/relational-databases/tables/querying-data-in-a-system-versioned-temporal-table),
 *   and the migrator always names its columns. They become ordinary TIMESTAMP_NTZ columns: Snowflake
 *   has no system versioning, and the history table is not copied unless selected. A history table
 *   (temporal_type 1) is migrated as an ordinary table. Both are said in warnings.
 * Catalog columns: https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-tables-transact-sql,
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-columns-transact-sql.
 */
import { MigrationError } from '../contracts/errors';
import type { ColumnReport } from '../mapping/fidelity';

export interface TableKind {
  memoryOptimized: boolean;
  /** sys.tables.temporal_type: 0 ordinary, 1 the history table of a system-versioned table, 2 system-versioned. */
  temporalType: 0 | 1 | 2;
  /** temporal_type 2: its history table; 1: the table whose history it keeps (display names). */
  related?: string;
  /** Columns GENERATED ALWAYS AS ROW START/END (the SYSTEM_TIME period), and whether HIDDEN. */
  periodColumns: { column: string; generated: string; hidden: boolean }[];
  /** Always Encrypted columns, with encryption_type_desc (DETERMINISTIC, RANDOMIZED). */
  encryptedColumns: { column: string; encryption: string }[];
}

export const ORDINARY_TABLE: TableKind = {
  memoryOptimized: false,
  temporalType: 0,
  periodColumns: [],
  encryptedColumns: [],
};

export interface KindOptions {
  /** The run reads the table inside SNAPSHOT transactions (sourceReadIsolation: snapshot, or mode follow). */
  snapshotReads: boolean;
  excludeColumns?: string[];
}

/** Whether a run with this config reads its tables in SNAPSHOT transactions (batches, or follow's rounds). */
export function readsInSnapshot(migration: { sourceReadIsolation: string; mode: string }): boolean {
  return migration.sourceReadIsolation === 'snapshot' || migration.mode === 'follow';
}

const excludedSet = (names: string[] = []) => new Set(names.map((n) => n.toLowerCase()));

/** Encrypted columns the run would copy (not excluded). */
function copiedEncrypted(kind: TableKind, excludeColumns?: string[]): TableKind['encryptedColumns'] {
  const excluded = excludedSet(excludeColumns);
  return kind.encryptedColumns.filter((c) => !excluded.has(c.column.toLowerCase()));
}

const ENCRYPTED_WHY =
  'an Always Encrypted column: the driver (tedious) cannot decrypt it, so its ciphertext would arrive instead of the values';
const ENCRYPTED_TODO =
  "exclude the column (excludeColumns in the table's entry), or migrate a copy of the table decrypted by a client that holds the column master key";

function memoryOptimizedRefusal(tableName: string): string {
  return (
    `${tableName} is memory-optimized, and SQL Server cannot read a memory-optimized table in a SNAPSHOT transaction (error 41332). ` +
    'Migrate it with migration.sourceReadIsolation: readCommitted (autocommit reads, which SQL Server supports on memory-optimized tables), in a run of its own if the other tables need snapshot; mode follow cannot follow it.'
  );
}

function encryptedRefusal(tableName: string, columns: TableKind['encryptedColumns']): string {
  return (
    `${tableName} has Always Encrypted columns: ${columns.map((c) => `${c.column} (${c.encryption})`).join(', ')}; ` +
    `the driver (tedious) cannot decrypt them, so their ciphertext would be copied. Either ${ENCRYPTED_TODO.replace('the column', 'the columns')}.`
  );
}

/** What the run says about a temporal or history table it migrates (empty for other tables). */
export function kindWarnings(tableName: string, kind: TableKind, excludeColumns?: string[]): string[] {
  const excluded = excludedSet(excludeColumns);
  if (kind.temporalType === 2) {
    const period = kind.periodColumns.filter((c) => !excluded.has(c.column.toLowerCase()));
    const hidden = period.filter((c) => c.hidden).map((c) => c.column);
    const columns = period.length
      ? `its period columns ${period.map((c) => c.column).join(', ')} are copied as ordinary timestamp columns` +
        (hidden.length ? ` (HIDDEN ones, ${hidden.join(', ')}, are selected by name)` : '')
      : 'its period columns are excluded';
    return [
      `${tableName} is a system-versioned temporal table: its current rows are copied and ${columns}; Snowflake gets no versioning, ` +
        `and its history table${kind.related ? ` ${kind.related}` : ''} is copied only when selected too.`,
    ];
  }
  if (kind.temporalType === 1) {
    return [
      `${tableName} is the history table of the system-versioned ${kind.related ?? 'table'}: it is migrated as an ordinary table, with the rows it holds when read.`,
    ];
  }
  return [];
}

/** Why the run would refuse the table, one sentence each with what to do; empty: none. */
export function kindRefusals(tableName: string, kind: TableKind, options: KindOptions): string[] {
  const encrypted = copiedEncrypted(kind, options.excludeColumns);
  return [
    ...(kind.memoryOptimized && options.snapshotReads ? [memoryOptimizedRefusal(tableName)] : []),
    ...(encrypted.length ? [encryptedRefusal(tableName, encrypted)] : []),
  ];
}

/**
 * At the analysis, before any DDL: refuses the table (non-retryable) or returns the warnings the report
 * states. A memory-optimized table under SNAPSHOT reads is refused first: it cannot be read at all.
 */
export function checkTableKind(tableName: string, kind: TableKind, options: KindOptions): string[] {
  if (kind.memoryOptimized && options.snapshotReads)
    throw new MigrationError('MemoryOptimizedSnapshot', memoryOptimizedRefusal(tableName));
  const encrypted = copiedEncrypted(kind, options.excludeColumns);
  if (encrypted.length)
    throw new MigrationError('SourceColumnEncrypted', encryptedRefusal(tableName, encrypted));
  return kindWarnings(tableName, kind, options.excludeColumns);
}

/**
 * discover and plan: an encrypted column is a refused column; a memory-optimized table under SNAPSHOT
 * reads is the table's problem; temporal and history tables are warnings. Period columns keep their
 * type's verdict, with how they are read added.
 */
export function tableKindView(
  tableName: string,
  kind: TableKind,
  columns: ColumnReport[],
  options: KindOptions,
): { columns: ColumnReport[]; problems: string[]; warnings: string[] } {
  const encrypted = new Map(kind.encryptedColumns.map((c) => [c.column.toLowerCase(), c.encryption]));
  const period = new Map(kind.periodColumns.map((c) => [c.column.toLowerCase(), c]));
  return {
    columns: columns.map((c): ColumnReport => {
      if (c.verdict === 'excluded') return c;
      const encryption = encrypted.get(c.name.toLowerCase());
      if (encryption !== undefined)
        return {
          name: c.name,
          sourceType: c.sourceType,
          verdict: 'refused',
          why: `${ENCRYPTED_WHY} (${encryption})`,
          todo: ENCRYPTED_TODO,
        };
      const p = period.get(c.name.toLowerCase());
      if (p === undefined || c.verdict === 'refused') return c;
      const how = `period column (GENERATED ALWAYS ${p.generated}${p.hidden ? ', HIDDEN: selected by name' : ''}): copied as an ordinary column, no versioning in Snowflake`;
      return {
        name: c.name,
        sourceType: c.sourceType,
        verdict: 'converted',
        targetType: c.targetType,
        how: [how, ...(c.verdict === 'converted' ? c.how : [])],
        ...(c.checked === undefined ? {} : { checked: c.checked }),
      };
    }),
    problems: kind.memoryOptimized && options.snapshotReads ? [memoryOptimizedRefusal(tableName)] : [],
    warnings: kindWarnings(tableName, kind, options.excludeColumns),
  };
}
