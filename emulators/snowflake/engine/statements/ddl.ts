/** CREATE, DROP and ALTER of databases, schemas, tables, stages and sequences (./sequences.ts); TRUNCATE. */
import { promises as fs } from 'node:fs';
import { noCurrentDatabase, objectExists, objectMissing, SnowflakeError, unsupported } from '../../errors';
import type { Cursor } from '../../sql/cursor';
import { displayName } from '../../sql/identifiers';
import { namedStageFolder } from '../../stages';
import { readType, type TimestampKind } from '../../types';
import { physicalName, type ColumnDef, type TableInfo } from '../catalog';
import { checkDefault, defaultValue } from '../constants';
import {
  displayObject,
  qualify,
  requireDatabase,
  requireSchema,
  requireTable,
  type ObjectName,
} from '../names';
import { status, STATEMENT_TYPE, type RowsResult } from '../result';
import {
  fileFormat,
  formatOptionsToJson,
  readFormatOptions,
  type FormatOptions,
} from '../../load/copy-statement';
import type { Session } from '../session';
import { declareForeignKey, readForeignKey, type ForeignKeyClause } from './foreign-keys';
import { alterColumn, checkSequenceDefaults, createSequence, dropSequence } from './sequences';

export interface DdlContext {
  session: Session;
  sql: string;
  stageRoot: string;
  nowMs: number;
}

const DONE = 'Statement executed successfully.';
const alreadyExists = (name: string) => status(`${name} already exists, statement succeeded.`);

/** 002025 (42S21): a column name given twice. */
const duplicateColumn = (name: string) =>
  new SnowflakeError('002025', '42S21', `SQL compilation error:\nduplicate column name '${name}'`);

export async function create(ctx: DdlContext, c: Cursor): Promise<RowsResult> {
  c.expect('CREATE');
  const replace = c.accept('OR', 'REPLACE');
  if (!c.accept('LOCAL')) c.accept('GLOBAL');
  const kind = c.accept('TRANSIENT')
    ? 'TRANSIENT'
    : c.accept('TEMPORARY') || c.accept('TEMP') || c.accept('VOLATILE')
      ? 'TEMPORARY'
      : 'TABLE';
  if (c.accept('DATABASE')) return createDatabase(ctx.session, c, replace);
  if (c.accept('SCHEMA')) return createSchema(ctx.session, c, replace);
  if (c.accept('STAGE')) return createStage(ctx, c, replace, kind === 'TEMPORARY');
  if (c.accept('TABLE')) return createTable(ctx, c, replace, kind);
  if (c.accept('FILE', 'FORMAT')) return createFileFormat(ctx, c, replace);
  if (c.accept('SEQUENCE')) return createSequence(ctx.session, c, replace);
  throw unsupported(`CREATE ${c.peek()?.value ?? ''}`);
}

/**
 * Skips `NAME = value` and `NAME = (...)` options that change nothing in the stand-in, except those `take`
 * reads itself (it returns true for them, with the cursor after their value); returns the COMMENT.
 */
function skipOptions(
  c: Cursor,
  refuse: string[] = [],
  take: (option: string) => boolean = () => false,
): string | null {
  let comment: string | null = null;
  while (!c.done && !c.isOp(';')) {
    if (c.accept('WITH')) continue;
    if (c.accept('COPY', 'GRANTS')) continue;
    if (c.accept('CLUSTER', 'BY')) {
      c.pos = c.matchingParen() + 1;
      continue;
    }
    const option = c.identifier();
    if (refuse.includes(option)) throw unsupported(`${option} (the stand-in has internal stages only)`);
    if (option === 'MANAGED' && c.accept('ACCESS')) continue;
    c.expectOp('=');
    if (take(option)) continue;
    if (c.isOp('(')) c.pos = c.matchingParen() + 1;
    else if (option === 'COMMENT') comment = c.string();
    else c.next();
  }
  c.end();
  return comment;
}

