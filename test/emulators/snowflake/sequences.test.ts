/**
 * Sequences on the stand-in, through the real driver, as the migrator uses them for identity columns
 * (src/sql/snowflake/identity.ts):
 * https://docs.snowflake.com/en/sql-reference/sql/create-sequence (START, INCREMENT, COMMENT)
 * https://docs.snowflake.com/en/sql-reference/sql/drop-sequence
 * https://docs.snowflake.com/en/sql-reference/sql/alter-table-column (SET DEFAULT seq.NEXTVAL only on a
 * column whose default is a sequence already)
 * https://docs.snowflake.com/en/sql-reference/info-schema/sequences
 */
import {
  createSequence,
  dropSequence,
  nextValue,
  setDefaultSequence,
} from '../../../src/sql/snowflake/identity';
import { failureOf, TARGET, useEmulator } from './driver';

const at = (name: string) => ({ database: 'STEVE_MCP', schema: 'DATA_MIGRATION', name });
const ORDERS = at('ORDERS');
const PLACEHOLDER = at('ORDERS__IDENTITY_PLACEHOLDER_R1');
const SEQUENCE = at('ORDERS__IDENTITY_R1');

const target = useEmulator(async (client) => {
  await client.exec(createSequence(PLACEHOLDER, '1', '1', 'placeholder', 'dbo.orders'));
  await client.exec(
    `CREATE TABLE ${TARGET}."ORDERS" ("ID" NUMBER(10,0) DEFAULT ${nextValue(PLACEHOLDER)} NOT NULL, ` +
      `"NOTE" VARCHAR(20), "AT" TIMESTAMP_TZ(3) DEFAULT CURRENT_TIMESTAMP())`,
  );
});

const ids = async () =>
  (await target.client.exec(`SELECT "ID", "NOTE" FROM ${TARGET}."ORDERS" ORDER BY "ID"`)).map((r) => [
    r.ID,
    r.NOTE,
  ]);

const sequences = async () =>
  (
    await target.client.exec(
      'SELECT SEQUENCE_NAME, START_VALUE, NEXT_VALUE, INCREMENT, COMMENT FROM "STEVE_MCP".INFORMATION_SCHEMA.SEQUENCES ORDER BY SEQUENCE_NAME',
    )
  ).map((r) => [r.SEQUENCE_NAME, r.START_VALUE, r.NEXT_VALUE, r.INCREMENT, r.COMMENT]);

describe('sequences on the Snowflake stand-in', () => {
  it('gives the rows an INSERT leaves the column out of the next values, one per row', async () => {
    await target.client.exec(
      `INSERT INTO ${TARGET}."ORDERS" ("ID", "NOTE") VALUES (40, 'copied'), (41, 'copied')`,
    );
    await target.client.exec(`INSERT INTO ${TARGET}."ORDERS" ("NOTE") VALUES ('a'), ('b')`);
    expect(await ids()).toEqual([
      [1, 'a'],
      [2, 'b'],
      [40, 'copied'],
      [41, 'copied'],
    ]);
  });

  it('switches a column from one sequence to another, which continues after the copied values', async () => {
    await target.client.exec(createSequence(SEQUENCE, '46', '5', 'identity', 'dbo.orders'));
    await target.client.exec(setDefaultSequence(ORDERS, 'ID', SEQUENCE));
    await target.client.exec(dropSequence(PLACEHOLDER));
    await target.client.exec(`INSERT INTO ${TARGET}."ORDERS" ("NOTE") VALUES ('c'), ('d')`);
    expect((await ids()).slice(-2)).toEqual([
      [46, 'c'],
      [51, 'd'],
    ]);
    // DESCRIBE TABLE shows the default as it was written.
    const described = await target.client.exec(`DESCRIBE TABLE ${TARGET}."ORDERS"`);
    expect(described.map((r) => r.default)).toEqual([
      '"STEVE_MCP"."DATA_MIGRATION"."ORDERS__IDENTITY_R1".NEXTVAL',
      null,
      'CURRENT_TIMESTAMP()',
    ]);
    expect(await sequences()).toEqual([
      [
        'ORDERS__IDENTITY_R1',
        '46',
        '56',
        '5',
        'continues the identity column of dbo.orders (sqlserver-snowflake-migrator)',
      ],
    ]);
  });

  it('refuses SET DEFAULT on a column whose default is not a sequence, as Snowflake documents', async () => {
    const refused = await failureOf(target.client.exec(setDefaultSequence(ORDERS, 'NOTE', SEQUENCE)));
    expect([refused.code, refused.sqlState]).toEqual(['000002', '0A000']);
    expect(refused.message).toBe(
      "SQL compilation error:\nUnsupported feature 'ALTER COLUMN ... SET DEFAULT on a column whose default is not a sequence'.",
    );
    const timestamp = await failureOf(target.client.exec(setDefaultSequence(ORDERS, 'AT', SEQUENCE)));
    expect(timestamp.sqlState).toBe('0A000');
  });

  it('counts down with a negative increment', async () => {
    const down = at('DOWN');
    await target.client.exec(createSequence(down, '-10', '-3', 'identity', 'dbo.down'));
    await target.client.exec(
      `CREATE TABLE ${TARGET}."DOWN" ("ID" NUMBER(5,0) DEFAULT ${nextValue(down)}, "N" NUMBER(1,0))`,
    );
    await target.client.exec(`INSERT INTO ${TARGET}."DOWN" ("N") VALUES (1), (2)`);
    const rows = await target.client.exec(`SELECT "ID" FROM ${TARGET}."DOWN" ORDER BY "N"`);
    expect(rows.map((r) => r.ID)).toEqual([-10, -13]);
  });

  it('refuses a default naming a sequence that does not exist, and dropping one twice without IF EXISTS', async () => {
    const missing = await failureOf(
      target.client.exec(`CREATE TABLE ${TARGET}."T" ("ID" NUMBER DEFAULT ${TARGET}."NOPE".NEXTVAL)`),
    );
    expect([missing.code, missing.message]).toEqual([
      '002003',
      "SQL compilation error:\nSequence 'STEVE_MCP.DATA_MIGRATION.NOPE' does not exist or not authorized.",
    ]);
    await target.client.exec(dropSequence(at('DOWN')));
    await target.client.exec(dropSequence(at('DOWN')));
    const again = await failureOf(target.client.exec(`DROP SEQUENCE ${TARGET}."DOWN"`));
    expect(again.code).toBe('002003');
  });

  it('refuses, as not implemented, a sequence value anywhere but a row INSERT ... VALUES leaves out', async () => {
    const select = await failureOf(target.client.exec(`INSERT INTO ${TARGET}."ORDERS" ("NOTE") SELECT 'e'`));
    expect(select.message).toMatch(
      /^Unsupported feature 'DEFAULT .*NEXTVAL.*\(The Snowflake stand-in does not implement it\.\)$/,
    );
  });

  it('refuses START beyond 64 bits and an increment of 0', async () => {
    const big = await failureOf(
      target.client.exec(`CREATE SEQUENCE ${TARGET}."BIG" START = 9223372036854775808`),
    );
    expect(big.code).toBe('001003');
    const zero = await failureOf(target.client.exec(`CREATE SEQUENCE ${TARGET}."ZERO" INCREMENT = 0`));
    expect(zero.code).toBe('001003');
  });
});
