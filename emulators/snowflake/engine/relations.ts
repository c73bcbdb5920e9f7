/**
 * Runs the translator against the catalog: a first pass collects the table names a statement uses,
 * they are looked up (INFORMATION_SCHEMA views are built from the catalog), and a second pass
 * produces the DuckDB SQL.
 */
import { objectMissing } from '../errors';
import { displayQualified, quoteName } from '../sql/identifiers';
import type { Token } from '../sql/lexer';
import { Translator, type Relation, type TranslateEnv } from '../sql/translate';
import {
  MAX_BINARY_LENGTH,
  MAX_TEXT_LENGTH,
  storageType,
  type SnowflakeType,
  type TimestampKind,
} from '../types';
import { textConverter, type Stored } from '../values/parse';
import { bindSql, type BindValue } from './binds';
import { physicalName, type TableInfo } from './catalog';
import { constantValue } from './constants';
import { sqlLiteral } from './duck-values';
import { qualify, requireDatabase } from './names';
import type { Session } from './session';

export interface StatementInput {
  session: Session;
  sql: string;
  tokens: Token[];
  binds: BindValue[];
  /** The statement's clock: CURRENT_TIMESTAMP() is the same wherever it appears. */
  nowMs: number;
}

/** Translates with `run` (a Translator method) once the statement's relations are known. */
export async function translate(input: StatementInput, run: (t: Translator) => string): Promise<string> {
  const wanted = new Map<string, string[]>();
  run(
    new Translator(
      input.tokens,
      input.sql,
      environment(
        input,
        (parts) => {
          wanted.set(JSON.stringify(parts), parts);
          return { sql: 'NULL', columns: [] };
        },
        false,
      ),
    ),
  );
  const resolved = new Map<string, Relation>();
  for (const [key, parts] of wanted) resolved.set(key, await relationOf(input.session, parts));
  return run(
    new Translator(
      input.tokens,
      input.sql,
      environment(input, (parts) => resolved.get(JSON.stringify(parts))!, true),
    ),
  );
}

function environment(
  input: StatementInput,
  relation: (parts: string[]) => Relation,
  checkIdentifiers: boolean,
): TranslateEnv {
  const { session } = input;
  const ctx = session.conversionContext();
  return {
    relation,
    checkIdentifiers,
    bind: (index) => bindSql(input.binds, index),
    context: session.contextLiteral(),
    timestampMapping: session.params.TIMESTAMP_TYPE_MAPPING as TimestampKind,
    constant: (name) => {
      const { type, value } = constantValue(session, name, input.nowMs);
      return value === null ? `CAST(NULL AS ${storageType(type)})` : sqlLiteral(type, value);
    },
    typedLiteral: (type, text) => sqlLiteral(type, textConverter(type, ctx)(text)),
  };
}

async function relationOf(session: Session, parts: string[]): Promise<Relation> {
  const o = qualify(session, parts, 'SELECT');
  if (o.schema === 'INFORMATION_SCHEMA') return informationSchema(session, o.database, o.name);
  const table = await session.catalog.findTable(o.database, o.schema, o.name);
  if (!table) throw objectMissing('Object', displayQualified([o.database, o.schema, o.name]));
  return { sql: physicalName(table.id), columns: table.columns };
}

// ---- INFORMATION_SCHEMA --------------------------------------------------------------------------

type Column = [name: string, type: SnowflakeType];
const TEXT: SnowflakeType = { kind: 'TEXT', length: MAX_TEXT_LENGTH };
const NUMBER: SnowflakeType = { kind: 'NUMBER', precision: 38, scale: 0 };
const LTZ: SnowflakeType = { kind: 'TIMESTAMP_LTZ', scale: 9 };

/** A relation over literal rows; the first, typed, empty branch gives each column its type. */
function literalRelation(columns: Column[], rows: (Stored | null)[][]): Relation {
  const header = `SELECT ${columns.map(([name, type]) => `CAST(NULL AS ${storageType(type)}) AS ${quoteName(name)}`).join(', ')} WHERE FALSE`;
  const values = rows.map((row) => `SELECT ${row.map((v, k) => sqlLiteral(columns[k]![1], v)).join(', ')}`);
  return {
    sql: `(${[header, ...values].join(' UNION ALL ')})`,
    columns: columns.map(([name, type]) => ({ name, type })),
  };
}

const ms = (epochMs: number) => BigInt(epochMs) * 1_000_000n;
const yesNo = (b: boolean) => (b ? 'YES' : 'NO');
const n = (v: number | null | undefined) => (v === null || v === undefined ? null : BigInt(v));

const TABLE_COLUMNS: Column[] = [
  ['TABLE_CATALOG', TEXT],
  ['TABLE_SCHEMA', TEXT],
  ['TABLE_NAME', TEXT],
  ['TABLE_OWNER', TEXT],
  ['TABLE_TYPE', TEXT],
  ['IS_TRANSIENT', TEXT],
  ['CLUSTERING_KEY', TEXT],
  ['ROW_COUNT', NUMBER],
  ['BYTES', NUMBER],
  ['RETENTION_TIME', NUMBER],
  ['CREATED', LTZ],
  ['LAST_ALTERED', LTZ],
  ['COMMENT', TEXT],
];

const COLUMN_COLUMNS: Column[] = [
  ['TABLE_CATALOG', TEXT],
  ['TABLE_SCHEMA', TEXT],
  ['TABLE_NAME', TEXT],
  ['COLUMN_NAME', TEXT],
  ['ORDINAL_POSITION', NUMBER],
  ['COLUMN_DEFAULT', TEXT],
  ['IS_NULLABLE', TEXT],
  ['DATA_TYPE', TEXT],
  ['CHARACTER_MAXIMUM_LENGTH', NUMBER],
  ['CHARACTER_OCTET_LENGTH', NUMBER],
  ['NUMERIC_PRECISION', NUMBER],
  ['NUMERIC_PRECISION_RADIX', NUMBER],
  ['NUMERIC_SCALE', NUMBER],
  ['DATETIME_PRECISION', NUMBER],
  ['COMMENT', TEXT],
];