async function createDatabase(session: Session, c: Cursor, replace: boolean): Promise<RowsResult> {
  const ifNotExists = c.acceptIfNotExists();
  const name = c.identifier();
  const comment = skipOptions(c);
  return session.ddl(async () => {
    if (await session.catalog.hasDatabase(name)) {
      if (ifNotExists) return alreadyExists(name);
      if (!replace) throw objectExists(displayName(name));
      await session.catalog.dropDatabase(name);
    }
    await session.catalog.createDatabase(name, comment);
    // Creating a database makes it (and its PUBLIC schema) current, as in Snowflake.
    session.identity.database = name;
    session.identity.schema = 'PUBLIC';
    return status(`Database ${name} successfully created.`);
  });
}

async function createSchema(session: Session, c: Cursor, replace: boolean): Promise<RowsResult> {
  const ifNotExists = c.acceptIfNotExists();
  const parts = c.qualifiedName();
  const comment = skipOptions(c);
  if (parts.length > 2) throw unsupported(`the schema name ${parts.join('.')}`);
  const database = parts.length === 2 ? parts[0]! : session.identity.database;
  const name = parts[parts.length - 1]!;
  if (database === null) throw noCurrentDatabase('CREATE SCHEMA');
  return session.ddl(async () => {
    await requireDatabase(session, database);
    if (await session.catalog.hasSchema(database, name)) {
      if (ifNotExists) return alreadyExists(name);
      if (!replace) throw objectExists(`${displayName(database)}.${displayName(name)}`);
      await session.catalog.dropSchema(database, name);
    }
    await session.catalog.createSchema(database, name, comment);
    session.identity.database = database;
    session.identity.schema = name;
    return status(`Schema ${name} successfully created.`);
  });
}

async function createStage(
  ctx: DdlContext,
  c: Cursor,
  replace: boolean,
  temporary: boolean,
): Promise<RowsResult> {
  const { session } = ctx;
  const ifNotExists = c.acceptIfNotExists();
  const o = qualify(session, c.qualifiedName(), 'CREATE STAGE');
  let fileFormat: string | null = null;
  const comment = skipOptions(c, ['URL', 'STORAGE_INTEGRATION', 'CREDENTIALS'], (option) => {
    if (option !== 'FILE_FORMAT') return false;
    fileFormat = formatOptionsToJson(readStageFileFormat(session, c));
    return true;
  });
  return session.ddl(async () => {
    await requireSchema(session, o.database, o.schema);
    const existing = await session.catalog.findStage(o.database, o.schema, o.name);
    if (existing) {
      if (ifNotExists) return alreadyExists(o.name);
      if (!replace) throw objectExists(displayObject(o));
      await session.catalog.dropStage(existing);
      await removeStageFolder(ctx.stageRoot, existing.id, existing.name);
    }
    await session.catalog.createStage(o.database, o.schema, o.name, temporary, comment, fileFormat);
    return status(`Stage area ${o.name} successfully created.`);
  });
}

/**
 * A stage's FILE_FORMAT = name | (FORMAT_NAME = name) | (TYPE = ... ): the options COPY uses when it names
 * none itself. A name is kept qualified, and its options are read when COPY runs, as Snowflake does.
 */
function readStageFileFormat(session: Session, c: Cursor): FormatOptions {
  const options: FormatOptions = c.acceptOp('(')
    ? readFormatOptions(c, () => c.acceptOp(')'))
    : new Map([['FORMAT_NAME', c.qualifiedName()]]);
  const name = options.get('FORMAT_NAME');
  if (Array.isArray(name)) {
    const o = qualify(session, name, 'CREATE STAGE');
    return new Map([['FORMAT_NAME', [o.database, o.schema, o.name]]]);
  }
  fileFormat(options);
  return options;
}

