/** Transactions per session, and the error codes a client sees. */
import type { SnowflakeEmulator } from '../../../emulators/snowflake';
import { connect, createTargetSchema, failureOf, startEmulator, type Client } from './driver';

let emulator: SnowflakeEmulator;
let a: Client;
let b: Client;
beforeAll(async () => {
  emulator = await startEmulator();
  a = await connect(emulator);
  await createTargetSchema(a);
  b = await connect(emulator);
  await a.exec(
    'CREATE TABLE ACCOUNTS ("ID" NUMBER(10,0) NOT NULL, "NAME" VARCHAR(5), "BALANCE" NUMBER(10,2))',
  );
});
afterAll(async () => {
  await a.close();
  await b.close();
  await emulator.close();
});

const ids = async (client: Client) =>
  (await client.exec('SELECT "ID" FROM ACCOUNTS ORDER BY "ID"')).map((r) => r.ID);

describe('transactions', () => {
  it('rolls back everything since BEGIN, and hides uncommitted rows from other sessions', async () => {
    await a.exec('BEGIN');
    await a.exec('INSERT INTO ACCOUNTS ("ID") VALUES (?), (?)', [1, 2]);
    await a.exec('DELETE FROM ACCOUNTS WHERE "ID" = ?', [2]);
    expect(await ids(a)).toEqual([1]);
    expect(await ids(b)).toEqual([]);
    await a.exec('ROLLBACK');
    expect(await ids(a)).toEqual([]);
  });

  it('makes committed rows visible to every session', async () => {
    await a.exec('BEGIN TRANSACTION');
    await a.exec('INSERT INTO ACCOUNTS ("ID", "BALANCE") VALUES (?, ?)', [3, '10.50']);
    await a.exec('COMMIT');
    expect(await b.exec('SELECT "ID", "BALANCE" FROM ACCOUNTS', undefined, ['Number'])).toEqual([
      { ID: '3', BALANCE: '10.50' },
    ]);
  });

  it('commits an open transaction before DDL, as Snowflake does', async () => {
    await a.exec('BEGIN');
    await a.exec('INSERT INTO ACCOUNTS ("ID") VALUES (?)', [4]);
    await a.exec('CREATE TABLE OTHER ("X" NUMBER)');
    await a.exec('ROLLBACK');
    expect(await ids(b)).toEqual([3, 4]);
  });
});

describe('error codes', () => {
  it.each([
    ['a missing table', 'SELECT * FROM NOPE', '002003', '42S02'],
    ['a missing database', 'SELECT * FROM "NOPE".INFORMATION_SCHEMA.TABLES', '002003', '42S02'],
    ['a syntax error', 'SELEC 1', '001003', '42000'],
    ['an unbalanced parenthesis', 'SELECT (1', '001003', '42000'],
    ['a column in the wrong case', 'SELECT "id" FROM ACCOUNTS', '000904', '42000'],
    ['an unknown column', 'SELECT "NOPE" FROM ACCOUNTS', '000904', '42000'],
    ['a number out of range', 'INSERT INTO ACCOUNTS ("ID") VALUES (\'12345678901\')', '100039', '22003'],
    ['NULL into NOT NULL', 'INSERT INTO ACCOUNTS ("NAME") VALUES (\'x\')', '100072', '22000'],
    ['a string too long', 'INSERT INTO ACCOUNTS ("ID", "NAME") VALUES (5, \'abcdef\')', '100078', '22000'],
    ['an existing table', 'CREATE TABLE ACCOUNTS ("X" NUMBER)', '002002', '42710'],
    ['two statements in one request', 'SELECT 1; SELECT 2', '000008', '0A000'],
    ['an unsupported function', 'SELECT HASH(1)', '000002', '0A000'],
    ['an unsupported statement', 'GRANT SELECT ON TABLE ACCOUNTS TO ROLE PUBLIC', '000002', '0A000'],
  ])('answers %s with %s', async (_what, sql, code, sqlState) => {
    expect(await failureOf(a.exec(sql))).toMatchObject({ code, sqlState });
  });

  it('says plainly when the stand-in does not implement something', async () => {
    const err = await failureOf(a.exec('SELECT "BALANCE" / 2 FROM ACCOUNTS'));
    expect(err.message).toContain('The Snowflake stand-in does not implement it');
  });

  it('keeps a failed INSERT from writing any of its rows', async () => {
    const before = await ids(a);
    await failureOf(
      a.exec('INSERT INTO ACCOUNTS ("ID", "NAME") VALUES (?, ?)', [
        [10, 'ok'],
        [11, 'too long'],
      ]),
    );
    expect(await ids(a)).toEqual(before);
  });
});