const SCHEMATA_COLUMNS: Column[] = [
  ['CATALOG_NAME', TEXT],
  ['SCHEMA_NAME', TEXT],
  ['SCHEMA_OWNER', TEXT],
  ['IS_TRANSIENT', TEXT],
  ['IS_MANAGED_ACCESS', TEXT],
  ['RETENTION_TIME', NUMBER],
  ['CREATED', LTZ],
  ['LAST_ALTERED', LTZ],
  ['COMMENT', TEXT],
];

/** https://docs.snowflake.com/en/sql-reference/info-schema/sequences */
const SEQUENCE_COLUMNS: Column[] = [
  ['SEQUENCE_CATALOG', TEXT],
  ['SEQUENCE_SCHEMA', TEXT],
  ['SEQUENCE_NAME', TEXT],
  ['SEQUENCE_OWNER', TEXT],
  ['DATA_TYPE', TEXT],
  ['NUMERIC_PRECISION', NUMBER],
  ['NUMERIC_PRECISION_RADIX', NUMBER],
  ['NUMERIC_SCALE', NUMBER],
  ['START_VALUE', TEXT],
  ['MINIMUM_VALUE', TEXT],
  ['MAXIMUM_VALUE', TEXT],
  ['NEXT_VALUE', TEXT],
  ['INCREMENT', TEXT],
  ['CYCLE_OPTION', TEXT],
  ['CREATED', LTZ],
  ['LAST_ALTERED', LTZ],
  ['ORDERED', TEXT],
  ['COMMENT', TEXT],
];

async function informationSchema(session: Session, database: string, view: string): Promise<Relation> {
  await requireDatabase(session, database);
  const owner = session.identity.role;
  if (view === 'TABLES') {
    const tables = await session.catalog.tables({ database });
    const counted = await Promise.all(
      tables.map(async (t) => {
        // Another session may drop a listed table before it is counted: it is left out, as a read of
        // the view after the drop would leave it out, instead of failing the query.
        const rowCount = await session.catalog.rowCount(t).catch((err: unknown) => {
          if (/does not exist/.test(String(err))) return undefined;
          throw err;
        });
        if (rowCount === undefined) return undefined;
        return [
          t.database,
          t.schema,
          t.name,
          owner,
          t.kind === 'TEMPORARY' ? 'LOCAL TEMPORARY' : 'BASE TABLE',
          yesNo(t.kind === 'TRANSIENT' || t.kind === 'TEMPORARY'),
          null,
          n(rowCount),
          n(rowCount * 1024),
          n(1),
          ms(t.createdOn),
          ms(t.createdOn),
          t.comment,
        ];
      }),
    );
    return literalRelation(
      TABLE_COLUMNS,
      counted.filter((row) => row !== undefined),
    );
  }
  if (view === 'COLUMNS') {
    const tables = await session.catalog.tables({ database });
    return literalRelation(COLUMN_COLUMNS, tables.flatMap(columnRows));
  }
  if (view === 'SCHEMATA') {
    const schemas = await session.catalog.schemas(database);
    const rows = [
      ...schemas.map((s) => [
        database,
        s.name,
        owner,
        'NO',
        'NO',
        n(1),
        ms(s.createdOn),
        ms(s.createdOn),
        s.comment,
      ]),
      [
        database,
        'INFORMATION_SCHEMA',
        null,
        'NO',
        'NO',
        n(1),
        null,
        null,
        'Views describing the contents of schemas in this database',
      ],
    ];
    return literalRelation(SCHEMATA_COLUMNS, rows);
  }
  if (view === 'SEQUENCES') {
    const sequences = await session.catalog.sequences(database);
    return literalRelation(
      SEQUENCE_COLUMNS,
      sequences.map((q) => [
        q.database,
        q.schema,
        q.name,
        owner,
        'NUMBER',
        n(38),
        n(10),
        n(0),
        q.start.toString(),
        null,
        null,
        q.next.toString(),
        q.increment.toString(),
        null,
        ms(q.createdOn),
        ms(q.createdOn),
        // The stand-in's sequences give their values in order (statements/sequences.ts).
        'YES',
        q.comment,
      ]),
    );
  }
  throw objectMissing('Object', displayQualified([database, 'INFORMATION_SCHEMA', view]));
}

function columnRows(t: TableInfo): (Stored | null)[][] {
  return t.columns.map((c, k) => {
    const type = c.type;
    const textLength = type.kind === 'TEXT' ? type.length : type.kind === 'BINARY' ? type.length : null;
    const octets =
      type.kind === 'TEXT'
        ? Math.min(type.length * 4, MAX_TEXT_LENGTH)
        : type.kind === 'BINARY'
          ? Math.min(type.length, MAX_BINARY_LENGTH)
          : null;
    const isNumber = type.kind === 'NUMBER';
    const scaled = type.kind === 'TIME' || type.kind.startsWith('TIMESTAMP');
    return [
      t.database,
      t.schema,
      t.name,
      c.name,
      n(k + 1),
      c.defaultSql,
      yesNo(c.nullable),
      type.kind,
      n(textLength),
      n(octets),
      isNumber ? n(type.precision) : null,
      isNumber ? n(10) : null,
      isNumber ? n(type.scale) : null,
      scaled ? n((type as { scale: number }).scale) : null,
      c.comment,
    ];
  });
}
