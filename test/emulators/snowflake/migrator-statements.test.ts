/**
 * The statements the migrator sends, exactly, in the order a run sends them: set-up, introspection,
 * the staging table, idempotent batch loads (PUT + COPY and INSERT with array binds), validation,
 * publishing in a transaction, and clean-up.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SnowflakeEmulator } from '../../../emulators/snowflake';
import {
  connect,
  createTargetSchema,
  failureOf,
  localFolder,
  startEmulator,
  TARGET,
  type Client,
} from './driver';

let emulator: SnowflakeEmulator;
let client: Client;
const localDir = localFolder('migrator-');

beforeAll(async () => {
  emulator = await startEmulator();
  client = await connect(emulator);
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

const STAGING = `${TARGET}."CUSTOMERS__MIGRATING_3f2a"`;
const STAGE = `@${TARGET}."MIGRATOR_STAGE"/run-3f2a/CUSTOMERS/`;
const COLUMNS = [
  'ID',
  'NAME',
  'Straße',
  'PRICE',
  'F',
  'FLAG',
  'D',
  'T',
  'DT2',
  'DTO',
  'GUID',
  'BIN',
  'IS_MIGRATED',
  'MIGRATED_AT',
  '_MIGRATION_BATCH',
];
const CREATE_STAGING =
  `CREATE TABLE IF NOT EXISTS ${STAGING} ("ID" NUMBER(10,0) NOT NULL, "NAME" VARCHAR(200), "Straße" VARCHAR(16777216), ` +
  `"PRICE" NUMBER(38,10), "F" FLOAT, "FLAG" BOOLEAN, "D" DATE, "T" TIME(7), "DT2" TIMESTAMP_NTZ(7), "DTO" TIMESTAMP_TZ(7), ` +
  `"GUID" VARCHAR(36), "BIN" BINARY(8000), "IS_MIGRATED" BOOLEAN NOT NULL DEFAULT TRUE, "MIGRATED_AT" TIMESTAMP_TZ(6) NOT NULL, ` +
  `"_MIGRATION_BATCH" NUMBER(18,0) NOT NULL, PRIMARY KEY ("ID"))`;
const FILE_FORMAT =
  "TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '\"' EMPTY_FIELD_AS_NULL = TRUE " +
  "NULL_IF = () ESCAPE_UNENCLOSED_FIELD = NONE BINARY_FORMAT = HEX ENCODING = 'UTF8'";
const copyInto = (file: string) =>
  `COPY INTO ${STAGING} FROM ${STAGE} FILES = ('${file}') FILE_FORMAT = (${FILE_FORMAT}) ON_ERROR = ABORT_STATEMENT PURGE = TRUE`;

/** A CSV field as the batch writer writes it: strings always quoted, NULL as nothing. */
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
const BATCH_17 = [
  [
    '1',
    q('Ann, "the" first'),
    q('Ünïcödé 😀 \\N'),
    '12345678901234567890123456.1234567890',
    '1.5',
    'TRUE',
    '2024-01-31',
    '13:45:00.1234567',
    '2024-01-31 13:45:00.1234567',
    '2024-01-31 13:45:00.1234567 +05:45',
    q('6F9619FF-8B86-D011-B42D-00C04FC964FF'),
    'DEADBEEF',
    'TRUE',
    '2024-02-01 10:00:00.123456 +00:00',
    '17',
  ],
  [
    '2',
    q(''),
    '',
    '-0.0000000001',
    '',
    'FALSE',
    '0001-01-01',
    '00:00:00',
    '0001-01-01 00:00:00',
    '9999-12-31 23:59:59.9999999 -12:00',
    '',
    '',
    'TRUE',
    '2024-02-01T10:00:00Z',
    '17',
  ],
  [
    '3',
    q('two\nlines'),
    q(''),
    '0',
    '-2.5E-3',
    'FALSE',
    '9999-12-31',
    '23:59:59.9999999',
    '9999-12-31 23:59:59.9999999',
    '2024-06-30 23:00:00Z',
    '',
    '00FF',
    'TRUE',
    '2024-02-01 10:00:00 +01:00',
    '17',
  ],
];

