/** SELECT, INSERT, UPDATE and DELETE. */
import { insertCountMismatch, invalidIdentifier, unsupported } from '../../errors';
import type { Cursor } from '../../sql/cursor';
import { isConstantFunction } from '../../sql/functions';
import { tokenize, type Token } from '../../sql/lexer';
import { foldQuotedNames, quoteName } from '../../sql/identifiers';
import { coercion, type MergeAction, type MergeTranslation } from '../../sql/translate';
import { readQualifiedName } from '../../sql/identifiers';
import { readType, storageType, type TimestampKind } from '../../types';
import { convertValue } from '../../values/convert';
import { textConverter, type Stored, type TextConverter } from '../../values/parse';
import { appendRows, checkNotNull } from '../append';
import { missingBind } from '../binds';
import { physicalName, type ColumnDef, type TableInfo } from '../catalog';
import { constantValue, defaultValue, isSequenceDefault, type TypedValue } from '../constants';
import { drawSequenceValues } from './sequences';
import { snowflakeErrorOf } from '../duck';
import { sqlLiteral } from '../duck-values';
import { requireTable } from '../names';
import { translate, type StatementInput } from '../relations';
import { counts, rowsFromReader, STATEMENT_TYPE, type RowsResult } from '../result';

export async function select(input: StatementInput, end: number): Promise<RowsResult> {
  const sql = await translate(input, (t) => t.query(0, end, true));
  return rowsFromReader(await input.session.duck(sql));
}

export async function deleteRows(input: StatementInput, end: number): Promise<RowsResult> {
  const sql = await translate(input, (t) => t.delete(end));
  const reader = await input.session.atomic(() => input.session.duck(sql));
  return counts(STATEMENT_TYPE.DELETE, [['number of rows deleted', reader.rowsChanged]]);
}

export async function update(input: StatementInput, end: number): Promise<RowsResult> {
  const sql = await translate(input, (t) => t.update(end));
  const reader = await input.session.atomic(() => input.session.duck(sql));
  return counts(STATEMENT_TYPE.UPDATE, [
    ['number of rows updated', reader.rowsChanged],
    ['number of multi-joined rows updated', 0],
  ]);
}

/**
 * MERGE, run as DuckDB's MERGE. Snowflake fails (by default, ERROR_ON_NONDETERMINISTIC_MERGE) a merge
 * whose target row joins several source rows, where DuckDB would pick one: refused here (000002).
 */
export async function merge(input: StatementInput, end: number): Promise<RowsResult> {
  const { session } = input;
  const table = await requireTable(session, readMergeTarget(input.tokens), 'MERGE');
  const defaults = (name: string): string => {
    const column = table.columns.find((c) => c.name === name)!;
    const value = defaultValue(session, column, input.nowMs);
    return value === null ? 'NULL' : sqlLiteral(column.type, value);
  };
  let translated: MergeTranslation | undefined;
  await translate(input, (t) => {
    translated = t.merge(end, (column) => defaults(column.name));
    return translated.sql;
  });
  const merge = translated!;
  const actions = await session.atomic(async () => {
    if ((await session.duck(merge.repeatedMatch)).currentRowCount > 0) {
      throw unsupported(
        'MERGE joining a target row to several source rows (Snowflake: Duplicate row detected during DML action)',
      );
    }
    return (await session.duck(merge.sql)).getRows().map((row) => String(row[0]));
  });
  const names: [MergeAction, string][] = [
    ['INSERT', 'number of rows inserted'],
    ['UPDATE', 'number of rows updated'],
    ['DELETE', 'number of rows deleted'],
  ];
  return counts(
    STATEMENT_TYPE.MERGE,
    names
      .filter(([action]) => merge.actions.has(action))
      .map(([action, name]) => [name, actions.filter((a) => a === action).length]),
  );
}

/** The table after MERGE INTO. */
function readMergeTarget(tokens: Token[]): string[] {
  const name = readQualifiedName(tokens, 2);
  if (!name) throw unsupported('MERGE INTO without a table name');
  return name.parts;
}

export async function insert(input: StatementInput, c: Cursor, end: number): Promise<RowsResult> {
  const { session } = input;
  c.expect('INSERT');
  const overwrite = c.accept('OVERWRITE');
  if (c.accept('ALL')) return insertAll(input, c, end, overwrite);
  if (c.isWord('FIRST')) throw unsupported('INSERT FIRST (conditional multi-table insert)');
  c.expect('INTO');
  const { table, targets } = await insertTarget(input, c);
  const values = c.peek();
  let inserted: () => Promise<number>;
  if (!c.accept('VALUES')) inserted = () => insertSelect(input, c.pos, end, table, targets);
  else if (!hasExpressions(input.tokens, c.pos, end)) inserted = () => insertValues(input, c, table, targets);
  else {
    const query = valuesAsQuery(input, values!.start);
    inserted = () => insertSelect(query.input, query.start, query.input.tokens.length, table, targets);
  }
  const n = await session.atomic(async () => {
    if (overwrite) await emptyTable(input, table);
    return inserted();
  });
  return counts(STATEMENT_TYPE.INSERT, [['number of rows inserted', n]]);
}

