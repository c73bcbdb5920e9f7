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
 *
 * A constraint's name belongs to its schema: Snowflake's REFERENTIAL_CONSTRAINTS view names the key a
 * foreign key references by schema and name alone, with no table
 * (https://docs.snowflake.com/en/sql-reference/info-schema/referential_constraints). Under
 * `target.schemas: single` keys from two source schemas land in one Snowflake schema, where two of one
 * name would clash: each of those is then named after its source schema too (`SALES_FK_X`), so every
 * declared name is unique in its schema, the same on every attempt of the run. (Primary and unique keys
 * are declared unnamed in CREATE TABLE, and Snowflake names those itself.)
 */
import type { SnowflakeName, SourceTableRef } from '../contracts/table';
import { displaySnowflakeName, quoteIdentifier, snowflakeNameFor } from '../names/snowflake-names';
import { qualifiedName } from '../sql/snowflake/statements';

/**
 * A foreign key as SQL Server's catalog describes it. `columns[i]` references `refColumns[i]`; the
 * pairs stand in the order of the referenced key (the parent's primary or unique key, which the
 * Snowflake parent declares in the same order), so the declaration names the parent's key as declared.
 */
export interface SourceForeignKey {
  name: string;
  table: SourceTableRef;
  columns: string[];
  /** The referenced table, null when the key references a unique index that is no constraint. */
  referenced: SourceTableRef | null;
  refColumns: string[];
}

/** A row of FOREIGN_KEYS_QUERY (src/sql/sqlserver/catalog-queries.ts): one column pair of a key. */
export type ForeignKeyRow = {
  table_schema: string;
  name: string;
  table_name: string;
  column_name: string;
  ref_schema: string;
  ref_table: string;
  ref_column: string;
  ref_is_primary_key: boolean;
  ref_is_unique_constraint: boolean;
  /** Where the referenced column stands in the referenced index's key. */
  ref_key_ordinal: number | null;
};

/**
 * One key per constraint (the rows come in the key's own order, constraint_column_id), its pairs put
 * in the referenced key's order. A constraint's name is unique in its schema, which is its table's.
 */
export function groupForeignKeys(rows: ForeignKeyRow[]): SourceForeignKey[] {
  const keys = new Map<string, { key: SourceForeignKey; pairs: ForeignKeyRow[] }>();
  for (const row of rows) {
    const id = `${row.table_schema}.${row.name}`;
    let entry = keys.get(id);
    if (!entry) {
      const referencesConstraint = row.ref_is_primary_key || row.ref_is_unique_constraint;
      entry = {
        key: {
          name: row.name,
          table: { schema: row.table_schema, table: row.table_name },
          columns: [],
          referenced: referencesConstraint ? { schema: row.ref_schema, table: row.ref_table } : null,
          refColumns: [],
        },
        pairs: [],
      };
      keys.set(id, entry);
    }
    entry.pairs.push(row);
  }
  return [...keys.values()].map(({ key, pairs }) => {
    const ordered = [...pairs].sort((a, b) => (a.ref_key_ordinal ?? 0) - (b.ref_key_ordinal ?? 0));
    return {
      ...key,
      columns: ordered.map((p) => p.column_name),
      refColumns: ordered.map((p) => p.ref_column),
    };
  });
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
  /** The name the key would have had, when another key of the run has it in the same schema. */
  renamedFrom?: string;
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
  const carried: { key: SourceForeignKey; child: PublishedTable; parent: PublishedTable }[] = [];
  const notCarried: ForeignKeyNotCarried[] = [];
  for (const key of keys) {
    const child = published.find((t) => sameTable(t.source, key.table));
    if (!child) continue;
    const why = reasonNotCarried(key, child, published);
    if (typeof why === 'string') notCarried.push({ name: key.name, table: sourceLabel(key.table), why });
    else carried.push({ key, child, parent: why });
  }
  const names = uniqueConstraintNames(
    carried.map(({ key, child }) => ({
      sourceSchema: key.table.schema,
      name: key.name,
      table: child.target,
    })),
  );
  const declare = carried.map(({ key, child, parent }, i): ForeignKeyDeclaration => {
    const name = names[i]!;
    const columns = key.columns.map(snowflakeNameFor);
    const refColumns = key.refColumns.map(snowflakeNameFor);
    const sql = addForeignKey(name, child.target, columns, parent.target, refColumns);
    const asNamed = snowflakeNameFor(key.name);
    return name === asNamed
      ? { name, table: child.target, sql }
      : { name, table: child.target, sql, renamedFrom: asNamed };
  });
  return { declare, notCarried };
}

/**
 * Each constraint's Snowflake name, unique in its Snowflake schema: the source's name, or, where two keys
 * of the run would share it there, the source schema and the name (`SALES_FK_X`); a name still taken
 * after that (a key that was itself called `SALES_FK_X`) gets `_2`, `_3`... in order. Deterministic.
 */
export function uniqueConstraintNames(
  keys: { sourceSchema: string; name: string; table: SnowflakeName }[],
): string[] {
  const scoped = (table: SnowflakeName, name: string) => JSON.stringify([table.database, table.schema, name]);
  const counts = new Map<string, number>();
  for (const k of keys) {
    const id = scoped(k.table, snowflakeNameFor(k.name));
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const wanted = keys.map((k) =>
    counts.get(scoped(k.table, snowflakeNameFor(k.name)))! > 1
      ? snowflakeNameFor(`${k.sourceSchema}_${k.name}`)
      : snowflakeNameFor(k.name),
  );
  const taken = new Set<string>();
  return wanted.map((name, i) => {
    const table = keys[i]!.table;
    let unique = name;
    for (let n = 2; taken.has(scoped(table, unique)); n++) unique = `${name}_${n}`;
    taken.add(scoped(table, unique));
    return unique;
  });
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
