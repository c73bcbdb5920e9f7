/**
 * Computed columns (`name AS expression [PERSISTED [NOT NULL]]`,
 * https://learn.microsoft.com/en-us/sql/relational-databases/tables/specify-computed-columns-in-a-table):
 * the expression reads the row's other, non-computed columns; the column's type is the expression's, and
 * it is never written by INSERT or UPDATE. The stand-in computes the value when a row is written and stores
 * it, PERSISTED or not: reading a row then returns what SQL Server computes on read for an expression
 * over the row's own values. An UPDATE of a column an expression reads is refused (UPDATE runs inside
 * DuckDB, where the expression cannot be evaluated), rather than leave a stale value.
 */
import { SqlError, notSupported } from '../errors';
import type { ComputedColumnDefinition } from '../tsql/ast';
import type { SqlValue } from '../types/values';
import { Binder, type BindEnv } from './binder';
import type { RowFn } from './bound';
import type { ColumnInfo, TableInfo } from './catalog';
import { tableScope } from './checks';
import { parseDefaultExpression } from './defaults';
import { compileValue } from './evaluate';

/** The catalog entry of a computed column, its type still to be bound (`bindComputedColumns`). */
export function computedColumnInfo(definition: ComputedColumnDefinition): ColumnInfo {
  const { name, computed, notNull } = definition;
  return {
    name,
    type: { name: 'int' },
    nullable: !notNull,
    computed: { definition: `(${computed.text})`, persisted: computed.persisted },
  };
}

/** The expression bound over the table's columns; `read` gets the ordinal of each column it reads. */
function bindComputed(table: TableInfo, column: ColumnInfo, env: BindEnv, read: (ordinal: number) => void) {
  const binder = new Binder({ ...env, variables: new Map(), scope: [tableScope(table)] }, false);
  const bound = binder.value(parseDefaultExpression(column.computed!.definition));
  const fn = compileValue(bound, env.ctx, {
    value: (b) => {
      if (b.k !== 'column') throw notSupported('aggregates in a computed column');
      const ordinal = b.ordinal;
      read(ordinal);
      return (row) => row[ordinal] as SqlValue;
    },
  });
  return { bound, fn };
}

/**
 * Gives each computed column of a table being created its expression's type and nullability: "The
 * Database Engine automatically determines the nullability of computed columns based on the expressions
 * used. The result of most expressions is considered nullable ... An expression that is nullable can be
 * turned into a nonnullable one by specifying ISNULL with the check_expression constant"
 * (https://learn.microsoft.com/en-us/sql/t-sql/statements/create-table-transact-sql). A reference to
 * another computed column is error 1759, as on SQL Server.
 */
export function bindComputedColumns(table: TableInfo, env: BindEnv): void {
  for (const column of table.columns) {
    if (!column.computed) continue;
    const { bound } = bindComputed(table, column, env, (ordinal) => {
      const other = table.columns[ordinal]!;
      if (other.computed)
        throw new SqlError(
          1759,
          `Computed column '${column.name}' in table '${table.name}' is not allowed to be used in another computed-column definition.`,
        );
    });
    column.type = bound.type;
    const expr = parseDefaultExpression(column.computed.definition);
    const replacement = expr.kind === 'call' && expr.name === 'isnull' ? expr.args[1] : undefined;
    if (replacement?.kind === 'literal' && replacement.value.value !== null) column.nullable = false;
  }
}

/** Error 271, for an INSERT or UPDATE naming a computed column. */
export function computedNotModifiable(column: ColumnInfo): SqlError {
  return new SqlError(
    271,
    `The column "${column.name}" cannot be modified because it is either a computed column or is the result of a UNION operator.`,
  );
}

/** A function that sets a row's computed values from its other values; undefined for a table without any. */
export function computeRow(table: TableInfo, env: BindEnv): ((row: SqlValue[]) => void) | undefined {
  const computed: [number, RowFn][] = [];
  table.columns.forEach((column, ordinal) => {
    if (column.computed) computed.push([ordinal, bindComputed(table, column, env, () => undefined).fn]);
  });
  if (!computed.length) return undefined;
  return (row) => {
    for (const [ordinal, fn] of computed) row[ordinal] = fn(row) as SqlValue;
  };
}

/** UPDATE of a column that a computed column reads: refused (see the module comment). */
export function refuseComputedUpdate(table: TableInfo, ordinals: number[], env: BindEnv): void {
  for (const column of table.columns) {
    if (!column.computed) continue;
    const read = new Set<number>();
    bindComputed(table, column, env, (o) => read.add(o));
    if (ordinals.some((o) => read.has(o)))
      throw notSupported(`UPDATE of a column that the computed column ${column.name} reads`);
  }
}
