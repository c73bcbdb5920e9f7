/**
 * What SQL Server's catalog says about a table, as data: src/sqlserver/catalog.ts reads it, the mapping
 * and the fidelity report (pure) use it without depending on the code that queries the server. Pure.
 */
import type { SourceColumn } from '../contracts/table';

export interface SourceTableCatalog {
  type: 'BASE TABLE' | 'VIEW';
  columns: SourceColumn[];
  primaryKey: string[];
  /**
   * Default definitions by column, as SQL Server keeps them (`((0))`, `(getdate())`); null where the
   * column has a default whose definition the login may not see (no VIEW DEFINITION).
   */
  defaults: { column: string; definition: string | null }[];
  /** `<object_id> <create_date>`: another value means the table was dropped and created again. */
  objectIdentity: string;
  /**
   * The table's identity column, with its seed and increment as decimal text. A table has at most one
   * ("Only one identity column can be created per table":
   * https://learn.microsoft.com/en-us/sql/t-sql/statements/create-table-transact-sql-identity-property).
   */
  identity?: SourceIdentity;
}

/** An identity column: its name, seed and increment (decimal text, as sys.identity_columns has them). */
export interface SourceIdentity {
  column: string;
  seed: string;
  increment: string;
}

/** A UNIQUE constraint of the source table: its name and its columns in key order. */
export interface SourceUniqueKey {
  name: string;
  columns: string[];
}

/** MS_Description of the table and of its columns (by source column name), where they have one. */
export interface SourceDescriptions {
  table?: string;
  columns: Record<string, string>;
}

/** What a table declares beyond its columns and primary key: constraints and indexes (for `discover`). */
export interface TableDeclarations {
  constraints: { name: string; type: string }[];
  indexes: { name: string; type: string; unique: boolean }[];
}
