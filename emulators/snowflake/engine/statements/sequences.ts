/**
 * Sequences: CREATE SEQUENCE, DROP SEQUENCE, `<sequence>.NEXTVAL` as a column DEFAULT, and switching a
 * column's default from one sequence to another (ALTER TABLE ... ALTER COLUMN ... SET DEFAULT).
 *
 * - CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] <name> [WITH] [START [WITH] [=] n] [INCREMENT [BY] [=] n]
 *   [ORDER | NOORDER] [COMMENT = '...']; START and INCREMENT default to 1, are 64-bit integers, and the
 *   increment is not 0 (https://docs.snowflake.com/en/sql-reference/sql/create-sequence).
 * - A sequence gives its values in order, start, start + increment, ..., as with ORDER; Snowflake does not
 *   promise contiguous values (same page), so a client can rely on neither gaps nor their absence.
 * - ALTER COLUMN ... SET DEFAULT <seq>.NEXTVAL only on a column whose default is a sequence already;
 *   adding a default or changing another one is unsupported
 *   (https://docs.snowflake.com/en/sql-reference/sql/alter-table-column).
 *
 * The stand-in draws sequence values for the rows an INSERT ... VALUES leaves the column out of; where
 * else a sequence default would be needed (INSERT ... SELECT, COPY, MERGE, `DEFAULT` in VALUES, ADD
 * COLUMN) and `SELECT <seq>.NEXTVAL` are refused as not implemented. Sequence values follow the session's
 * transactions (a rolled-back INSERT gives its values back), where Snowflake's do not.
 */
import { objectExists, objectMissing, SnowflakeError, unsupported } from '../../errors';
import type { Cursor } from '../../sql/cursor';
import { tokenize } from '../../sql/lexer';
import { readQualifiedName } from '../../sql/identifiers';
import { MAX_TEXT_LENGTH } from '../../types';
import { convertValue } from '../../values/convert';
import type { Stored } from '../../values/parse';
import type { ColumnDef, SequenceInfo, TableInfo } from '../catalog';
import { displayObject, qualify, requireSchema, type ObjectName } from '../names';
import { status, type RowsResult } from '../result';
import type { Session } from '../session';

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

/**
 * 0A000: what Snowflake documents as unsupported (alter-table-column.html); its exact message is not
 * documented, so the stand-in's says what the documented rule is.
 */
const notSupported = (feature: string) =>
  new SnowflakeError('000002', '0A000', `SQL compilation error:\nUnsupported feature '${feature}'.`);

function integer(c: Cursor, what: string): bigint {
  const negative = c.acceptOp('-');
  const t = c.next();
  if (t.kind !== 'number' || !/^\d+$/.test(t.value)) throw c.error();
  const value = negative ? -BigInt(t.value) : BigInt(t.value);
  if (value < MIN || value > MAX)
    throw new SnowflakeError('001003', '42000', `SQL compilation error:\n${what} ${value} is out of range.`);
  return value;
}

export async function createSequence(session: Session, c: Cursor, replace: boolean): Promise<RowsResult> {
  const ifNotExists = c.acceptIfNotExists();
  const o = qualify(session, c.qualifiedName(), 'CREATE SEQUENCE');
  let start = 1n;
  let increment = 1n;
  let comment: string | null = null;
  c.accept('WITH');
  while (!c.done && !c.isOp(';')) {
    if (c.accept('START')) {
      c.accept('WITH');
      c.acceptOp('=');
      start = integer(c, 'START');
    } else if (c.accept('INCREMENT')) {
      c.accept('BY');
      c.acceptOp('=');
      increment = integer(c, 'INCREMENT');
      if (increment === 0n)
        throw new SnowflakeError('001003', '42000', 'SQL compilation error:\nINCREMENT must not be 0.');
    } else if (c.accept('ORDER') || c.accept('NOORDER')) {
      continue;
    } else if (c.accept('COMMENT')) {
      c.expectOp('=');
      comment = c.string();
    } else throw c.error();
  }
  c.end();
  return session.ddl(async () => {
    await requireSchema(session, o.database, o.schema);
    if (await session.catalog.findSequence(o.database, o.schema, o.name)) {
      if (ifNotExists) return status(`${o.name} already exists, statement succeeded.`);
      if (!replace) throw objectExists(displayObject(o));
      await session.catalog.dropSequence(o);
    }
    await session.catalog.createSequence({ ...o, start, increment, comment });
    return status(`Sequence ${o.name} successfully created.`);
  });
}