function stageFile(name: string, rows: string[][]): string {
  const file = path.join(localDir, name);
  writeFileSync(file, gzipSync(rows.map((r) => r.join(',')).join('\n') + '\n'));
  return file;
}

describe('the migrator against the stand-in', () => {
  it('creates the database, schema and stage idempotently', async () => {
    await createTargetSchema(client);
    expect(await client.exec('CREATE DATABASE IF NOT EXISTS "STEVE_MCP"')).toEqual([
      { status: 'STEVE_MCP already exists, statement succeeded.' },
    ]);
    expect(await client.exec(`CREATE STAGE IF NOT EXISTS ${TARGET}."MIGRATOR_STAGE"`)).toEqual([
      { status: 'MIGRATOR_STAGE already exists, statement succeeded.' },
    ]);
  });

  it('finds no table before it is created, and all its columns after', async () => {
    const tables =
      'SELECT TABLE_NAME, ROW_COUNT FROM "STEVE_MCP".INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?';
    expect(await client.exec(tables, ['DATA_MIGRATION', 'CUSTOMERS__MIGRATING_3f2a'])).toEqual([]);
    expect(await client.exec(CREATE_STAGING)).toEqual([
      { status: 'Table CUSTOMERS__MIGRATING_3f2a successfully created.' },
    ]);
    expect(await client.exec(CREATE_STAGING)).toEqual([
      { status: 'CUSTOMERS__MIGRATING_3f2a already exists, statement succeeded.' },
    ]);
    expect(await client.exec(tables, ['DATA_MIGRATION', 'CUSTOMERS__MIGRATING_3f2a'])).toEqual([
      { TABLE_NAME: 'CUSTOMERS__MIGRATING_3f2a', ROW_COUNT: 0 },
    ]);
    const columns = await client.exec(
      'SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION ' +
        'FROM "STEVE_MCP".INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      ['DATA_MIGRATION', 'CUSTOMERS__MIGRATING_3f2a'],
    );
    expect(columns.map((c) => c.COLUMN_NAME)).toEqual(COLUMNS);
    expect(columns[0]).toEqual({
      COLUMN_NAME: 'ID',
      ORDINAL_POSITION: 1,
      DATA_TYPE: 'NUMBER',
      IS_NULLABLE: 'NO',
      NUMERIC_PRECISION: 10,
      NUMERIC_SCALE: 0,
      CHARACTER_MAXIMUM_LENGTH: null,
      DATETIME_PRECISION: null,
    });
    expect(columns[1]).toMatchObject({
      DATA_TYPE: 'TEXT',
      IS_NULLABLE: 'YES',
      CHARACTER_MAXIMUM_LENGTH: 200,
    });
    expect(columns[9]).toMatchObject({
      COLUMN_NAME: 'DTO',
      DATA_TYPE: 'TIMESTAMP_TZ',
      DATETIME_PRECISION: 7,
    });
    expect(columns[11]).toMatchObject({ DATA_TYPE: 'BINARY', CHARACTER_MAXIMUM_LENGTH: 8000 });
    const shown = await client.exec(`SHOW TABLES LIKE 'CUSTOMERS__MIGRATING_3F2A' IN SCHEMA ${TARGET}`);
    expect(shown).toEqual([
      expect.objectContaining({
        name: 'CUSTOMERS__MIGRATING_3f2a',
        database_name: 'STEVE_MCP',
        schema_name: 'DATA_MIGRATION',
        rows: 0,
      }),
    ]);
  });

  it('loads a batch idempotently: DELETE its rows, PUT the file, COPY it', async () => {
    const del = `DELETE FROM ${STAGING} WHERE "_MIGRATION_BATCH" = ?`;
    // A first attempt loads one row, then fails; the retry deletes it and loads a new file.
    const first = stageFile('b000017-a1.csv.gz', [BATCH_17[0]!]);
    expect(
      await client.exec(
        `PUT 'file://${first}' ${STAGE} AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = GZIP OVERWRITE = TRUE`,
      ),
    ).toEqual([expect.objectContaining({ source: 'b000017-a1.csv.gz', status: 'UPLOADED' })]);
    expect(await client.exec(copyInto('b000017-a1.csv.gz'))).toEqual([
      {
        file: 'migrator_stage/run-3f2a/CUSTOMERS/b000017-a1.csv.gz',
        status: 'LOADED',
        rows_parsed: 1,
        rows_loaded: 1,
        error_limit: 1,
        errors_seen: 0,
        first_error: null,
        first_error_line: null,
        first_error_character: null,
        first_error_column_name: null,
      },
    ]);
    expect(await client.exec(del, [17])).toEqual([{ 'number of rows deleted': 1 }]);
    const retry = stageFile('b000017-a2.csv.gz', BATCH_17);
    await client.exec(
      `PUT 'file://${retry}' ${STAGE} AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = GZIP OVERWRITE = TRUE`,
    );
    const [result] = await client.exec(copyInto('b000017-a2.csv.gz'));
    expect(result).toMatchObject({ status: 'LOADED', rows_parsed: 3, rows_loaded: 3 });
    // PURGE = TRUE removed both loaded files from the stage.
    expect(await client.exec(`LIST @${TARGET}."MIGRATOR_STAGE"/run-3f2a/`)).toEqual([]);
  });

  it('loads a batch with INSERT and array binds (all values as text, binary as hex)', async () => {
    const insert = `INSERT INTO ${STAGING} (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;
    const rows = [
      [
        '4',
        'Dana',
        null,
        '99.5',
        '3.25',
        'TRUE',
        '2000-02-29',
        '12:00:00',
        '2000-02-29 12:00:00.5',
        '2000-02-29 12:00:00.5 -03:30',
        null,
        'CAFE',
        'TRUE',
        '2024-02-01 10:00:00 +00:00',
        '18',
      ],
      [
        '5',
        null,
        'ß',
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        'TRUE',
        '2024-02-01 10:00:00 +00:00',
        '18',
      ],
    ];
    expect(await client.exec(insert, rows)).toEqual([{ 'number of rows inserted': 2 }]);
  });

  it('validates with exact aggregates read as strings', async () => {
    const sql =
      'SELECT COUNT(*) AS N, COUNT_IF(NOT "IS_MIGRATED") AS NOT_MIGRATED, COUNT("MIGRATED_AT") AS WITH_TIME, ' +
      `COUNT("PRICE") AS C1, SUM("PRICE") AS S1, MIN("ID") AS MIN1, MAX("ID") AS MAX1 FROM ${STAGING}`;
    expect(await client.exec(sql, undefined, ['Number'])).toEqual([
      {
        N: '5',
        NOT_MIGRATED: '0',
        WITH_TIME: '5',
        C1: '4',
        S1: '12345678901234567890123555.6234567889',
        MIN1: '1',
        MAX1: '5',
      },
    ]);
  });

  it('reads every value back exactly', async () => {
    await client.exec("ALTER SESSION SET TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM'");
    const rows = await client.exec(
      `SELECT "ID", "NAME", "Straße", "PRICE", "F", "FLAG", TO_VARCHAR("D") AS "D", TO_VARCHAR("T", 'HH24:MI:SS.FF9') AS "T", ` +
        `TO_VARCHAR("DT2", 'YYYY-MM-DD HH24:MI:SS.FF9') AS "DT2", "DTO", "GUID", "BIN", "IS_MIGRATED", ` +
        `TO_VARCHAR("MIGRATED_AT", 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM') AS "MIGRATED_AT" FROM ${STAGING} ORDER BY "ID"`,
      undefined,
      ['Number', 'Date', 'Buffer'],
    );
    expect(rows[0]).toEqual({
      ID: '1',
      NAME: 'Ann, "the" first',
      Straße: 'Ünïcödé 😀 \\N',
      PRICE: '12345678901234567890123456.1234567890',
      F: '1.5',
      FLAG: true,
      D: '2024-01-31',
      T: '13:45:00.123456700',
      DT2: '2024-01-31 13:45:00.123456700',
      DTO: '2024-01-31 13:45:00.123456700 +05:45',
      GUID: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
      BIN: 'DEADBEEF',
      IS_MIGRATED: true,
      MIGRATED_AT: '2024-02-01 10:00:00.123456 +00:00',
    });
    // With fetchAsString the driver writes NULL as the string 'NULL' (its representNullAsStringNull default).
    expect(rows[1]).toMatchObject({
      NAME: '',
      Straße: null,
      PRICE: '-0.0000000001',
      F: 'NULL',
      D: '0001-01-01',
      DT2: '0001-01-01 00:00:00.000000000',
      DTO: '9999-12-31 23:59:59.999999900 -12:00',
      BIN: 'NULL',
      MIGRATED_AT: '2024-02-01 10:00:00.000000 +00:00',
    });
    expect(rows[2]).toMatchObject({
      NAME: 'two\nlines',
      Straße: '',
      F: '-0.0025',
      D: '9999-12-31',
      T: '23:59:59.999999900',
      BIN: '00FF',
      MIGRATED_AT: '2024-02-01 10:00:00.000000 +01:00',
    });
    expect(rows[3]).toMatchObject({
      ID: '4',
      PRICE: '99.5000000000',
      DTO: '2000-02-29 12:00:00.500000000 -03:30',
      BIN: 'CAFE',
    });
    expect(rows.map((r) => r.ID)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('publishes in a transaction: append, count key overlap, delete by composite key, commit', async () => {
    const published = `${TARGET}."CUSTOMERS"`;
    const list = COLUMNS.slice(0, -1)
      .map((c) => `"${c}"`)
      .join(', ');
    await client.exec(
      `CREATE OR REPLACE TABLE ${published} ("ID" NUMBER(10,0) NOT NULL, "NAME" VARCHAR(200), "Straße" VARCHAR(16777216), "PRICE" NUMBER(38,10), "F" FLOAT, "FLAG" BOOLEAN, "D" DATE, "T" TIME(7), "DT2" TIMESTAMP_NTZ(7), "DTO" TIMESTAMP_TZ(7), "GUID" VARCHAR(36), "BIN" BINARY(8000), "IS_MIGRATED" BOOLEAN NOT NULL DEFAULT TRUE, "MIGRATED_AT" TIMESTAMP_TZ(6) NOT NULL, PRIMARY KEY ("ID"))`,
    );
    await client.exec('BEGIN');
    expect(await client.exec(`INSERT INTO ${published} (${list}) SELECT ${list} FROM ${STAGING}`)).toEqual([
      { 'number of rows inserted': 5 },
    ]);
    // Row 5 has a NULL name, which no join condition matches.
    expect(
      await client.exec(
        `SELECT COUNT(*) AS N FROM ${published} AS t JOIN ${STAGING} AS s ON t."ID" = s."ID" AND t."NAME" = s."NAME"`,
      ),
    ).toEqual([{ N: 4 }]);
    expect(
      await client.exec(
        `DELETE FROM ${published} WHERE ("ID", "NAME") IN (SELECT "ID", "NAME" FROM ${STAGING} WHERE "ID" > 3)`,
      ),
    ).toEqual([{ 'number of rows deleted': 1 }]);
    expect(
      await client.exec(
        `DELETE FROM ${published} WHERE ("ID") IN (SELECT "ID" FROM ${STAGING} WHERE "ID" = 5)`,
      ),
    ).toEqual([{ 'number of rows deleted': 1 }]);
    await client.exec('COMMIT');
    expect(await client.exec(`SELECT COUNT(*) AS N, MAX("ID") AS M FROM ${published}`)).toEqual([
      { N: 3, M: 3 },
    ]);
    const values = await client.exec(`SELECT "DTO", "BIN" FROM ${published} WHERE "ID" = 1`, undefined, [
      'Date',
      'Buffer',
    ]);
    expect(values).toEqual([{ DTO: '2024-01-31 13:45:00.123456700 +05:45', BIN: 'DEADBEEF' }]);
  });

  it('renames, swaps, drops the batch column, truncates and drops', async () => {
    await client.exec(`ALTER TABLE ${STAGING} DROP COLUMN "_MIGRATION_BATCH"`);
    await client.exec(`ALTER TABLE ${STAGING} SWAP WITH ${TARGET}."CUSTOMERS"`);
    // After the swap the published name holds the five staged rows, the staging name the three published ones.
    expect(await client.exec(`SELECT COUNT(*) AS N FROM ${TARGET}."CUSTOMERS"`)).toEqual([{ N: 5 }]);
    expect(await client.exec(`SELECT COUNT(*) AS N FROM ${STAGING}`)).toEqual([{ N: 3 }]);
    expect((await failureOf(client.exec(`SELECT "_MIGRATION_BATCH" FROM ${TARGET}."CUSTOMERS"`))).code).toBe(
      '000904',
    );
    await client.exec(`ALTER TABLE ${STAGING} RENAME TO ${TARGET}."CUSTOMERS_OLD"`);
    expect(await client.exec(`SHOW TABLES IN SCHEMA ${TARGET}`)).toEqual([
      expect.objectContaining({ name: 'CUSTOMERS', rows: 5 }),
      expect.objectContaining({ name: 'CUSTOMERS_OLD', rows: 3 }),
    ]);
    await client.exec(`TRUNCATE TABLE ${TARGET}."CUSTOMERS_OLD"`);
    expect(await client.exec(`SELECT COUNT(*) AS N FROM ${TARGET}."CUSTOMERS_OLD"`)).toEqual([{ N: 0 }]);
    expect(await client.exec(`DROP TABLE IF EXISTS ${TARGET}."CUSTOMERS_OLD"`)).toEqual([
      { status: 'CUSTOMERS_OLD successfully dropped.' },
    ]);
    expect(await client.exec(`DROP TABLE IF EXISTS ${TARGET}."CUSTOMERS_OLD"`)).toEqual([
      { status: 'Drop statement executed successfully (CUSTOMERS_OLD already dropped).' },
    ]);
  });

  it('lists and removes staged files', async () => {
    const file = stageFile('b000099-a1.csv.gz', [BATCH_17[0]!]);
    await client.exec(
      `PUT 'file://${file}' ${STAGE} AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = GZIP OVERWRITE = TRUE`,
    );
    expect(await client.exec(`LIST @${TARGET}."MIGRATOR_STAGE"/run-3f2a/`)).toEqual([
      {
        name: 'migrator_stage/run-3f2a/CUSTOMERS/b000099-a1.csv.gz',
        size: expect.any(Number),
        md5: expect.stringMatching(/^[0-9a-f]{32}$/),
        last_modified: expect.stringMatching(/GMT$/),
      },
    ]);
    expect(await client.exec(`REMOVE @${TARGET}."MIGRATOR_STAGE"/run-3f2a/`)).toEqual([
      { name: 'migrator_stage/run-3f2a/CUSTOMERS/b000099-a1.csv.gz', result: 'removed' },
    ]);
    expect(await client.exec(`LIST @${TARGET}."MIGRATOR_STAGE"/run-3f2a/`)).toEqual([]);
  });
});