/** The table after INTO and the columns it names (all of them without a list). */
async function insertTarget(
  input: StatementInput,
  c: Cursor,
): Promise<{ table: TableInfo; targets: ColumnDef[] }> {
  const table = await requireTable(input.session, c.qualifiedName(), 'INSERT');
  let targets = table.columns;
  if (c.isOp('(') && !c.isWord('SELECT', 1) && !c.isWord('WITH', 1)) {
    c.next();
    const names = [c.identifier()];
    while (c.acceptOp(',')) names.push(c.identifier());
    c.expectOp(')');
    targets = names.map((name) => {
      const column = table.columns.find((col) => col.name === name);
      if (!column) throw invalidIdentifier(quoteName(name));
      return column;
    });
  }
  return { table, targets };
}

/** INSERT OVERWRITE empties the table first, load history included. */
async function emptyTable(input: StatementInput, table: TableInfo): Promise<void> {
  await input.session.duck(`DELETE FROM ${physicalName(table.id)}`);
  await input.session.catalog.clearLoads(table.id);
}

/** Where INSERT ALL keeps its query's rows: it evaluates the query once for all its INTO clauses. */
const MULTI_INSERT_ROWS = 'sf_multi_insert_rows';

/**
 * `INSERT [OVERWRITE] ALL INTO t1 [(columns)] INTO t2 ... <query>` (unconditional multi-table insert):
 * every row of the query goes into each table. VALUES in an INTO clause and the conditional forms
 * (WHEN ... THEN, INSERT FIRST) are refused.
 */
async function insertAll(
  input: StatementInput,
  c: Cursor,
  end: number,
  overwrite: boolean,
): Promise<RowsResult> {
  const { session } = input;
  if (c.isWord('WHEN')) throw unsupported('conditional multi-table insert (INSERT ALL WHEN ...)');
  const intos: { table: TableInfo; targets: ColumnDef[] }[] = [];
  while (c.accept('INTO')) {
    intos.push(await insertTarget(input, c));
    if (c.isWord('VALUES')) throw unsupported('VALUES in a multi-table INSERT ... INTO clause');
  }
  if (intos.length === 0) throw c.error();
  const query = await translate(input, (t) => t.query(c.pos, end, false));
  const inserted = await session.atomic(async () => {
    await session.duck(`CREATE OR REPLACE TEMPORARY TABLE ${MULTI_INSERT_ROWS} AS ${query}`);
    try {
      const counts: number[] = [];
      for (const { table, targets } of intos) {
        if (overwrite) await emptyTable(input, table);
        counts.push(await insertQuery(input, `SELECT * FROM ${MULTI_INSERT_ROWS}`, table, targets));
      }
      return counts;
    } finally {
      await session.duck(`DROP TABLE IF EXISTS ${MULTI_INSERT_ROWS}`);
    }
  });
  return counts(
    STATEMENT_TYPE.MULTI_TABLE_INSERT,
    intos.map(({ table }, k) => [`number of rows inserted into ${table.name}`, inserted[k]!]),
  );
}

/** Whether VALUES holds more than readItem reads (binds, literals, DEFAULT, context functions). */
function hasExpressions(tokens: Token[], start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const t = tokens[k]!;
    const next = tokens[k + 1];
    if (t.kind === 'word' && next?.kind === 'op' && next.value === '(' && !isConstantFunction(t.value))
      return true;
    if (t.kind === 'op' && !['(', ')', ',', '-', '+'].includes(t.value)) return true;
  }
  return false;
}

/** INSERT ... VALUES with expressions runs as INSERT ... SELECT * FROM VALUES, which means the same. */
function valuesAsQuery(input: StatementInput, valuesAt: number): { input: StatementInput; start: number } {
  const sql = `${input.sql.slice(0, valuesAt)}SELECT * FROM ${input.sql.slice(valuesAt)}`;
  const tokens = foldQuotedNames(
    tokenize(sql).filter((t) => !(t.kind === 'op' && t.value === ';')),
    input.session.params.QUOTED_IDENTIFIERS_IGNORE_CASE,
  );
  return { input: { ...input, sql, tokens }, start: tokens.findIndex((t) => t.start === valuesAt) };
}