export async function dropSequence(session: Session, o: ObjectName, ifExists: boolean): Promise<RowsResult> {
  if (!(await session.catalog.findSequence(o.database, o.schema, o.name))) {
    if (ifExists) return status(`Drop statement executed successfully (${o.name} already dropped).`);
    throw objectMissing('Sequence', displayObject(o));
  }
  await session.catalog.dropSequence(o);
  return status(`${o.name} successfully dropped.`);
}

/** The sequence a DEFAULT `<name>.NEXTVAL` names (relative names in the table's schema), if it is one. */
export function sequenceOfDefault(
  defaultSql: string | null,
  table: Pick<TableInfo, 'database' | 'schema'>,
): ObjectName | undefined {
  if (defaultSql === null || !/\.\s*NEXTVAL\s*$/i.test(defaultSql)) return undefined;
  const tokens = tokenize(defaultSql);
  const name = readQualifiedName(tokens, 0);
  if (!name || name.next !== tokens.length || name.parts.length < 2 || name.parts.length > 4)
    return undefined;
  if (name.parts[name.parts.length - 1] !== 'NEXTVAL') return undefined;
  const parts = name.parts.slice(0, -1);
  return {
    database: parts.length === 3 ? parts[0]! : table.database,
    schema: parts.length >= 2 ? parts[parts.length - 2]! : table.schema,
    name: parts[parts.length - 1]!,
  };
}

async function requireSequence(session: Session, o: ObjectName): Promise<SequenceInfo> {
  const sequence = await session.catalog.findSequence(o.database, o.schema, o.name);
  if (!sequence) throw objectMissing('Sequence', displayObject(o));
  return sequence;
}

/** At CREATE TABLE: a column's sequence default names a sequence that exists. */
export async function checkSequenceDefaults(
  session: Session,
  table: Pick<TableInfo, 'database' | 'schema'>,
  columns: ColumnDef[],
): Promise<void> {
  for (const column of columns) {
    const sequence = sequenceOfDefault(column.defaultSql, table);
    if (sequence) await requireSequence(session, sequence);
  }
}

/** The next `count` values of the column's sequence, as the column stores them. */
export async function drawSequenceValues(
  session: Session,
  table: TableInfo,
  column: ColumnDef,
  count: number,
): Promise<(Stored | null)[]> {
  const sequence = await requireSequence(session, sequenceOfDefault(column.defaultSql, table)!);
  const values = await session.catalog.takeSequenceValues(sequence, count);
  const text = { kind: 'TEXT' as const, length: MAX_TEXT_LENGTH };
  return values.map((v) => convertValue(text, v.toString(), column.type, session.conversionContext()));
}

/** `ALTER TABLE t ALTER [COLUMN] c SET DEFAULT <seq>.NEXTVAL`; the rest of ALTER COLUMN is not implemented. */
export async function alterColumn(session: Session, c: Cursor, sql: string, table: TableInfo): Promise<void> {
  c.accept('COLUMN');
  const name = c.identifier();
  if (!c.accept('SET', 'DEFAULT'))
    throw unsupported(`ALTER TABLE ... ALTER COLUMN ... ${c.peek()?.value ?? ''}`);
  const first = c.peek();
  if (!first) throw c.error();
  const defaultSql = sql
    .slice(first.start, c.tokens[c.tokens.length - 1]!.end)
    .replace(/;\s*$/, '')
    .trim();
  c.pos = c.tokens.length;
  const column = table.columns.find((col) => col.name === name);
  if (!column) throw objectMissing('Column', name);
  const next = sequenceOfDefault(defaultSql, table);
  if (!sequenceOfDefault(column.defaultSql, table) || !next)
    throw notSupported('ALTER COLUMN ... SET DEFAULT on a column whose default is not a sequence');
  await requireSequence(session, next);
  await session.catalog.setColumnDefault(table, name, defaultSql);
}
