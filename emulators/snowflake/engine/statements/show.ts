/** SHOW DATABASES / SCHEMAS / TABLES / STAGES / COLUMNS / IMPORTED KEYS and DESCRIBE TABLE, from the catalog. */
import { unsupported } from '../../errors';
import type { Cursor } from '../../sql/cursor';
import { likePattern } from '../../sql/identifiers';
import { typeDisplay, type SnowflakeType } from '../../types';
import type { Stored } from '../../values/parse';
import type { TableInfo } from '../catalog';
import { requireDatabase, requireSchema, requireTable } from '../names';
import { fixed, STATEMENT_TYPE, text, timestampLtz, type ResultColumn, type RowsResult } from '../result';
import type { Session } from '../session';
import { showImportedKeys } from './foreign-keys';

interface Scope {
  database?: string;
  schema?: string;
}

const ms = (epochMs: number) => BigInt(epochMs) * 1_000_000n;
const yn = (b: boolean) => (b ? 'Y' : 'N');

function result(columns: ResultColumn[], rows: (Stored | null)[][]): RowsResult {
  return { kind: 'rows', columns, rows, statementTypeId: STATEMENT_TYPE.SCL };
}

/** `IN ACCOUNT`, `IN DATABASE [db]`, `IN SCHEMA [db.]s`, `IN db.s`; without IN, the current schema or database. */
async function readScope(session: Session, c: Cursor): Promise<Scope> {
  const id = session.identity;
  if (!c.accept('IN'))
    return id.database === null
      ? {}
      : id.schema === null
        ? { database: id.database }
        : { database: id.database, schema: id.schema };
  if (c.accept('ACCOUNT')) return {};
  if (c.accept('DATABASE')) {
    const database = c.done || c.isOp(';') || c.isWord('LIMIT') ? id.database : c.identifier();
    if (database === null) throw unsupported('SHOW ... IN DATABASE without a current database');
    await requireDatabase(session, database);
    return { database };
  }
  const explicitSchema = c.accept('SCHEMA');
  const parts = c.qualifiedName();
  if (!explicitSchema && parts.length === 1) {
    await requireDatabase(session, parts[0]!);
    return { database: parts[0]! };
  }
  const database = parts.length === 2 ? parts[0]! : id.database;
  if (database === null || parts.length > 2) throw unsupported(`SHOW ... IN ${parts.join('.')}`);
  await requireSchema(session, database, parts[parts.length - 1]!);
  return { database, schema: parts[parts.length - 1]! };
}

export async function show(session: Session, c: Cursor): Promise<RowsResult> {
  c.expect('SHOW');
  const terse = c.accept('TERSE');
  const what = c.next().value;
  const like = c.accept('LIKE') ? likePattern(c.string(), true) : undefined;
  const matches = (name: string) => !like || like.test(name);
  if (what === 'COLUMNS') return showColumns(session, c, matches);
  if (what === 'IMPORTED') {
    c.expect('KEYS');
    return showImportedKeys(session, c, readScope);
  }
  const scope = await readScope(session, c);
  if (c.accept('STARTS', 'WITH')) c.string();
  const limit = c.accept('LIMIT') ? Number(c.next().value) : Infinity;
  c.end();
  const owner = session.identity.role;
  let out: RowsResult;
  if (what === 'DATABASES') {
    const databases = (await session.catalog.databases()).filter((d) => matches(d.name));
    out = result(
      [
        timestampLtz('created_on'),
        text('name'),
        text('is_default'),
        text('is_current'),
        text('origin'),
        text('owner'),
        text('comment'),
        text('options'),
        text('retention_time'),
        text('kind'),
      ],
      databases.map((d) => [
        ms(d.createdOn),
        d.name,
        'N',
        yn(d.name === session.identity.database),
        '',
        owner,
        d.comment ?? '',
        '',
        '1',
        'STANDARD',
      ]),
    );
  } else if (what === 'SCHEMAS') {
    const schemas = (await session.catalog.schemas(scope.database)).filter((s) => matches(s.name));
    out = result(
      [
        timestampLtz('created_on'),
        text('name'),
        text('is_default'),
        text('is_current'),
        text('database_name'),
        text('owner'),
        text('comment'),
        text('options'),
        text('retention_time'),
      ],
      schemas.map((s) => {
        const current = s.database === session.identity.database && s.name === session.identity.schema;
        return [ms(s.createdOn), s.name, 'N', yn(current), s.database, owner, s.comment ?? '', '', '1'];
      }),
    );
  } else if (what === 'TABLES') {
    const tables = (await session.catalog.tables(scope)).filter((t) => matches(t.name));
    if (terse) {
      out = result(
        [timestampLtz('created_on'), text('name'), text('kind'), text('database_name'), text('schema_name')],
        tables.map((t) => [ms(t.createdOn), t.name, 'TABLE', t.database, t.schema]),
      );
    } else {
      const rows = await Promise.all(
        tables.map(async (t) => {
          const count = await session.catalog.rowCount(t);
          return [
            ms(t.createdOn),
            t.name,
            t.database,
            t.schema,
            t.kind,
            t.comment ?? '',
            '',
            BigInt(count),
            BigInt(count * 1024),
            owner,
            '1',
            'OFF',
            'OFF',
            'N',
            'N',
            'ROLE',
          ];
        }),
      );
      out = result(
        [
          timestampLtz('created_on'),
          text('name'),
          text('database_name'),
          text('schema_name'),
          text('kind'),
          text('comment'),
          text('cluster_by'),
          fixed('rows'),
          fixed('bytes'),
          text('owner'),
          text('retention_time'),
          text('automatic_clustering'),
          text('change_tracking'),
          text('is_external'),
          text('enable_schema_evolution'),
          text('owner_role_type'),
        ],
        rows,
      );
    }
  } else if (what === 'STAGES') {
    const stages = (await session.catalog.stages(scope)).filter((s) => matches(s.name));
    out = result(
      [
        timestampLtz('created_on'),
        text('name'),
        text('database_name'),
        text('schema_name'),
        text('url'),
        text('has_credentials'),
        text('has_encryption_key'),
        text('owner'),
        text('comment'),
        text('region'),
        text('type'),
        text('cloud'),
      ],
      stages.map((s) => [
        ms(s.createdOn),
        s.name,
        s.database,
        s.schema,
        '',
        'N',
        'N',
        owner,
        s.comment ?? '',
        null,
        s.sessionId === null ? 'INTERNAL' : 'INTERNAL TEMPORARY',
        null,
      ]),
    );
  } else {
    throw unsupported(`SHOW ${what}`);
  }
  out.rows = out.rows.slice(0, limit);
  return out;
}

