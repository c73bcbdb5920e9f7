/**
 * SQL Server identity columns as Snowflake sequences. Pure: SQL text and the start value, no I/O.
 *
 * A sequence's START is given when it is created (https://docs.snowflake.com/en/sql-reference/sql/create-sequence),
 * so it is created once the value to continue after is known; and a column's default can be
 * changed afterwards only from one sequence to another: "Change the default sequence for a column (i.e.
 * SET DEFAULT seq_name.NEXTVAL). Use only for columns that have a sequence already", while adding a
 * default or changing any other default is unsupported
 * (https://docs.snowflake.com/en/sql-reference/sql/alter-table-column). So the staging table is created
 * with its identity column drawing from a placeholder sequence (never used: every copied row brings its
 * own value), and once the highest copied value is known a second sequence is created to continue after
 * it and the column's default is switched to it; the placeholder is then dropped.
 */
import type { SnowflakeName } from '../../contracts/table';
import { MigrationError } from '../../contracts/errors';
import { quoteIdentifier } from '../../names/snowflake-names';
import { literal, qualifiedName, type TargetColumn } from './statements';

/**
 * `CREATE SEQUENCE ... START = s INCREMENT = i COMMENT = '...'`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-sequence). IF NOT EXISTS: a retried step
 * finds the sequence its earlier attempt created. The run that made it is in its name (target-names.ts).
 */
export function createSequence(
  name: SnowflakeName,
  start: string,
  increment: string,
  role: 'placeholder' | 'identity',
  source: string,
): string {
  const comment =
    role === 'identity'
      ? `continues the identity column of ${source} (sqlserver-snowflake-migrator)`
      : `placeholder for the identity column of ${source} until it is published (sqlserver-snowflake-migrator)`;
  return (
    `CREATE SEQUENCE IF NOT EXISTS ${qualifiedName(name)} START = ${start} INCREMENT = ${increment} ` +
    `COMMENT = ${literal(comment)}`
  );
}

/** The DEFAULT expression that draws the sequence's next value (`seq_name.NEXTVAL`, as alter-table-column.html writes it). */
export const nextValue = (sequence: SnowflakeName) => `${qualifiedName(sequence)}.NEXTVAL`;

export const setDefaultSequence = (table: SnowflakeName, column: string, sequence: SnowflakeName) =>
  `ALTER TABLE ${qualifiedName(table)} ALTER COLUMN ${quoteIdentifier(column)} SET DEFAULT ${nextValue(sequence)}`;

/** The table's columns with the identity column drawing from `sequence` (DEFAULT <sequence>.NEXTVAL). */
export function withIdentityDefault(
  columns: TargetColumn[],
  identity: { column: string } | undefined,
  sequence: SnowflakeName | undefined,
): TargetColumn[] {
  if (!identity || !sequence) return columns;
  return columns.map((c) => (c.name === identity.column ? { ...c, default: nextValue(sequence) } : c));
}

/** https://docs.snowflake.com/en/sql-reference/sql/drop-sequence */
export const dropSequence = (sequence: SnowflakeName) => `DROP SEQUENCE IF EXISTS ${qualifiedName(sequence)}`;

/** The copied value the sequence continues after: the highest, or the lowest for a negative increment. */
export function identityEdgeQuery(table: SnowflakeName, column: string, increment: string): string {
  const edge = increment.startsWith('-') ? 'MIN' : 'MAX';
  return `SELECT TO_VARCHAR(${edge}(${quoteIdentifier(column)})) AS V FROM ${qualifiedName(table)}`;
}

/** A sequence's values are 64-bit two's complement integers (CREATE SEQUENCE, START). */
const MIN_START = -(2n ** 63n);
const MAX_START = 2n ** 63n - 1n;

/**
 * Where the sequence starts: one increment after the edge of the copied values, or at the seed when no
 * row was copied (SQL Server gives the seed to a table's first row:
 * https://learn.microsoft.com/en-us/sql/t-sql/statements/create-table-transact-sql-identity-property).
 */
export function sequenceStart(edge: string | null, seed: string, increment: string, column: string): string {
  const start = edge === null ? BigInt(seed) : BigInt(edge) + BigInt(increment);
  if (start < MIN_START || start > MAX_START) {
    throw new MigrationError(
      'ValueNotRepresentable',
      `The identity column ${column} would continue at ${start}, beyond the 64-bit integers a Snowflake sequence holds.`,
    );
  }
  return start.toString();
}
