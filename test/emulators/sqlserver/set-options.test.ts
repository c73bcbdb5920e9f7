/**
 * SET options through the real `mssql` driver: what a session reports after tedious' login SETs, the options
 * the stand-in honours, and the refusal of every value whose effect it does not have (never a silent
 * agreement). Bits: https://learn.microsoft.com/sql/t-sql/functions/options-transact-sql and
 * https://learn.microsoft.com/sql/database-engine/configure-windows/configure-the-user-options-server-configuration-option.
 */
import sql from 'mssql';
import { Connection } from 'tedious';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, startEmulator } from './support';
import { sqlRequest, tediousConfig } from './tedious-client';

/** ANSI_WARNINGS 8 + ANSI_PADDING 16 + ANSI_NULLS 32 + ARITHABORT 64 + QUOTED_IDENTIFIER 256 + ANSI_NULL_DFLT_ON 1024 + CONCAT_NULL_YIELDS_NULL 4096. */
const TEDIOUS_DEFAULTS = 5496;

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: [
      "CREATE TABLE dbo.docs (id int PRIMARY KEY, body nvarchar(max)); INSERT INTO dbo.docs VALUES (1, N'abcdefghij');",
    ],
  });
  // One connection, so that every batch runs in the session the previous one changed.
  pool = await connect(emulator, { pool: { max: 1 } });
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

/** The first row of a batch's first result, as an array (its columns are unnamed). */
const row = async (text: string, on = pool): Promise<unknown[]> => {
  const request = on.request();
  request.arrayRowMode = true;
  return (await request.batch(text)).recordset[0] as unknown as unknown[];
};