/** CREATE [OR REPLACE] FILE FORMAT [IF NOT EXISTS] name [TYPE = CSV | JSON | PARQUET] [options]. */
async function createFileFormat(ctx: DdlContext, c: Cursor, replace: boolean): Promise<RowsResult> {
  const { session } = ctx;
  const ifNotExists = c.acceptIfNotExists();
  const o = qualify(session, c.qualifiedName(), 'CREATE FILE FORMAT');
  const options = readFormatOptions(c, () => c.done || c.isOp(';'));
  options.delete('COMMENT');
  fileFormat(options); // refuses what COPY could not load with it
  return session.ddl(async () => {
    await requireSchema(session, o.database, o.schema);
    if ((await session.catalog.findFileFormat(o.database, o.schema, o.name)) !== undefined) {
      if (ifNotExists) return alreadyExists(o.name);
      if (!replace) throw objectExists(displayObject(o));
      await session.catalog.dropFileFormat(o.database, o.schema, o.name);
    }
    await session.catalog.createFileFormat(o.database, o.schema, o.name, formatOptionsToJson(options));
    return status(`File format ${o.name} successfully created.`);
  });
}

async function removeStageFolder(root: string, id: number, name: string): Promise<void> {
  await fs.rm(namedStageFolder(root, id, name).dir, { recursive: true, force: true });
}

/** Column and table constraint words that end a DEFAULT expression. */
const COLUMN_CLAUSES = new Set([
  'NOT',
  'NULL',
  'PRIMARY',
  'UNIQUE',
  'COMMENT',
  'CONSTRAINT',
  'COLLATE',
  'REFERENCES',
  'FOREIGN',
]);

async function createTable(ctx: DdlContext, c: Cursor, replace: boolean, kind: string): Promise<RowsResult> {
  const { session } = ctx;
  const ifNotExists = c.acceptIfNotExists();
  const o = qualify(session, c.qualifiedName(), 'CREATE TABLE');
  if (c.accept('AS') || c.accept('LIKE')) throw unsupported('CREATE TABLE ... AS / LIKE');
  if (c.accept('CLONE')) return cloneTable(ctx, c, o, { replace, ifNotExists, kind });
  c.expectOp('(');
  const { columns, primaryKey, uniqueKeys, foreignKeys } = readTableElements(ctx, c);
  c.expectOp(')');
  const comment = skipOptions(c);
  for (const column of columns) checkDefault(session, column, ctx.nowMs);
  return session.ddl(async () => {
    if (!(await makeRoom(session, o, { replace, ifNotExists, kind }))) return alreadyExists(o.name);
    await checkSequenceDefaults(session, o, columns);
    const table = await session.catalog.createTable({
      ...o,
      kind,
      primaryKey,
      uniqueKeys,
      comment,
      columns,
      temporary: kind === 'TEMPORARY',
    });
    for (const fk of foreignKeys) await declareForeignKey(session, table, fk);
    return status(`Table ${o.name} successfully created.`);
  });
}

interface CreateMode {
  replace: boolean;
  ifNotExists: boolean;
  kind: string;
}

/**
 * Before CREATE TABLE: the schema must exist, and a table of that name (of the same temporariness) is
 * dropped under OR REPLACE, refused without it; false when IF NOT EXISTS finds one (nothing to do).
 */
async function makeRoom(session: Session, o: ObjectName, mode: CreateMode): Promise<boolean> {
  await requireSchema(session, o.database, o.schema);
  const existing = await session.catalog.findTable(o.database, o.schema, o.name);
  if (!existing || (mode.kind === 'TEMPORARY') !== (existing.kind === 'TEMPORARY')) return true;
  if (mode.ifNotExists) return false;
  if (!mode.replace) throw objectExists(displayObject(o));
  await session.catalog.dropTable(existing);
  return true;
}

/**
 * `CREATE TABLE t CLONE source`: a new table with the source's columns, key, comment and rows as they are
 * now. Like Snowflake's clone it starts without load history, so COPY loads again the files the source
 * loaded. Time travel (`AT`/`BEFORE`) is refused.
 */
