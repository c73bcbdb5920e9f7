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