/** SHOW COLUMNS' data_type is JSON, e.g. {"type":"FIXED","precision":10,"scale":0,"nullable":false}. */
function columnTypeJson(type: SnowflakeType, nullable: boolean): string {
  switch (type.kind) {
    case 'NUMBER':
      return JSON.stringify({ type: 'FIXED', precision: type.precision, scale: type.scale, nullable });
    case 'FLOAT':
      return JSON.stringify({ type: 'REAL', nullable });
    case 'TEXT':
    case 'BINARY':
      return JSON.stringify({
        type: type.kind,
        length: type.length,
        byteLength: type.kind === 'TEXT' ? Math.min(type.length * 4, 16_777_216) : type.length,
        nullable,
        fixed: false,
      });
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return JSON.stringify({ type: type.kind, precision: 0, scale: type.scale, nullable });
    default:
      return JSON.stringify({ type: type.kind, nullable });
  }
}

async function showColumns(
  session: Session,
  c: Cursor,
  matches: (name: string) => boolean,
): Promise<RowsResult> {
  let tables: TableInfo[];
  if (c.accept('IN')) {
    if (c.accept('TABLE') || c.accept('VIEW')) {
      tables = [await requireTable(session, c.qualifiedName(), 'SHOW COLUMNS')];
    } else {
      tables = await session.catalog.tables(await readScope(session, c));
    }
  } else {
    tables = await session.catalog.tables(await readScope(session, c));
  }
  c.end();
  const rows: (Stored | null)[][] = [];
  for (const t of tables) {
    for (const col of t.columns) {
      if (!matches(col.name)) continue;
      rows.push([
        t.name,
        t.schema,
        col.name,
        columnTypeJson(col.type, col.nullable),
        String(col.nullable),
        col.defaultSql ?? '',
        'COLUMN',
        '',
        col.comment ?? '',
        t.database,
        '',
      ]);
    }
  }
  return result(
    [
      'table_name',
      'schema_name',
      'column_name',
      'data_type',
      'null?',
      'default',
      'kind',
      'expression',
      'comment',
      'database_name',
      'autoincrement',
    ].map(text),
    rows,
  );
}

export async function describe(session: Session, c: Cursor): Promise<RowsResult> {
  c.next();
  if (!c.accept('TABLE')) throw unsupported(`DESCRIBE ${c.peek()?.value ?? ''}`);
  const table = await requireTable(session, c.qualifiedName(), 'DESCRIBE');
  if (c.accept('TYPE')) {
    c.expectOp('=');
    c.next();
  }
  c.end();
  return result(
    [
      'name',
      'type',
      'kind',
      'null?',
      'default',
      'primary key',
      'unique key',
      'check',
      'expression',
      'comment',
      'policy name',
      'privacy domain',
    ].map(text),
    table.columns.map((col) => [
      col.name,
      typeDisplay(col.type),
      'COLUMN',
      yn(col.nullable),
      col.defaultSql,
      yn(table.primaryKey.includes(col.name)),
      // https://docs.snowflake.com/en/sql-reference/sql/desc-table: a column of a UNIQUE constraint.
      yn(table.uniqueKeys.some((key) => key.includes(col.name))),
      null,
      null,
      col.comment,
      null,
      null,
    ]),
  );
}