async function cloneTable(ctx: DdlContext, c: Cursor, o: ObjectName, mode: CreateMode): Promise<RowsResult> {
  const { session } = ctx;
  const sourceName = c.qualifiedName();
  if (c.isWord('AT') || c.isWord('BEFORE')) throw unsupported('CLONE ... AT / BEFORE (time travel)');
  skipOptions(c);
  return session.ddl(async () => {
    const source = await requireTable(session, sourceName, 'CREATE TABLE');
    if (!(await makeRoom(session, o, mode))) return alreadyExists(o.name);
    const clone = await session.catalog.createTable({
      ...o,
      kind: mode.kind,
      primaryKey: source.primaryKey,
      uniqueKeys: source.uniqueKeys,
      comment: source.comment,
      columns: source.columns,
      temporary: mode.kind === 'TEMPORARY',
    });
    await session.duck(`INSERT INTO ${physicalName(clone.id)} SELECT * FROM ${physicalName(source.id)}`);
    return status(`Table ${o.name} successfully created.`);
  });
}

/** Column definitions and table constraints, comma-separated, up to a `)` or the end of the statement. */
/**
 * PRIMARY KEY, UNIQUE and FOREIGN KEY are kept in the catalog (DESCRIBE TABLE shows the first two,
 * SHOW IMPORTED KEYS the last) and, as on a standard Snowflake table, not enforced.
 * https://docs.snowflake.com/en/sql-reference/constraints
 */
function readTableElements(
  ctx: DdlContext,
  c: Cursor,
): { columns: ColumnDef[]; primaryKey: string[]; uniqueKeys: string[][]; foreignKeys: ForeignKeyClause[] } {
  const mapping = ctx.session.params.TIMESTAMP_TYPE_MAPPING as TimestampKind;
  const atEnd = () => c.done || c.isOp(')') || c.isOp(';');
  const columns: ColumnDef[] = [];
  let primaryKey: string[] = [];
  const uniqueKeys: string[][] = [];
  const foreignKeys: ForeignKeyClause[] = [];
  const nameList = (): string[] => {
    c.expectOp('(');
    const names = [c.identifier()];
    while (c.acceptOp(',')) names.push(c.identifier());
    c.expectOp(')');
    return names;
  };
  do {
    const constraint = c.accept('CONSTRAINT') ? c.identifier() : null;
    if (c.accept('PRIMARY', 'KEY')) {
      primaryKey = nameList();
      continue;
    }
    if (c.accept('UNIQUE')) {
      uniqueKeys.push(nameList());
      continue;
    }
    if (c.accept('FOREIGN', 'KEY')) {
      foreignKeys.push(readForeignKey(c, constraint));
      continue;
    }
    const name = c.identifier();
    if (columns.some((col) => col.name === name)) throw duplicateColumn(name);
    const parsed = readType(c.tokens, c.pos, mapping);
    if (!parsed) throw c.error();
    c.pos = parsed.next;
    const column: ColumnDef = { name, type: parsed.type, nullable: true, defaultSql: null, comment: null };
    while (!c.isOp(',') && !atEnd()) {
      if (c.accept('NOT', 'NULL')) column.nullable = false;
      else if (c.accept('NULL')) column.nullable = true;
      else if (c.accept('PRIMARY', 'KEY')) {
        primaryKey = [name];
        column.nullable = false;
      } else if (c.accept('UNIQUE')) uniqueKeys.push([name]);
      else if (c.accept('COMMENT')) column.comment = c.string();
      else if (c.accept('COLLATE')) {
        if (c.string() !== '') throw unsupported('COLLATE');
      } else if (c.accept('CONSTRAINT')) c.identifier();
      else if (c.accept('DEFAULT')) column.defaultSql = readDefault(ctx.sql, c);
      else if (c.isWord('AUTOINCREMENT') || c.isWord('IDENTITY'))
        throw unsupported('AUTOINCREMENT / IDENTITY columns');
      else throw c.error();
    }
    columns.push(column);
  } while (c.acceptOp(','));
  if (columns.length === 0) throw c.error();
  for (const key of primaryKey) {
    const column = columns.find((col) => col.name === key);
    if (!column) throw objectMissing('Column', key);
    column.nullable = false;
  }
  for (const key of uniqueKeys.flat()) {
    if (!columns.some((col) => col.name === key)) throw objectMissing('Column', key);
  }
  return { columns, primaryKey, uniqueKeys, foreignKeys };
}