type Item = { bind: number } | { typed: TypedValue } | { text: string | null } | 'DEFAULT';

/** One VALUES item: a bind, a literal, DEFAULT, or a context function; anything else is refused. */
function readItem(input: StatementInput, c: Cursor, nextBind: () => number): Item {
  const t = c.next();
  if (t.kind === 'bind') return { bind: t.value === '' ? nextBind() : Number(t.value) - 1 };
  if (t.kind === 'string' || t.kind === 'number') return { text: t.value };
  if (t.kind === 'op' && (t.value === '-' || t.value === '+') && c.peek()?.kind === 'number')
    return { text: `${t.value}${c.next().value}` };
  if (t.kind === 'word') {
    if (t.value === 'NULL') return { text: null };
    if (t.value === 'TRUE' || t.value === 'FALSE') return { text: t.value };
    if (t.value === 'DEFAULT') return 'DEFAULT';
    if (c.peek()?.kind === 'string') {
      const parsed = readType(
        c.tokens,
        c.pos - 1,
        input.session.params.TIMESTAMP_TYPE_MAPPING as TimestampKind,
      );
      if (parsed) {
        const type = parsed.type;
        return {
          typed: { type, value: textConverter(type, input.session.conversionContext())(c.next().value) },
        };
      }
    }
    if (c.isOp('(')) {
      c.next();
      if (c.peek()?.kind === 'number') c.next();
      c.expectOp(')');
    }
    return { typed: constantValue(input.session, t.value, input.nowMs) };
  }
  throw unsupported(
    'expressions in INSERT ... VALUES (binds, literals, DEFAULT and context functions are implemented; use INSERT ... SELECT)',
  );
}

async function insertValues(
  input: StatementInput,
  c: Cursor,
  table: TableInfo,
  targets: ColumnDef[],
): Promise<number> {
  const { session } = input;
  let bindCount = 0;
  const tuples: Item[][] = [];
  do {
    c.expectOp('(');
    const items = [readItem(input, c, () => bindCount++)];
    while (c.acceptOp(',')) items.push(readItem(input, c, () => bindCount++));
    c.expectOp(')');
    if (items.length !== targets.length) throw insertCountMismatch(targets.length, items.length);
    tuples.push(items);
  } while (c.acceptOp(','));
  c.end();

  const ctx = session.conversionContext();
  const converters = new Map<ColumnDef, TextConverter>(
    targets.map((col) => [col, textConverter(col.type, ctx)]),
  );
  const position = new Map(targets.map((col, k) => [col, k]));
  const columnDefault = (col: ColumnDef) => defaultValue(session, col, input.nowMs);

  // Array binds: one VALUES tuple, and each bound array holds a value per row.
  const arrays = input.binds.filter((b) => Array.isArray(b.value));
  const rowCount = arrays.length > 0 ? (arrays[0]!.value as unknown[]).length : 1;
  if (
    arrays.some((b) => (b.value as unknown[]).length !== rowCount) ||
    (arrays.length > 0 && tuples.length > 1)
  ) {
    throw unsupported('array binds of different lengths, or with several VALUES tuples');
  }
  // A sequence default gives each row its own value; the other defaults are one value per statement.
  const drawn = new Map<ColumnDef, (Stored | null)[]>();
  for (const col of table.columns) {
    if (!position.has(col) && isSequenceDefault(col))
      drawn.set(col, await drawSequenceValues(session, table, col, tuples.length * rowCount));
  }
  const defaults = table.columns.map((col) =>
    position.has(col) || drawn.has(col) ? null : defaultValue(session, col, input.nowMs),
  );

  const valueOf = (item: Item, col: ColumnDef, row: number): Stored | null => {
    if (item === 'DEFAULT') return columnDefault(col);
    if ('typed' in item)
      return item.typed.value === null
        ? null
        : convertValue(item.typed.type, item.typed.value, col.type, ctx);
    let text: string | null;
    if ('bind' in item) {
      const bind = input.binds[item.bind];
      if (!bind) throw missingBind(item.bind);
      text = Array.isArray(bind.value) ? (bind.value[row] ?? null) : bind.value;
    } else text = item.text;
    return text === null ? null : converters.get(col)!(text);
  };

  function* rows(): Generator<(Stored | null)[]> {
    let n = 0;
    for (const tuple of tuples) {
      for (let row = 0; row < rowCount; row++, n++) {
        const values = table.columns.map((col, k) => {
          const at = position.get(col);
          if (at !== undefined) return valueOf(tuple[at]!, col, row);
          return drawn.get(col)?.[n] ?? defaults[k]!;
        });
        checkNotNull(table.columns, values);
        yield values;
      }
    }
  }
  // Converted in full first: a bad value fails the statement before any row is written.
  const converted = [...rows()];
  return appendRows(session, table, converted);
}

