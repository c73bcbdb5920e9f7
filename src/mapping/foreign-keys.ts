/**
 * Which of the source's foreign keys the run declares in Snowflake, and the statements that do it. Pure.
 *
 * Snowflake keeps FOREIGN KEY on standard tables as a declaration for modelling and for tools that
 * read it, and does not enforce it (https://docs.snowflake.com/en/sql-reference/constraints-overview).
 * It is added to an existing table by `ALTER TABLE ... ADD CONSTRAINT <name> FOREIGN KEY (...) REFERENCES
 * <table> (...)` (https://docs.snowflake.com/en/sql-reference/sql/alter-table, constraintAction;
 * https://docs.snowflake.com/en/sql-reference/constraints-create: `ALTER TABLE <name> ADD
 * <outofline_constraint>`). A foreign key references a primary or unique key; what Snowflake does with
 * one over other columns is not documented, so none is sent: a key is declared only when both tables
 * are published by the run, every column of both sides is copied, and the parent declares a primary or
 * unique key over the referenced columns (read back from Snowflake); every other one is listed as not
 * carried, with why.
 */
import type { SnowflakeName, SourceTableRef } from '../contracts/table';
import { displaySnowflakeName, quoteIdentifier, snowflakeNameFor } from '../names/snowflake-names';
import { qualifiedName } from '../sql/snowflake/statements';

/** A foreign key as SQL Server's catalog describes it; columns in key order. */
export interface SourceForeignKey {
  name: string;
  table: SourceTableRef;
  columns: string[];
  /** The referenced table, null when the key references a unique index that is no constraint. */
  referenced: SourceTableRef | null;
  refColumns: string[];
}

/** A table the run published, as Snowflake shows it now (DESCRIBE TABLE). */
export interface PublishedTable {
  source: SourceTableRef;
  target: SnowflakeName;
  /** Snowflake column names. */
  columns: string[];
  /** Snowflake column names of the declared primary key, in any order. */
  primaryKey: string[];
  /** Snowflake column names that are part of a declared UNIQUE key. */
  uniqueColumns: string[];
}

export interface ForeignKeyDeclaration {
  name: string;
  table: SnowflakeName;
  sql: string;
}

export interface ForeignKeyNotCarried {
  name: string;
  /** The child table, as the report names it (`dbo.orders`). */
  table: string;
  why: string;
}

const sourceLabel = (t: SourceTableRef) => `${t.schema}.${t.table}`;
/** SQL Server's default collations compare names case-insensitively. */
export const sameTable = (a: SourceTableRef, b: SourceTableRef) =>
  a.schema.toLowerCase() === b.schema.toLowerCase() && a.table.toLowerCase() === b.table.toLowerCase();
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function addForeignKey(
  name: string,
  child: SnowflakeName,
  columns: string[],
  parent: SnowflakeName,
  refColumns: string[],
): string {
  const list = (names: string[]) => names.map(quoteIdentifier).join(', ');
  return (
    `ALTER TABLE ${qualifiedName(child)} ADD CONSTRAINT ${quoteIdentifier(name)} ` +
    `FOREIGN KEY (${list(columns)}) REFERENCES ${qualifiedName(parent)} (${list(refColumns)})`
  );
}

/** The verdict on every foreign key whose table the run published. */
export function foreignKeyVerdicts(
  keys: SourceForeignKey[],
  published: PublishedTable[],
): { declare: ForeignKeyDeclaration[]; notCarried: ForeignKeyNotCarried[] } {
  const declare: ForeignKeyDeclaration[] = [];
  const notCarried: ForeignKeyNotCarried[] = [];
  for (const key of keys) {
    const child = published.find((t) => sameTable(t.source, key.table));
    if (!child) continue;
    const why = reasonNotCarried(key, child, published);
    if (typeof why === 'string') {
      notCarried.push({ name: key.name, table: sourceLabel(key.table), why });
      continue;
    }
    const name = snowflakeNameFor(key.name);
    const columns = key.columns.map(snowflakeNameFor);
    const refColumns = key.refColumns.map(snowflakeNameFor);
    declare.push({
      name,
      table: child.target,
      sql: addForeignKey(name, child.target, columns, why.target, refColumns),
    });
  }
  return { declare, notCarried };
}

/** Why the key cannot be declared, or the published parent it references. */
function reasonNotCarried(
  key: SourceForeignKey,
  child: PublishedTable,
  published: PublishedTable[],
): string | PublishedTable {
  if (!key.referenced)
    return 'it references a unique index, not a key constraint, which Snowflake cannot reference';
  const referenced = key.referenced;
  const parent = published.find((t) => sameTable(t.source, referenced));
  if (!parent) return `it references ${sourceLabel(referenced)}, which this run did not publish`;
  const missing = key.columns.map(snowflakeNameFor).filter((c) => !child.columns.includes(c));
  if (missing.length) return `its column ${missing.join(', ')} is not copied`;
  const refColumns = key.refColumns.map(snowflakeNameFor);
  const refMissing = refColumns.filter((c) => !parent.columns.includes(c));
  if (refMissing.length) return `the referenced column ${refMissing.join(', ')} is not copied`;
  const keyed =
    sameSet(refColumns, parent.primaryKey) || refColumns.every((c) => parent.uniqueColumns.includes(c));
  if (!keyed) {
    return `${displaySnowflakeName(parent.target)} declares no primary or unique key over (${refColumns.join(', ')})`;
  }
  return parent;
}

/** DESCRIBE TABLE: one row per column, with `primary key` and `unique key` Y/N
 * (https://docs.snowflake.com/en/sql-reference/sql/desc-table). */
export const describeTable = (table: SnowflakeName) => `DESCRIBE TABLE ${qualifiedName(table)}`;

/** The table's declared foreign keys, a row per column (fk_name): https://docs.snowflake.com/en/sql-reference/sql/show-imported-keys */
export const showImportedKeys = (table: SnowflakeName) =>
  `SHOW IMPORTED KEYS IN TABLE ${qualifiedName(table)}`;
