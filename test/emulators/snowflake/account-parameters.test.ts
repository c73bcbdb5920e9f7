/**
 * Account and user parameters, set the way an administrator sets them (ALTER ACCOUNT / ALTER USER),
 * and what they do to a client's session through the real snowflake-sdk: quoted names folded to upper
 * case, AUTOCOMMIT off, foreign input formats, a statement timeout, and no warehouse.
 * Precedence session > user > account > default:
 * https://docs.snowflake.com/en/sql-reference/parameters#parameter-hierarchy-and-types
 */
import type { SnowflakeEmulator } from '../../../emulators/snowflake';
import { connect, createTargetSchema, failureOf, startEmulator, USER, type Client } from './driver';

let emulator: SnowflakeEmulator;
const clients: Client[] = [];
const open = async (overrides: Record<string, unknown> = {}) => {
  const client = await connect(emulator, overrides);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  emulator = await startEmulator();
  await createTargetSchema(await open());
  await emulator.query(
    'CREATE TABLE "STEVE_MCP"."DATA_MIGRATION"."T" ("ID" NUMBER(10,0), "AT" TIMESTAMP_NTZ(7))',
  );
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await emulator.query('ALTER ACCOUNT UNSET QUOTED_IDENTIFIERS_IGNORE_CASE, TIMESTAMP_INPUT_FORMAT');
  await emulator.query(
    `ALTER USER ${USER} UNSET AUTOCOMMIT, TIMESTAMP_INPUT_FORMAT, STATEMENT_TIMEOUT_IN_SECONDS`,
  );
  await emulator.query('DELETE FROM "STEVE_MCP"."DATA_MIGRATION"."T"');
});
afterAll(() => emulator.close());

describe('QUOTED_IDENTIFIERS_IGNORE_CASE', () => {
  // https://docs.snowflake.com/en/sql-reference/identifiers-syntax#controlling-case-using-the-quoted-identifiers-ignore-case-parameter
  it('set on the account, brings a quoted lower-case alias back in upper case until the session sets it off', async () => {
    await emulator.query('ALTER ACCOUNT SET QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE');
    const client = await open();
    expect(await client.exec('SELECT COUNT(*) AS "rows" FROM T')).toEqual([{ ROWS: 0 }]);
    expect(await client.exec('SELECT COUNT(*) AS "rows" FROM "t"')).toEqual([{ ROWS: 0 }]);
    await client.exec('ALTER SESSION SET QUOTED_IDENTIFIERS_IGNORE_CASE = FALSE');
    expect(await client.exec('SELECT COUNT(*) AS "rows" FROM T')).toEqual([{ rows: 0 }]);
    expect((await failureOf(client.exec('SELECT 1 FROM "t"'))).code).toBe('002003');
  });
});

describe('AUTOCOMMIT = FALSE', () => {
  // https://docs.snowflake.com/en/sql-reference/transactions#autocommit
  it('set for the user, keeps DML in a transaction other sessions cannot see until COMMIT', async () => {
    await emulator.query(`ALTER USER ${USER} SET AUTOCOMMIT = FALSE`);
    const [a, b] = [await open(), await open()];
    await a.exec('INSERT INTO T ("ID") VALUES (?)', [1]);
    expect(await a.exec('SELECT "ID" FROM T')).toEqual([{ ID: 1 }]);
    expect(await b.exec('SELECT "ID" FROM T')).toEqual([]);
    await a.exec('COMMIT');
    expect(await b.exec('SELECT "ID" FROM T')).toEqual([{ ID: 1 }]);
  });

  it('rolls back what a session left uncommitted when it ends, and commits it before DDL', async () => {
    await emulator.query(`ALTER USER ${USER} SET AUTOCOMMIT = FALSE`);
    const a = await open();
    await a.exec('INSERT INTO T ("ID") VALUES (?)', [2]);
    await a.close();
    expect(await emulator.query('SELECT "ID" FROM "STEVE_MCP"."DATA_MIGRATION"."T"')).toEqual([]);
    const b = await open();
    await b.exec('INSERT INTO T ("ID") VALUES (?)', [3]);
    await b.exec('CREATE TABLE IF NOT EXISTS OTHER ("X" NUMBER)');
    await b.exec('ROLLBACK');
    expect(await emulator.query('SELECT "ID" FROM "STEVE_MCP"."DATA_MIGRATION"."T"')).toEqual([{ ID: 3 }]);
  });

  it('is overridden by the session: ALTER SESSION SET AUTOCOMMIT = TRUE commits each statement', async () => {
    await emulator.query(`ALTER USER ${USER} SET AUTOCOMMIT = FALSE`);
    const a = await open();
    await a.exec('ALTER SESSION SET AUTOCOMMIT = TRUE');
    await a.exec('INSERT INTO T ("ID") VALUES (?)', [4]);
    await a.close();
    expect(await emulator.query('SELECT "ID" FROM "STEVE_MCP"."DATA_MIGRATION"."T"')).toEqual([{ ID: 4 }]);
  });
});