describe('SET options', () => {
  it("report tedious' login SETs as SQL Server would: @@OPTIONS 5496, TEXTSIZE 2147483647, us_english, DATEFIRST 7", async () => {
    expect(await row('SELECT @@OPTIONS, @@TEXTSIZE, @@LANGUAGE, @@DATEFIRST')).toEqual([
      TEDIOUS_DEFAULTS,
      2147483647,
      'us_english',
      7,
    ]);
  });

  it('keep the bits of the options a client sets at login that the stand-in runs (ARITHABORT OFF, XACT_ABORT ON)', async () => {
    const other = await connect(emulator, {
      pool: { max: 1 },
      options: { encrypt: false, abortTransactionOnError: true, enableArithAbort: false },
    });
    try {
      // 5496 - ARITHABORT 64 + XACT_ABORT 16384.
      expect(await row('SELECT @@OPTIONS', other)).toEqual([21816]);
    } finally {
      await other.close();
    }
  });

  /** tedious' boolean options, the SET each sends at login and its @@OPTIONS bit (tedious' own suite tests them all). */
  const LOGIN_OPTIONS: [option: string, set: string, bit: number][] = [
    ['enableImplicitTransactions', 'IMPLICIT_TRANSACTIONS', 2],
    ['enableCursorCloseOnCommit', 'CURSOR_CLOSE_ON_COMMIT', 4],
    ['enableAnsiWarnings', 'ANSI_WARNINGS', 8],
    ['enableAnsiPadding', 'ANSI_PADDING', 16],
    ['enableAnsiNull', 'ANSI_NULLS', 32],
    ['enableArithAbort', 'ARITHABORT', 64],
    ['enableQuotedIdentifier', 'QUOTED_IDENTIFIER', 256],
    ['enableAnsiNullDefault', 'ANSI_NULL_DFLT_ON', 1024],
    ['enableConcatNullYieldsNull', 'CONCAT_NULL_YIELDS_NULL', 4096],
    ['enableNumericRoundabort', 'NUMERIC_ROUNDABORT', 8192],
    ['abortTransactionOnError', 'XACT_ABORT', 16384],
  ];
  /** The options whose both values the stand-in runs. */
  const BOTH_WAYS = new Set([
    'CURSOR_CLOSE_ON_COMMIT',
    'ARITHABORT',
    'ANSI_NULL_DFLT_ON',
    'CONCAT_NULL_YIELDS_NULL',
    'XACT_ABORT',
  ]);

  it.each(
    LOGIN_OPTIONS.flatMap(([option, set, bit]) => [true, false].map((on) => [option, on, set, bit] as const)),
  )(
    'a tedious login with %s: %s keeps SET %s in @@OPTIONS or is refused (only an errorMessage event to tedious)',
    async (option, on, set, bit) => {
      const connection = new Connection(tediousConfig(emulator, { [option]: on }));
      const messages: string[] = [];
      connection.on('errorMessage', (token: { message: string }) => messages.push(token.message));
      await new Promise<void>((resolve, reject) =>
        connection.connect((err) => (err ? reject(err) : resolve())),
      );
      try {
        const kept = BOTH_WAYS.has(set) || on === ((TEDIOUS_DEFAULTS & bit) !== 0);
        expect(messages).toEqual(
          kept ? [] : [`The SQL Server stand-in does not support SET ${set} ${on ? 'ON' : 'OFF'}.`],
        );
        const expected = kept ? (on ? bit : 0) : TEDIOUS_DEFAULTS & bit;
        expect((await sqlRequest(connection, `SELECT @@OPTIONS & ${bit}`)).rows).toEqual([[expected]]);
      } finally {
        connection.close();
      }
    },
  );

  it('honour TEXTSIZE: n cuts max values to n bytes, 0 is 4096, -1 is unlimited and reported as -1', async () => {
    expect(await row('SET TEXTSIZE 8; SELECT @@TEXTSIZE, body FROM dbo.docs')).toEqual([8, 'abcd']);
    expect(await row('SET TEXTSIZE 0; SELECT @@TEXTSIZE')).toEqual([4096]);
    expect(await row('SET TEXTSIZE -1; SELECT @@TEXTSIZE, body FROM dbo.docs')).toEqual([-1, 'abcdefghij']);
    await pool.request().batch('SET TEXTSIZE 2147483647');
  });

  it('honour NOCOUNT in @@OPTIONS (512) and XACT_ABORT (16384), and take the default values of the others', async () => {
    expect(await row('SET NOCOUNT, XACT_ABORT ON; SELECT @@OPTIONS')).toEqual([
      TEDIOUS_DEFAULTS + 512 + 16384,
    ]);
    await pool.request().batch('SET NOCOUNT OFF; SET XACT_ABORT OFF');
    await pool
      .request()
      .batch(
        'SET ANSI_NULLS, QUOTED_IDENTIFIER ON; SET ROWCOUNT 0; SET LOCK_TIMEOUT -1; SET DEADLOCK_PRIORITY NORMAL; ' +
          'SET STATISTICS IO, TIME OFF; SET FMTONLY OFF; SET LANGUAGE us_english; SET DATEFORMAT mdy; ' +
          'SET FIPS_FLAGGER OFF; SET TRANSACTION ISOLATION LEVEL READ COMMITTED',
      );
    expect(await row('SELECT @@OPTIONS')).toEqual([TEDIOUS_DEFAULTS]);
  });

  it('honour ANSI_NULL_DFLT_ON / _OFF: the nullability of columns created without NULL or NOT NULL', async () => {
    const nullable = (table: string) =>
      row(`SELECT is_nullable FROM tempdb.sys.columns WHERE object_id = OBJECT_ID('tempdb..${table}')`);
    // Both OFF: the database's ANSI_NULL_DEFAULT, OFF, makes it NOT NULL.
    expect(await row('SET ANSI_NULL_DFLT_ON OFF; CREATE TABLE #both_off (a int); SELECT @@OPTIONS')).toEqual([
      TEDIOUS_DEFAULTS - 1024,
    ]);
    expect(await failure(pool.request().batch('INSERT INTO #both_off VALUES (NULL)'))).toMatchObject({
      number: 515,
    });
    // ANSI_NULL_DFLT_OFF ON: NOT NULL; then ANSI_NULL_DFLT_ON ON turns it OFF again and allows NULL.
    expect(await row('SET ANSI_NULL_DFLT_OFF ON; CREATE TABLE #dflt_off (a int); SELECT @@OPTIONS')).toEqual([
      TEDIOUS_DEFAULTS - 1024 + 2048,
    ]);
    expect(await row('SET ANSI_NULL_DFLT_ON ON; CREATE TABLE #dflt_on (a int); SELECT @@OPTIONS')).toEqual([
      TEDIOUS_DEFAULTS,
    ]);
    await pool.request().batch('INSERT INTO #dflt_on VALUES (NULL)');
    expect(await nullable('#dflt_off')).toEqual([false]);
    expect(await nullable('#dflt_on')).toEqual([true]);
  });

  it("honour CONCAT_NULL_YIELDS_NULL OFF: string + takes NULL as '' (two NULLs, undocumented, refused)", async () => {
    const concat = "SELECT N'abc' + CAST(NULL AS nvarchar(5)), CAST(NULL AS varchar(5)) + 'd', 'e' + NULL";
    expect(await row(concat)).toEqual([null, null, null]);
    expect(await row(`SET CONCAT_NULL_YIELDS_NULL OFF; ${concat}, @@OPTIONS`)).toEqual([
      'abc',
      'd',
      'e',
      TEDIOUS_DEFAULTS - 4096,
    ]);
    const refused = await failure(
      pool.request().batch('SELECT CAST(NULL AS varchar(5)) + CAST(NULL AS varchar(5))'),
    );
    expect(refused.message).toContain(
      'does not support concatenating two NULLs with CONCAT_NULL_YIELDS_NULL OFF',
    );
    expect(await row(`SET CONCAT_NULL_YIELDS_NULL ON; ${concat}`)).toEqual([null, null, null]);
  });

  it('restore the options a procedure, EXEC (string) or sp_executesql set when it ends', async () => {
    await pool.request().query('SET XACT_ABORT ON; SET TEXTSIZE 5');
    await pool.request().batch("EXEC ('SET NOCOUNT ON; SET TEXTSIZE 6')");
    await pool.request().batch('CREATE PROCEDURE #setter AS SET XACT_ABORT ON; SET TEXTSIZE 7');
    expect(await row('EXEC #setter; SELECT @@OPTIONS, @@TEXTSIZE')).toEqual([TEDIOUS_DEFAULTS, 2147483647]);
    expect(await row("EXEC ('SET TEXTSIZE 8; SELECT @@TEXTSIZE')")).toEqual([8]);
  });

  it.each([
    ['SET ANSI_NULLS OFF', 'SET ANSI_NULLS OFF'],
    ['SET IMPLICIT_TRANSACTIONS ON', 'SET IMPLICIT_TRANSACTIONS ON'],
    ['SET ANSI_DEFAULTS ON', 'SET ANSI_DEFAULTS ON (it sets IMPLICIT_TRANSACTIONS)'],
    ['SET ROWCOUNT 10', 'SET ROWCOUNT 10 (only 0)'],
    ['SET LOCK_TIMEOUT 1000', 'SET LOCK_TIMEOUT 1000 (only -1)'],
    ['SET DEADLOCK_PRIORITY HIGH', 'SET DEADLOCK_PRIORITY HIGH (only normal)'],
    ['SET STATISTICS IO ON', 'SET STATISTICS IO ON'],
    ['SET NOEXEC ON', 'SET NOEXEC ON'],
    ['SET LANGUAGE Deutsch', 'SET LANGUAGE Deutsch (only us_english)'],
    ['SET TEXTSIZE -2', 'SET TEXTSIZE -2'],
    ['SET CONTEXT_INFO 0x01', 'SET CONTEXT_INFO'],
    ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'the SERIALIZABLE isolation level'],
  ])('refuse %s with 50000 and leave the session as it was', async (statement, what) => {
    const refused = await failure(pool.request().batch(statement));
    expect(refused).toMatchObject({ number: 50000 });
    expect(refused.message).toContain(`The SQL Server stand-in does not support ${what}`);
    expect(await row('SELECT @@OPTIONS, @@TEXTSIZE')).toEqual([TEDIOUS_DEFAULTS, 2147483647]);
  });

  it('refuse a transaction begun at an isolation level the stand-in does not run', async () => {
    const transaction = pool.transaction();
    const refused = await failure(transaction.begin(sql.ISOLATION_LEVEL.REPEATABLE_READ));
    expect(refused.message).toContain('does not support the REPEATABLE READ isolation level');
    expect(await row('SELECT @@TRANCOUNT')).toEqual([0]);
  });

  it('answer an option SQL Server does not have with its error 195', async () => {
    expect(await failure(pool.request().batch('SET ANSI_NULL ON'))).toMatchObject({
      number: 195,
      message: "'ANSI_NULL' is not a recognized SET option.",
    });
  });
});
