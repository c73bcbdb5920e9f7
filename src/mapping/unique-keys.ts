/**
 * Which of a source table's UNIQUE constraints the Snowflake table declares. Pure.
 *
 * Snowflake keeps PRIMARY KEY, UNIQUE and FOREIGN KEY constraints on standard tables as declarations
 * for modelling and for tools that read them, but enforces only NOT NULL (and CHECK):
 * https://docs.snowflake.com/en/sql-reference/constraints
 * https://docs.snowflake.com/en/sql-reference/constraints-overview
 * A constraint over a column the run leaves out (excludeColumns) cannot be declared, and is listed as
 * not carried instead.
 */
import type { SourceUniqueKey } from '../source/catalog-facts';
import { snowflakeNameFor } from '../names/snowflake-names';
import type { TableShape } from './table-shape';

export interface CarriedUniqueKey {
  /** The source constraint's name (for the report; Snowflake names the declared one itself). */
  name: string;
  /** Snowflake column names, in key order. */
  columns: string[];
}

export function carriedUniqueKeys(
  keys: SourceUniqueKey[],
  shape: Pick<TableShape, 'mappings'>,
): CarriedUniqueKey[] {
  const copied = new Set(shape.mappings.map((m) => m.column.name));
  return keys
    .filter((k) => k.columns.every((c) => copied.has(c)))
    .map((k) => ({ name: k.name, columns: k.columns.map(snowflakeNameFor) }));
}