describe('TIMESTAMP_INPUT_FORMAT', () => {
  // https://docs.snowflake.com/en/sql-reference/parameters#timestamp-input-format
  it('the user level overrides the account level, the session overrides both, UNSET goes back to the user', async () => {
    await emulator.query("ALTER ACCOUNT SET TIMESTAMP_INPUT_FORMAT = 'DD.MM.YYYY HH24:MI:SS'");
    await emulator.query(`ALTER USER ${USER} SET TIMESTAMP_INPUT_FORMAT = 'MM/DD/YYYY HH24:MI:SS.FF'`);
    const client = await open();
    const insert = (text: string) => client.exec('INSERT INTO T ("ID", "AT") VALUES (1, ?)', [text]);
    const refused = await failureOf(insert('2024-01-31 10:00:00.1234567'));
    expect([refused.code, refused.message]).toEqual([
      '100035',
      "Timestamp '2024-01-31 10:00:00.1234567' is not recognized",
    ]);
    await insert('01/31/2024 10:00:00.1234567');
    await client.exec('ALTER SESSION SET TIMESTAMP_INPUT_FORMAT = AUTO');
    await insert('2024-01-31 11:00:00');
    await client.exec('ALTER SESSION UNSET TIMESTAMP_INPUT_FORMAT');
    expect((await failureOf(insert('2024-01-31 12:00:00'))).code).toBe('100035');
    expect(await emulator.query('SELECT "AT" FROM "STEVE_MCP"."DATA_MIGRATION"."T" ORDER BY "AT"')).toEqual([
      { AT: '2024-01-31 10:00:00.1234567' },
      { AT: '2024-01-31 11:00:00.0000000' },
    ]);
  });

  it('refuses a format with elements the stand-in cannot read', async () => {
    const refused = await failureOf(emulator.query("ALTER ACCOUNT SET DATE_INPUT_FORMAT = 'YY-MM-DD'"));
    expect((refused as { code?: string }).code).toBe('000002');
  });
});

describe('STATEMENT_TIMEOUT_IN_SECONDS', () => {
  it('cancels a statement that runs longer with 000630', async () => {
    // https://docs.snowflake.com/en/sql-reference/parameters#statement-timeout-in-seconds
    await emulator.query(`ALTER USER ${USER} SET STATEMENT_TIMEOUT_IN_SECONDS = 1`);
    const client = await open();
    const failure = await failureOf(client.exec('CALL SYSTEM$WAIT(3)'));
    expect([failure.code, failure.sqlState, failure.message]).toEqual([
      '000630',
      '57014',
      'Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.',
    ]);
  });
});

describe('no warehouse', () => {
  // https://docs.snowflake.com/en/user-guide/warehouses-overview
  it('answers context functions, refuses queries of tables and DML with 000606 until USE WAREHOUSE', async () => {
    const client = await open({ warehouse: undefined });
    expect(await client.exec('SELECT CURRENT_WAREHOUSE() AS W, CURRENT_VERSION() IS NOT NULL AS V')).toEqual([
      { W: null, V: true },
    ]);
    for (const sql of ['SELECT COUNT(*) FROM T', 'INSERT INTO T ("ID") VALUES (1)']) {
      const failure = await failureOf(client.exec(sql));
      expect([failure.code, failure.sqlState, failure.message]).toEqual([
        '000606',
        '57P03',
        "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n",
      ]);
    }
    await client.exec('USE WAREHOUSE COMPUTE_WH');
    expect(await client.exec('SELECT COUNT(*) AS N FROM T')).toEqual([{ N: 0 }]);
  });
});

describe('start-up adminSql', () => {
  it("refuses to start, with the statement's error, when a statement fails", async () => {
    await expect(
      startEmulator({ adminSql: ["ALTER ACCOUNT SET DATE_INPUT_FORMAT = 'YY'"] }),
    ).rejects.toMatchObject({
      code: '000002',
    });
  });
});

describe('who may alter', () => {
  it('refuses ALTER ACCOUNT to a role other than ACCOUNTADMIN, and ALTER USER of a user that is not there', async () => {
    const client = await open();
    expect((await failureOf(client.exec('ALTER ACCOUNT SET AUTOCOMMIT = FALSE'))).code).toBe('003001');
    expect(
      (await failureOf(emulator.query('ALTER USER NOBODY SET AUTOCOMMIT = FALSE'))) as object,
    ).toMatchObject({
      code: '002003',
    });
  });
});