/** DuckDB's name of a type, without quotes and spaces, to compare with ours. */
const typeKey = (t: string) => t.replace(/["\s]/g, '').toUpperCase();

/**
 * Array binds run the statement once per bound row ("Binding an array for bulk insertions":
 * https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-execute). In INSERT ... SELECT
 * ... FROM VALUES (?, ...) that is the same as one VALUES tuple per row, which is how it runs here, in
 * one statement; array binds anywhere else in an INSERT ... SELECT are refused as not implemented.
 */
function expandArrayBinds(input: StatementInput, start: number, end: number): StatementInput {
  const rows = input.binds.find((b) => Array.isArray(b.value))?.value?.length ?? 0;
  const tokens = input.tokens;
  const open = tokens.findIndex(
    (t, i) =>
      i > start &&
      i < end &&
      t.kind === 'op' &&
      t.value === '(' &&
      tokens[i - 1]!.kind === 'word' &&
      tokens[i - 1]!.value === 'VALUES',
  );
  let close = open;
  for (let depth = 0; open >= 0 && close < end; close++) {
    if (tokens[close]!.kind === 'op' && tokens[close]!.value === '(') depth++;
    if (tokens[close]!.kind === 'op' && tokens[close]!.value === ')' && --depth === 0) break;
  }
  const binds = tokens.flatMap((t, i) => (t.kind === 'bind' ? [{ at: i, positional: t.value === '' }] : []));
  if (
    open < 0 ||
    binds.some((b) => b.at < open || b.at > close || !b.positional) ||
    input.binds.some((b) => Array.isArray(b.value) && b.value.length !== rows)
  )
    throw unsupported('array binds in INSERT ... SELECT other than in one VALUES (?, ...) tuple');
  const tuple = tokens.slice(open, close + 1);
  const comma = { ...tokens[close]!, value: ',', text: ',' };
  const tuples = Array.from({ length: rows }, (_, row) => (row ? [comma, ...tuple] : tuple)).flat();
  return {
    ...input,
    tokens: [...tokens.slice(0, open), ...tuples, ...tokens.slice(close + 1)],
    binds: Array.from({ length: rows }, (_, row) =>
      input.binds.map((b) => ({ ...b, value: Array.isArray(b.value) ? (b.value[row] ?? null) : b.value })),
    ).flat(),
  };
}

async function insertSelect(
  given: StatementInput,
  start: number,
  givenEnd: number,
  table: TableInfo,
  targets: ColumnDef[],
): Promise<number> {
  const arrays = given.binds.some((b) => Array.isArray(b.value));
  const input = arrays ? expandArrayBinds(given, start, givenEnd) : given;
  const end = givenEnd + input.tokens.length - given.tokens.length;
  const query = await translate(input, (t) => t.query(start, end, false));
  return insertQuery(input, query, table, targets);
}

/** Inserts the rows of a DuckDB query, each value converted to its column's type, defaults for the rest. */
async function insertQuery(
  input: StatementInput,
  query: string,
  table: TableInfo,
  targets: ColumnDef[],
): Promise<number> {
  const { session } = input;
  let sourceTypes: string[];
  try {
    const prepared = await session.connection.prepare(query);
    sourceTypes = Array.from({ length: prepared.columnCount }, (_, k) =>
      typeKey(prepared.columnType(k).toString()),
    );
    prepared.destroySync();
  } catch (err) {
    throw snowflakeErrorOf(err);
  }
  if (sourceTypes.length !== targets.length) throw insertCountMismatch(targets.length, sourceTypes.length);
  const aliases = targets.map((_, k) => quoteName(`__c${k + 1}`));
  const context = session.contextLiteral();
  const values = table.columns.map((col) => {
    const k = targets.indexOf(col);
    if (k < 0) {
      const value = defaultValue(session, col, input.nowMs);
      return value === null ? 'NULL' : sqlLiteral(col.type, value);
    }
    return sourceTypes[k] === typeKey(storageType(col.type))
      ? aliases[k]!
      : coercion(aliases[k]!, col.type, context);
  });
  const sql =
    `INSERT INTO ${physicalName(table.id)} (${table.columns.map((col) => quoteName(col.name)).join(', ')}) ` +
    `SELECT ${values.join(', ')} FROM (${query}) AS "__src"(${aliases.join(', ')})`;
  return (await session.duck(sql)).rowsChanged;
}