function readDefault(sql: string, c: Cursor): string {
  const first = c.peek();
  if (!first) throw c.error();
  let depth = 0;
  let last = first;
  while (!c.done) {
    const t = c.peek()!;
    if (depth === 0 && (t.value === ',' || t.value === ')') && t.kind === 'op') break;
    if (depth === 0 && t.kind === 'word' && COLUMN_CLAUSES.has(t.value) && t !== first) break;
    if (t.kind === 'op' && t.value === '(') depth += 1;
    if (t.kind === 'op' && t.value === ')') depth -= 1;
    last = t;
    c.pos += 1;
  }
  return sql.slice(first.start, last.end);
}

export async function drop(ctx: DdlContext, c: Cursor): Promise<RowsResult> {
  const { session } = ctx;
  c.expect('DROP');
  const what = c.accept('FILE', 'FORMAT') ? 'FILE FORMAT' : c.next().value;
  if (!['DATABASE', 'SCHEMA', 'TABLE', 'STAGE', 'FILE FORMAT', 'SEQUENCE'].includes(what))
    throw unsupported(`DROP ${what}`);
  const ifExists = c.acceptIfExists();
  const parts = c.qualifiedName();
  if (!c.accept('CASCADE')) c.accept('RESTRICT');
  c.end();
  const name = parts[parts.length - 1]!;
  const dropped = status(`${name} successfully dropped.`);
  const missing = (kind: string, shown: string) => {
    if (ifExists) return status(`Drop statement executed successfully (${name} already dropped).`);
    throw objectMissing(kind, shown);
  };
  return session.ddl(async () => {
    if (what === 'DATABASE') {
      if (!(await session.catalog.hasDatabase(name))) return missing('Database', displayName(name));
      await session.catalog.dropDatabase(name);
      if (session.identity.database === name) session.identity.database = session.identity.schema = null;
      return dropped;
    }
    if (what === 'SCHEMA') {
      const database = parts.length === 2 ? parts[0]! : session.identity.database;
      if (database === null || !(await session.catalog.hasSchema(database, name)))
        return missing('Schema', parts.map(displayName).join('.'));
      await session.catalog.dropSchema(database, name);
      if (session.identity.database === database && session.identity.schema === name)
        session.identity.schema = null;
      return dropped;
    }
    const o = qualify(session, parts, `DROP ${what}`);
    if (what === 'SEQUENCE') return dropSequence(session, o, ifExists);
    if (what === 'TABLE') {
      const table = await session.catalog.findTable(o.database, o.schema, o.name);
      if (!table) return missing('Table', displayObject(o));
      await session.catalog.dropTable(table);
      return dropped;
    }
    if (what === 'FILE FORMAT') {
      if ((await session.catalog.findFileFormat(o.database, o.schema, o.name)) === undefined)
        return missing('File format', displayObject(o));
      await session.catalog.dropFileFormat(o.database, o.schema, o.name);
      return dropped;
    }
    const stage = await session.catalog.findStage(o.database, o.schema, o.name);
    if (!stage) return missing('Stage', displayObject(o));
    await session.catalog.dropStage(stage);
    await removeStageFolder(ctx.stageRoot, stage.id, stage.name);
    return dropped;
  });
}

