/**
 * CHECK constraints (https://learn.microsoft.com/sql/relational-databases/tables/create-check-constraints):
 * a row is refused when the condition is FALSE; TRUE and UNKNOWN (a NULL operand) pass. The condition is
 * kept as written and evaluated row by row in JavaScript, over the values the row is about to store.
 */
import { SqlError, notSupported } from '../errors';
import type { SqlValue } from '../types/values';
import { Binder, type BindEnv } from './binder';
import type { ScopeEntry } from './bound';
import type { CheckConstraint, TableInfo } from './catalog';
import { parseDefaultExpression } from './defaults';
import { physicalTableName } from './storage';
import { compilePred } from './evaluate';

/** The one table of a statement, its columns named after the DuckDB table itself. */
export function tableScope(table: TableInfo): ScopeEntry {
  const { database, schema, name, columns } = table;
  return {
    relation: { database, schema, name, columns, table },
    sqlAlias: physicalTableName(table.objectId),
    outer: false,
    used: new Set(),
  };
}

/**
 * The condition bound over the table's columns (207 for a column the table does not have); `read` gets
 * the ordinal of each column it reads.
 */
function compileCheck(
  table: TableInfo,
  check: CheckConstraint,
  env: BindEnv,
  read: (ordinal: number) => void = () => undefined,
) {
  const binder = new Binder({ ...env, variables: new Map(), scope: [tableScope(table)] }, false);
  const pred = binder.pred(parseDefaultExpression(check.source));
  // A row's values by column ordinal stand where the DuckDB result would.
  return compilePred(pred, env.ctx, {
    value: (b) => {
      if (b.k !== 'column') throw new Error('an aggregate in a CHECK constraint');
      const ordinal = b.ordinal;
      read(ordinal);
      return (row) => row[ordinal] as SqlValue;
    },
  });
}

/**
 * UPDATE runs inside DuckDB, where these conditions cannot be evaluated: an UPDATE of a column that an
 * enabled CHECK constraint reads is refused rather than let through unchecked.
 */
export function refuseCheckedUpdate(table: TableInfo, ordinals: number[], env: BindEnv): void {
  for (const check of table.checks ?? []) {
    if (check.disabled) continue;
    const read = new Set<number>();
    compileCheck(table, check, env, (o) => read.add(o));
    if (ordinals.some((o) => read.has(o)))
      throw notSupported(`UPDATE of a column that the CHECK constraint ${check.name} reads`);
  }
}

/** Binds a new constraint's condition, so that an unknown column fails the DDL, not a later INSERT. */
export function validateCheck(table: TableInfo, check: CheckConstraint, env: BindEnv): void {
  compileCheck(table, check, env);
}

/**
 * Error 547 for the first row that a CHECK constraint of the table refuses, with SQL Server's text
 * (https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors-0-to-999).
 */
export function enforceChecks(
  table: TableInfo,
  rows: SqlValue[][],
  env: BindEnv,
  statement: 'INSERT' | 'UPDATE' | 'ALTER TABLE',
): void {
  for (const check of table.checks ?? []) {
    if (check.disabled) continue;
    const holds = compileCheck(table, check, env);
    if (rows.some((row) => holds(row) === false)) throw checkConflict(table, check, statement);
  }
}

export function checkConflict(
  table: TableInfo,
  check: CheckConstraint,
  statement: 'INSERT' | 'UPDATE' | 'ALTER TABLE',
): SqlError {
  const column = check.column === undefined ? '' : `, column '${check.column}'`;
  return new SqlError(
    547,
    `The ${statement} statement conflicted with the CHECK constraint "${check.name}". The conflict occurred in database "${table.database}", table "${table.schema}.${table.name}"${column}.`,
    { state: 0 },
  );
}
