/**
 * INSERT, UPDATE, DELETE and the in-process bulk load, with SQL Server's assignment rules: NOT NULL (515),
 * truncation (2628), identity (544, 545, 8102), duplicate keys under the collation (2627).
 */
import {
  DuckDBBlobValue,
  DuckDBDataChunk,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { SqlError, encryptedColumnRead, invalidColumn } from '../errors';
import { convert } from '../types/convert';
import type { SqlType } from '../types/sql-type';
import { INTEGER_RANGES, MAX, isBinaryType, isStringType, isUnicodeType } from '../types/sql-type';
import { typedFromJs, type SqlValue, type Typed } from '../types/values';
import type { Expr } from '../tsql/ast';
import { Binder, type BindEnv } from './binder';
import { QueryParams } from './bound';
import { sameName, type ColumnInfo, type KeyConstraint, type TableInfo } from './catalog';
import type { ChangeLog } from './change-tracking';
import { enforceChecks, refuseCheckedUpdate, tableScope } from './checks';
import { computeRow, computedNotModifiable, refuseComputedUpdate } from './computed-columns';
import { evaluateConstant } from './evaluate';
import { parseDefaultExpression } from './defaults';
import { Pushdown } from './pushdown';
import {
  keyDuckType,
  keySql,
  keyValue,
  physicalColumns,
  physicalTableName,
  storagePusher,
  storageValues,
  type StoragePusher,
  parseTypeName,
} from './storage';

const qualifiedName = (t: TableInfo): string => `${t.database}.${t.schema}.${t.name}`;

function nullError(column: ColumnInfo, table: TableInfo, statement: 'INSERT' | 'UPDATE'): SqlError {
  return new SqlError(
    515,
    `Cannot insert the value NULL into column '${column.name}', table '${qualifiedName(table)}'; column does not allow nulls. ${statement} fails.`,
    { state: 2 },
  );
}

/** Converts a value for storing in a column: like CAST, except that strings and binaries never get cut. */
export function assignValue(
  v: Typed,
  column: ColumnInfo,
  table: TableInfo,
  statement: 'INSERT' | 'UPDATE',
): SqlValue {
  if (v.value === null) {
    if (!column.nullable) throw nullError(column, table, statement);
    return null;
  }
  const t = column.type;
  const limited = (isStringType(t) || isBinaryType(t)) && t.length !== undefined && t.length !== MAX;
  if (!limited) return convert(v.value, v.type, t);
  const wide: SqlType = isStringType(t)
    ? { name: isUnicodeType(t) ? 'nvarchar' : 'varchar', length: MAX }
    : { name: 'varbinary', length: MAX };
  const full = convert(v.value, v.type, wide) as string | Buffer;
  if (full.length > t.length!) {
    const cut =
      typeof full === 'string'
        ? full.slice(0, t.length!)
        : '0x' + full.subarray(0, t.length!).toString('hex').toUpperCase();
    throw new SqlError(
      2628,
      `String or binary data would be truncated in table '${qualifiedName(table)}', column '${column.name}'. Truncated value: '${cut}'.`,
      { state: 1 },
    );
  }
  return convert(full, wide, t);
}

/** Hands out identity values; explicit values move the counter on as SQL Server does. */
export class IdentityCounter {
  constructor(
    private readonly table: TableInfo,
    private readonly column: ColumnInfo,
  ) {}

  next(): SqlValue {
    const { seed, increment } = this.column.identity!;
    const value = this.table.identityCurrent === undefined ? seed : this.table.identityCurrent + increment;
    this.table.identityCurrent = value;
    return this.asColumnValue(value);
  }

  explicit(value: SqlValue): void {
    if (value === null) return;
    const v = BigInt(value as number | bigint);
    const { increment } = this.column.identity!;
    const current = this.table.identityCurrent;
    if (current === undefined || (increment > 0n ? v > current : v < current)) this.table.identityCurrent = v;
  }

  private asColumnValue(v: bigint): SqlValue {
    return convert(v, { name: 'bigint' }, this.column.type);
  }
}

/**
 * Appends rows (values by column ordinal) through a DuckDB appender, a data chunk of 2048 rows at a time:
 * several times faster than appending value by value.
 */
export class RowAppender {
  private readonly types: DuckDBType[];
  private readonly pushers: { push: StoragePusher; at: number }[];
  private columns: DuckDBValue[][];
  private pending = 0;

  private constructor(
    private readonly appender: DuckDBAppender,
    table: TableInfo,
  ) {
    const physical = table.columns.map((c, i) => physicalColumns(c.type, i));
    this.types = physical.flat().map((p) => p.duckType);
    let at = 0;
    this.pushers = table.columns.map((c, i) => {
      const entry = { push: storagePusher(c.type), at };
      at += physical[i]!.length;
      return entry;
    });
    this.columns = this.types.map(() => []);
  }

  static async open(connection: DuckDBConnection, table: TableInfo): Promise<RowAppender> {
    return new RowAppender(await connection.createAppender(physicalTableName(table.objectId)), table);
  }

  append(row: SqlValue[]): void {
    for (let i = 0; i < this.pushers.length; i++)
      this.pushers[i]!.push(this.columns, this.pushers[i]!.at, row[i]!);
    if (++this.pending === CHUNK_ROWS) this.flush();
  }

  private flush(): void {
    if (this.pending === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, this.pending);
    this.columns.forEach((values, c) => {
      const vector = chunk.getColumnVector(c);
      for (let i = 0; i < values.length; i++) vector.setItem(i, values[i]!);
      vector.flush();
    });
    this.appender.appendDataChunk(chunk);
    this.columns = this.types.map(() => []);
    this.pending = 0;
  }

  close(): void {
    this.flush();
    this.appender.closeSync();
  }
}

const CHUNK_ROWS = 2048;

/** The key text SQL Server prints in error 2627: "(1, abc)". */
function duplicateKeyText(table: TableInfo, ordinals: number[], row: SqlValue[]): string {
  return ordinals
    .map((o) => {
      const v = row[o];
      return v === null || v === undefined
        ? 'NULL'
        : String(convert(v, table.columns[o]!.type, { name: 'nvarchar', length: MAX }));
    })
    .join(', ');
}

/** A value's key as text, to find duplicates among the rows of one statement. */
function keyText(type: SqlType, v: SqlValue): string {
  const key = keyValue(type, v);
  return key instanceof DuckDBBlobValue ? Buffer.from(key.bytes).toString('hex') : String(key);
}

/**
 * Refuses rows whose primary or unique key is already taken (equal under the collation), before DuckDB
 * sees them: DuckDB would abort the whole transaction, SQL Server fails only the statement.
 */
export async function checkKeys(
  connection: DuckDBConnection,
  table: TableInfo,
  rows: SqlValue[][],
): Promise<void> {
  const constraint = (kind: string) => (key: KeyConstraint) => ({
    key,
    error: (value: string) =>
      new SqlError(
        2627,
        `Violation of ${kind} constraint '${key.name}'. Cannot insert duplicate key in object '${table.schema}.${table.name}'. The duplicate key value is (${value}).`,
        { class: 14 },
      ),
  });
  const keys = [
    ...(table.primaryKey ? [constraint('PRIMARY KEY')(table.primaryKey)] : []),
    ...table.uniques.map(constraint('UNIQUE KEY')),
    ...(table.indexes ?? [])
      .filter((ix) => ix.unique)
      .map((key) => ({
        key,
        error: (value: string) =>
          new SqlError(
            2601,
            `Cannot insert duplicate key row in object '${table.schema}.${table.name}' with unique index '${key.name}'. The duplicate key value is (${value}).`,
            { class: 14 },
          ),
      })),
  ];
  for (const { key, error } of keys) {
    const ordinals = key.columns.map((name) => table.columns.findIndex((c) => sameName(c.name, name)));
    const duplicate = (row: SqlValue[]): SqlError => error(duplicateKeyText(table, ordinals, row));
    const candidates = rows.filter((row) => ordinals.every((o) => row[o] !== null));
    const seen = new Set<string>();
    for (const row of candidates) {
      const id = ordinals.map((o) => keyText(table.columns[o]!.type, row[o]!)).join('\u0000');
      if (seen.has(id)) throw duplicate(row);
      seen.add(id);
    }
    const clash = await firstExisting(connection, table, ordinals, candidates);
    if (clash) throw duplicate(clash);
  }
}

/** The first of the rows whose key is in the table already. */
async function firstExisting(
  connection: DuckDBConnection,
  table: TableInfo,
  ordinals: number[],
  rows: SqlValue[][],
): Promise<SqlValue[] | undefined> {
  for (let start = 0; start < rows.length; start += 200) {
    const batch = rows.slice(start, start + 200);
    const params = new QueryParams();
    const values = batch.map((row, i) => {
      const cells = ordinals.map((o) =>
        params.add(keyValue(table.columns[o]!.type, row[o]!), keyDuckType(table.columns[o]!.type)),
      );
      return `(${[...cells, String(i)].join(', ')})`;
    });
    const names = ordinals.map((_, j) => `x${j}`);
    const on = ordinals.map((o, j) => `${keySql(table.columns[o]!.type, 't', o)} = v.x${j}`).join(' AND ');
    const sql = `SELECT v.i FROM (VALUES ${values.join(', ')}) AS v(${[...names, 'i'].join(', ')}) JOIN ${physicalTableName(table.objectId)} AS t ON ${on} ORDER BY v.i LIMIT 1`;
    const found = (await connection.runAndReadAll(sql, params.values, params.types)).getRows();
    if (found.length > 0) return batch[Number(found[0]![0])];
  }
  return undefined;
}

export interface InsertContext {
  env: BindEnv;
  connection: DuckDBConnection;
  identityInsert: boolean;
  /** The change log of a change-tracked table. */
  log?: ChangeLog;
  /**
   * A bulk load without CHECK_CONSTRAINTS: CHECK constraints are not evaluated and become not trusted
   * (https://learn.microsoft.com/sql/t-sql/statements/bulk-insert-transact-sql, CHECK_CONSTRAINTS).
   */
  skipChecks?: boolean;
}

/** INSERT ... VALUES / DEFAULT VALUES: evaluates, converts and checks every row, then appends them. */
/** What INSERT takes its rows from: VALUES, DEFAULT VALUES, or the rows a SELECT returned. */
export type InsertSource =
  | Expr[][]
  | 'default'
  /** nullIsDefault: a NULL takes the column's default, as a bulk load without KEEP_NULLS does. */
  | { types: SqlType[]; rows: SqlValue[][]; nullIsDefault?: boolean };

export async function insertRows(
  table: TableInfo,
  columnNames: string[] | undefined,
  rows: InsertSource,
  ctx: InsertContext,
): Promise<{ count: number; lastIdentity: bigint | null }> {
  const identityOrdinal = table.columns.findIndex((c) => c.identity);
  const targets = columnNames
    ? columnNames.map((name) => {
        const ordinal = table.columns.findIndex((c) => sameName(c.name, name));
        if (ordinal < 0) throw invalidColumn(name);
        return ordinal;
      })
    : table.columns
        .map((_, i) => i)
        .filter(
          (i) =>
            (i !== identityOrdinal || ctx.identityInsert) &&
            !table.columns[i]!.hidden &&
            !table.columns[i]!.computed,
        );
  for (const ordinal of targets) {
    const column = table.columns[ordinal]!;
    if (column.encryption) throw encryptedColumnRead(column.name);
    if (column.computed) throw computedNotModifiable(column);
    if (column.generatedAlways)
      throw new SqlError(
        13536,
        `Cannot insert an explicit value into a GENERATED ALWAYS column in table '${qualifiedName(table)}'. Use INSERT with a column list to exclude the GENERATED ALWAYS column, or insert a DEFAULT into GENERATED ALWAYS column.`,
      );
  }
  const duplicate = targets.find((t, i) => targets.indexOf(t) !== i);
  if (duplicate !== undefined) {
    throw new SqlError(
      264,
      `The column name '${table.columns[duplicate]!.name}' is specified more than once in the SET clause or column list of an INSERT. A column cannot be assigned more than one value in the same clause. Modify the clause to make sure that a column is updated only once. If this statement updates or inserts columns into a view, column aliasing can conceal these duplications.`,
    );
  }
  const explicitIdentity = identityOrdinal >= 0 && targets.includes(identityOrdinal);
  if (explicitIdentity && !ctx.identityInsert) {
    throw new SqlError(
      544,
      `Cannot insert explicit value for identity column in table '${table.name}' when IDENTITY_INSERT is set to OFF.`,
    );
  }
  if (ctx.identityInsert && !explicitIdentity) {
    throw new SqlError(
      545,
      `Explicit value must be specified for identity column in table '${table.name}' either when IDENTITY_INSERT is set to ON or when a replication user is inserting into a NOT FOR REPLICATION identity column.`,
    );
  }
  if (ctx.identityInsert && !columnNames) {
    throw new SqlError(
      8101,
      `An explicit value for the identity column in table '${qualifiedName(table)}' can only be specified when a column list is used and IDENTITY_INSERT is ON.`,
    );
  }
  const binder = new Binder(ctx.env, false);
  const counter =
    identityOrdinal >= 0 ? new IdentityCounter(table, table.columns[identityOrdinal]!) : undefined;
  const width = rows === 'default' ? targets.length : Array.isArray(rows) ? undefined : rows.types.length;
  if (width !== undefined && width !== targets.length) {
    const more = width > targets.length;
    throw new SqlError(
      more ? 121 : 120,
      `The select list for the INSERT statement contains ${more ? 'more' : 'fewer'} items than the insert list. The number of SELECT values must match the number of INSERT columns.`,
      { class: 15 },
    );
  }
  // Each row's values, typed; undefined stands for DEFAULT.
  const sourceRows: (Typed | undefined)[][] =
    rows === 'default'
      ? [[]]
      : Array.isArray(rows)
        ? rows.map((r) =>
            r.map((e) =>
              e.kind === 'call' && e.name === 'default' ? undefined : constant(binder, e, ctx.env),
            ),
          )
        : rows.rows.map((r) =>
            r.map((value, i) =>
              value === null && rows.nullIsDefault ? undefined : { type: rows.types[i]!, value },
            ),
          );
  const converted: SqlValue[][] = [];
  const compute = computeRow(table, ctx.env);
  let lastIdentity: bigint | null = null;
  for (const source of sourceRows) {
    if (Array.isArray(rows) && source.length !== targets.length) {
      throw new SqlError(
        source.length > targets.length ? 109 : 110,
        source.length > targets.length
          ? 'There are more columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.'
          : 'There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.',
        { class: 15 },
      );
    }
    const row: SqlValue[] = new Array(table.columns.length).fill(null);
    const given = new Set<number>();
    source.forEach((value, i) => {
      const ordinal = targets[i]!;
      const column = table.columns[ordinal]!;
      given.add(ordinal);
      row[ordinal] = assignValue(value ?? defaultValue(column, ctx.env), column, table, 'INSERT');
    });
    table.columns.forEach((column, ordinal) => {
      if (given.has(ordinal) || column.computed) return;
      if (ordinal === identityOrdinal) row[ordinal] = counter!.next();
      else if (column.generatedAlways) row[ordinal] = periodValue(column);
      else row[ordinal] = assignValue(defaultValue(column, ctx.env), column, table, 'INSERT');
    });
    if (counter) {
      if (explicitIdentity) counter.explicit(row[identityOrdinal]!);
      lastIdentity = BigInt(row[identityOrdinal] as number | bigint);
    }
    compute?.(row);
    converted.push(row);
  }
  if (!ctx.skipChecks) enforceChecks(table, converted, ctx.env, 'INSERT');
  else for (const check of table.checks ?? []) if (!check.disabled) check.notTrusted = true;
  await checkKeys(ctx.connection, table, converted);
  const appender = await RowAppender.open(ctx.connection, table);
  try {
    for (const row of converted) appender.append(row);
  } finally {
    appender.close();
  }
  if (ctx.log) await ctx.log.logRows('I', converted);
  return { count: converted.length, lastIdentity };
}

function constant(binder: Binder, expr: Expr, env: BindEnv): Typed {
  const bound = binder.value(expr);
  if (bound.k !== 'const') {
    return { type: bound.type, value: evaluateConstant(bound, env.ctx) };
  }
  return { type: bound.type, value: bound.value };
}

/**
 * A period column's value for an inserted row: ROW START is the time the change happened, in UTC (the
 * stand-in takes the row's insert time, SQL Server its transaction's begin time), ROW END the largest
 * datetime2 value, 9999-12-31 23:59:59.9999999
 * (https://learn.microsoft.com/sql/relational-databases/tables/temporal-tables).
 */
function periodValue(column: ColumnInfo): SqlValue {
  const text =
    column.generatedAlways === 'AS_ROW_END'
      ? '9999-12-31 23:59:59.9999999'
      : new Date().toISOString().replace('T', ' ').replace('Z', '');
  return convert(text, { name: 'varchar', length: 40 }, column.type);
}

/** A column's DEFAULT, evaluated now (GETDATE(), NEWID() ...), or NULL without one. */
export function defaultValue(column: ColumnInfo, env: BindEnv): Typed {
  if (!column.default) return { type: column.type, value: null };
  const binder = new Binder({ ...env, scope: [] }, false);
  return constant(binder, parseDefaultExpression(column.default.source), env);
}

/** UPDATE t SET c = expr [WHERE ...]: constants are converted here, expressions run in DuckDB. */
export async function updateRows(
  table: TableInfo,
  sets: { column: string; expr: Expr }[],
  where: Expr | undefined,
  env: BindEnv,
  connection: DuckDBConnection,
  log?: ChangeLog,
): Promise<number> {
  const physical = physicalTableName(table.objectId);
  const binder = new Binder({ ...env, scope: [tableScope(table)] }, false);
  const params = new QueryParams();
  const pushdown = new Pushdown(params);
  const assignments: string[] = [];
  const setOrdinals = sets.map((set) => table.columns.findIndex((c) => sameName(c.name, set.column)));
  refuseCheckedUpdate(table, setOrdinals, env);
  refuseComputedUpdate(table, setOrdinals, env);
  let keyChanged = false;
  const seen = new Set<number>();
  for (const set of sets) {
    const ordinal = table.columns.findIndex((c) => sameName(c.name, set.column));
    if (ordinal < 0) throw invalidColumn(set.column);
    const column = table.columns[ordinal]!;
    if (column.identity) throw new SqlError(8102, `Cannot update identity column '${column.name}'.`);
    if (column.computed) throw computedNotModifiable(column);
    if (seen.has(ordinal)) {
      throw new SqlError(
        264,
        `The column name '${column.name}' is specified more than once in the SET clause or column list of an UPDATE. A column cannot be assigned more than one value in the same clause. Modify the clause to make sure that a column is updated only once. If this statement updates or inserts columns into a view, column aliasing can conceal these duplications.`,
      );
    }
    seen.add(ordinal);
    keyChanged ||= log?.isKeyColumn(ordinal) === true;
    const isDefault = set.expr.kind === 'call' && set.expr.name === 'default';
    const bound = isDefault ? { k: 'const' as const, ...defaultValue(column, env) } : binder.value(set.expr);
    const columns = physicalColumns(column.type, ordinal);
    if (bound.k === 'const') {
      const stored = storageValues(column.type, assignValue(bound, column, table, 'UPDATE'));
      columns.forEach((p, j) => assignments.push(`${p.name} = ${params.add(stored[j]!, p.duckType)}`));
      continue;
    }
    const e = pushdown.value({ k: 'cast', type: column.type, arg: bound, try: false });
    columns.forEach((p) =>
      assignments.push(
        `${p.name} = ${p.name.startsWith('k') ? e.key : p.name.startsWith('o') ? e.parts[1] : e.parts[0]}`,
      ),
    );
  }
  const condition = where ? binder.pred(where) : undefined;
  const whereSql = condition ? ` WHERE ${pushdown.pred(condition)}` : '';
  const sql = `UPDATE ${physical} SET ${assignments.join(', ')}${whereSql}`;
  if (!log) return (await connection.run(sql, params.values, params.types)).rowsChanged;
  // A primary-key update is tracked as a delete of the old key and an insert of the new one
  // (https://learn.microsoft.com/sql/relational-databases/system-functions/changetable-transact-sql).
  await log.logSelected(keyChanged ? 'D' : 'U', (p) =>
    condition ? ` WHERE ${new Pushdown(p).pred(condition)}` : '',
  );
  if (!keyChanged) return (await connection.run(sql, params.values, params.types)).rowsChanged;
  const keys = (
    await connection.runAndReadAll(`${sql} RETURNING ${log.keyColumns}`, params.values, params.types)
  ).getRows();
  await log.logStored('I', keys);
  return keys.length;
}

export async function deleteRows(
  table: TableInfo,
  where: Expr | undefined,
  env: BindEnv,
  connection: DuckDBConnection,
  log?: ChangeLog,
): Promise<number> {
  const physical = physicalTableName(table.objectId);
  const binder = new Binder({ ...env, scope: [tableScope(table)] }, false);
  const params = new QueryParams();
  const condition = where ? binder.pred(where) : undefined;
  const whereSql = condition ? ` WHERE ${new Pushdown(params).pred(condition)}` : '';
  if (log) await log.logSelected('D', (p) => (condition ? ` WHERE ${new Pushdown(p).pred(condition)}` : ''));
  const result = await connection.run(`DELETE FROM ${physical}${whereSql}`, params.values, params.types);
  return result.rowsChanged;
}

/**
 * Converts bulkInsert's JavaScript values for one column: values already of the column's kind go straight
 * through, everything else takes the CAST path (and its errors).
 */
function jsAssigner(column: ColumnInfo, table: TableInfo): (v: unknown) => SqlValue {
  const generic = (v: unknown): SqlValue => assignValue(typedFromJs(v), column, table, 'INSERT');
  const t = column.type;
  const range = INTEGER_RANGES[t.name];
  if (range && t.name !== 'bigint') {
    const [lo, hi] = [Number(range[0]), Number(range[1])];
    return (v) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : generic(v));
  }
  switch (t.name) {
    case 'bigint':
      return (v) => (typeof v === 'bigint' && v >= range![0] && v <= range![1] ? v : generic(v));
    case 'float':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : generic(v));
    case 'bit':
      return (v) => (typeof v === 'boolean' ? v : generic(v));
    case 'nvarchar': {
      const max = t.length === MAX ? Number.POSITIVE_INFINITY : t.length!;
      return (v) => (typeof v === 'string' && v.length <= max ? v : generic(v));
    }
    case 'sql_variant':
      // `{ type: 'decimal(18,4)', text: '12.3400' }`: the text as CAST(N'...' AS decimal(18,4)) stores it, so
      // a seeded sql_variant can have any base type (a plain JS value has the type typedFromJs gives it).
      return (v) => {
        if (typeof v !== 'object' || v === null || !('type' in v) || !('text' in v)) return generic(v);
        const type = parseTypeName(String(v.type));
        return { variant: type, value: convert(String(v.text), { name: 'nvarchar', length: MAX }, type) };
      };
    default:
      return generic;
  }
}