export async function alterTable(ctx: DdlContext, c: Cursor): Promise<RowsResult> {
  const { session } = ctx;
  c.expect('ALTER', 'TABLE');
  const ifExists = c.acceptIfExists();
  const parts = c.qualifiedName();
  return session.ddl(async () => {
    let table: TableInfo;
    try {
      table = await requireTable(session, parts, 'ALTER TABLE');
    } catch (err) {
      if (ifExists && err instanceof SnowflakeError && err.code === '002003') return status(DONE);
      throw err;
    }
    if (c.accept('RENAME', 'TO')) {
      const to = qualify(session, c.qualifiedName(), 'ALTER TABLE');
      c.end();
      await requireSchema(session, to.database, to.schema);
      if (await session.catalog.findTable(to.database, to.schema, to.name))
        throw objectExists(displayObject(to));
      await session.catalog.renameTable(table, to.database, to.schema, to.name);
    } else if (c.accept('SWAP', 'WITH')) {
      const other = await requireTable(session, c.qualifiedName(), 'ALTER TABLE');
      c.end();
      await session.catalog.swapTables(table, other);
    } else if (c.accept('DROP')) {
      c.accept('COLUMN');
      const ifColumnExists = c.acceptIfExists();
      const names = [c.identifier()];
      while (c.acceptOp(',')) names.push(c.identifier());
      c.end();
      for (const name of names) {
        if (!table.columns.some((col) => col.name === name)) {
          if (ifColumnExists) continue;
          throw objectMissing('Column', name);
        }
        await session.catalog.dropColumn(table, name);
        table = await requireTable(session, parts, 'ALTER TABLE');
      }
    } else if (c.isWord('ADD') && (c.isWord('CONSTRAINT', 1) || c.isWord('FOREIGN', 1))) {
      // ALTER TABLE ... ADD [CONSTRAINT n] FOREIGN KEY (...) REFERENCES t [(...)]
      // (https://docs.snowflake.com/en/sql-reference/sql/alter-table, constraintAction).
      c.expect('ADD');
      const name = c.accept('CONSTRAINT') ? c.identifier() : null;
      if (!c.accept('FOREIGN', 'KEY'))
        throw unsupported('ALTER TABLE ... ADD CONSTRAINT other than FOREIGN KEY');
      const fk = readForeignKey(c, name);
      c.end();
      await declareForeignKey(session, table, fk);
    } else if (c.accept('ADD')) {
      c.accept('COLUMN');
      const ifNotExists = c.acceptIfNotExists();
      const { columns } = readTableElements(ctx, c);
      c.end();
      for (const column of columns) {
        if (table.columns.some((col) => col.name === column.name)) {
          if (ifNotExists) continue;
          throw duplicateColumn(column.name);
        }
        defaultValue(session, column, ctx.nowMs);
        await session.catalog.addColumn(table, column);
        table = await requireTable(session, parts, 'ALTER TABLE');
      }
    } else if (c.accept('ALTER') || c.accept('MODIFY')) {
      await alterColumn(session, c, ctx.sql, table);
    } else if (c.accept('RENAME', 'COLUMN')) {
      const from = c.identifier();
      c.expect('TO');
      const to = c.identifier();
      c.end();
      if (!table.columns.some((col) => col.name === from)) throw objectMissing('Column', from);
      if (table.columns.some((col) => col.name === to)) throw duplicateColumn(to);
      await session.catalog.renameColumn(table, from, to);
    } else {
      throw unsupported(`ALTER TABLE ... ${c.peek()?.value ?? ''}`);
    }
    return status(DONE);
  });
}

export async function truncate(ctx: DdlContext, c: Cursor): Promise<RowsResult> {
  const { session } = ctx;
  c.expect('TRUNCATE');
  c.accept('TABLE');
  const ifExists = c.acceptIfExists();
  const parts = c.qualifiedName();
  c.end();
  return session.atomic(async () => {
    let table: TableInfo;
    try {
      table = await requireTable(session, parts, 'TRUNCATE');
    } catch (err) {
      if (ifExists && err instanceof SnowflakeError && err.code === '002003')
        return status(DONE, STATEMENT_TYPE.DML);
      throw err;
    }
    await session.duck(`DELETE FROM sf_data.t_${table.id}`);
    // TRUNCATE forgets the table's load history, so COPY loads the same files again.
    await session.catalog.clearLoads(table.id);
    return status(DONE, STATEMENT_TYPE.DML);
  });
}
