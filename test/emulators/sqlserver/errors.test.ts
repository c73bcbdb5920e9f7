/** SQL Server's error numbers and messages, as the drivers surface them. */
import sql from 'mssql';
import { Connection } from 'tedious';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { PASSWORD, connect, failure, poolConfig, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: [
      'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, name varchar(5) NOT NULL); CREATE TABLE dbo.u (id int, name varchar(5));',
    ],
  });
  pool = await connect(emulator);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

/** Logs in with tedious directly, collecting the ERROR tokens of the login response. */
function login(
  user: string,
  password: string,
  database: string,
): Promise<{ numbers: number[]; error?: Error }> {
  return new Promise((resolve) => {
    const numbers: number[] = [];
    const connection = new Connection({
      server: '127.0.0.1',
      authentication: { type: 'default', options: { userName: user, password } },
      options: {
        port: emulator.port,
        database,
        encrypt: false,
        trustServerCertificate: true,
        maxRetriesOnTransientErrors: 0,
      },
    });
    connection.on('errorMessage', (token) => numbers.push(token.number));
    connection.connect((error) => {
      connection.close();
      resolve({ numbers, error });
    });
  });
}

describe('login errors', () => {
  it('a wrong password or user is error 18456', async () => {
    expect(await login('sa', 'wrong', 'shop')).toEqual({
      numbers: [18456],
      error: expect.objectContaining({ message: "Login failed for user 'sa'." }),
    });
    expect((await login('nobody', PASSWORD, 'shop')).numbers).toEqual([18456]);
    const error = await failure(
      new sql.ConnectionPool({ ...poolConfig(emulator), password: 'wrong' }).connect(),
    );
    expect(error).toMatchObject({ code: 'ELOGIN', message: "Login failed for user 'sa'." });
  });

  it('an unknown database is error 4060, then 18456 as SQL Server sends them', async () => {
    const result = await login('sa', PASSWORD, 'nope');
    expect(result.numbers).toEqual([4060, 18456]);
    expect(result.error?.message).toBe("Login failed for user 'sa'.");
  });

  it('logs in with the user name in any case, and without TLS even when the client would like it', async () => {
    expect((await login('SA', PASSWORD, 'shop')).error).toBeUndefined();
    const willing = await connect(emulator, { options: { encrypt: true, trustServerCertificate: true } });
    expect(await query(willing, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await willing.close();
  });

  it('a client that insists on TLS fails at once instead of hanging', async () => {
    const started = Date.now();
    const error = await failure(
      new sql.ConnectionPool({
        ...poolConfig(emulator),
        options: { encrypt: 'strict' as unknown as boolean },
        connectionTimeout: 10_000,
      }).connect(),
    );
    expect(error.code).toBe('ESOCKET');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('statement errors', () => {
  const cases: [string, string, number, string][] = [
    ['unknown table', 'SELECT * FROM dbo.nope', 208, "Invalid object name 'dbo.nope'."],
    [
      'unknown table, bracketed three-part name',
      'SELECT * FROM [shop].[dbo].[no pe]',
      208,
      "Invalid object name '[shop].[dbo].[no pe]'.",
    ],
    ['bad syntax', 'SELECT * FROM dbo.t WHERE', 102, "Incorrect syntax near 'WHERE'."],
    ['bad syntax near a keyword', 'SELECT FROM dbo.t', 156, "Incorrect syntax near the keyword 'FROM'."],
    ['unclosed string', "SELECT 'abc", 105, "Unclosed quotation mark after the character string 'abc'."],
    ['unknown column', 'SELECT nope FROM dbo.t', 207, "Invalid column name 'nope'."],
    [
      'ambiguous column',
      'SELECT id FROM dbo.t JOIN dbo.u ON t.id = u.id',
      209,
      "Ambiguous column name 'id'.",
    ],
    [
      'unbound qualifier',
      'SELECT x.id FROM dbo.t',
      4104,
      'The multi-part identifier "x.id" could not be bound.',
    ],
    [
      'conversion',
      "SELECT CAST('abc' AS int) AS v",
      245,
      "Conversion failed when converting the varchar value 'abc' to data type int.",
    ],
    [
      'date conversion',
      "SELECT CAST('2024-13-01' AS date) AS v",
      241,
      'Conversion failed when converting date and/or time from character string.',
    ],
    [
      'overflow',
      'SELECT CAST(300 AS tinyint) AS v',
      8115,
      'Arithmetic overflow error converting expression to data type tinyint.',
    ],
    ['divide by zero', 'SELECT 1 / 0 AS v', 8134, 'Divide by zero error encountered.'],
    [
      'NULL into NOT NULL',
      'INSERT INTO dbo.t (id, name) VALUES (1, NULL)',
      515,
      "Cannot insert the value NULL into column 'name', table 'shop.dbo.t'; column does not allow nulls. INSERT fails.",
    ],
    [
      'truncation',
      "INSERT INTO dbo.t (id, name) VALUES (1, 'abcdefgh')",
      2628,
      "String or binary data would be truncated in table 'shop.dbo.t', column 'name'. Truncated value: 'abcde'.",
    ],
    ['undeclared variable', 'SELECT @nope AS v', 137, 'Must declare the scalar variable "@nope".'],
    ['unknown function', 'SELECT NOPE(1) AS v', 195, "'nope' is not a recognized built-in function name."],
    [
      'unsupported statement',
      'MERGE dbo.t AS x USING dbo.u AS y ON x.id = y.id',
      50000,
      'The SQL Server stand-in does not support MERGE.',
    ],
  ];

  it.each(cases)('%s', async (_name, text, number, message) => {
    const error = await failure(pool.request().query(text));
    expect({ number: error.number, message: error.message }).toEqual({ number, message });
  });

  it('reports errors as RequestError with class, state and line, and the connection goes on', async () => {
    const error = (await failure(
      pool.request().query('SELECT 1 AS a;\nSELECT * FROM dbo.nope'),
    )) as sql.RequestError & { class: number; lineNumber: number };
    expect(error).toBeInstanceOf(sql.RequestError);
    expect({ code: error.code, class: error.class, lineNumber: error.lineNumber }).toEqual({
      code: 'EREQUEST',
      class: 16,
      lineNumber: 2,
    });
    expect(await query(pool, 'SELECT COUNT(*) AS n FROM dbo.t')).toEqual([{ n: 0 }]);
  });

  it('batches (SQL batch requests) report the same errors', async () => {
    const error = await failure(pool.request().batch('SELECT * FROM dbo.nope'));
    expect({ number: error.number, message: error.message }).toEqual({
      number: 208,
      message: "Invalid object name 'dbo.nope'.",
    });
  });
});