/** bulkInsert: converts and appends rows in one transaction; duplicate keys fail the whole load. */
export async function bulkLoad(
  connection: DuckDBConnection,
  table: TableInfo,
  columnNames: string[],
  rows: AsyncIterable<unknown[]> | Iterable<unknown[]>,
  env: BindEnv,
): Promise<number> {
  const ordinals = columnNames.map((name) => {
    const ordinal = table.columns.findIndex((c) => sameName(c.name, name));
    if (ordinal < 0) throw invalidColumn(name);
    if (table.columns[ordinal]!.computed) throw computedNotModifiable(table.columns[ordinal]!);
    return ordinal;
  });
  const compute = computeRow(table, env);
  const assigners = ordinals.map((o) => jsAssigner(table.columns[o]!, table));
  const identityOrdinal = table.columns.findIndex((c) => c.identity);
  const counter =
    identityOrdinal >= 0 ? new IdentityCounter(table, table.columns[identityOrdinal]!) : undefined;
  const explicitIdentity = ordinals.includes(identityOrdinal);
  const missing = table.columns
    .map((_, i) => i)
    .filter((i) => !ordinals.includes(i) && !table.columns[i]!.computed);
  await connection.run('BEGIN TRANSACTION');
  let appender: RowAppender | undefined;
  let count = 0;
  try {
    appender = await RowAppender.open(connection, table);
    const row: SqlValue[] = new Array(table.columns.length).fill(null);
    for await (const source of rows) {
      if (source.length !== ordinals.length) {
        throw new SqlError(
          50000,
          `bulkInsert: row ${count + 1} has ${source.length} values for ${ordinals.length} columns.`,
        );
      }
      for (let i = 0; i < ordinals.length; i++) row[ordinals[i]!] = assigners[i]!(source[i]);
      for (const o of missing) {
        row[o] =
          o === identityOrdinal
            ? counter!.next()
            : assignValue(defaultValue(table.columns[o]!, env), table.columns[o]!, table, 'INSERT');
      }
      if (counter && explicitIdentity) counter.explicit(row[identityOrdinal]!);
      compute?.(row);
      appender.append(row);
      count++;
    }
    appender.close();
    appender = undefined;
    await connection.run('COMMIT');
    return count;
  } catch (e) {
    try {
      appender?.close();
    } catch {
      // the load failed already; the rollback below discards what the appender held
    }
    await connection.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
