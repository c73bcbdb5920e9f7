/**
 * An independent client: FreeTDS `tsql` (its own TDS implementation, in C) logs in and reads the same
 * values `mssql` reads. Skipped, with a message, where `tsql` is not installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { PASSWORD, startEmulator } from './support';

const HAS_TSQL = spawnSync('tsql', ['-C'], { encoding: 'utf8' }).status === 0;
if (!HAS_TSQL) {
  process.stderr.write(
    'FreeTDS tsql is not installed: skipping its test (apt-get install freetds-bin to run it).\n',
  );
}

const SEED = `
CREATE TABLE dbo.vals (id int PRIMARY KEY, bi bigint, d decimal(38,10), m money, f float, dt2 datetime2(7),
  dto datetimeoffset(7), d0 date, g uniqueidentifier, n nvarchar(40), v varchar(10), b varbinary(8), x xml, t time(7), bt bit);
GO
INSERT INTO dbo.vals VALUES (1, -9223372036854775808, -9999999999999999999999999999.9999999999, 922337203685477.5807, 1.5,
  '0001-01-01 00:00:00.0000001', '2024-06-30 23:59:59.1234567 +05:45', '9999-12-31', '6F9619FF-8B86-D011-B42D-00C04FC964FF',
  N'Ωmega 😀 Straße', 'café', 0xDEADBEEF, N'<a>Ω</a>', '23:59:59.9999999', 1);
INSERT INTO dbo.vals (id) VALUES (2);`;

(HAS_TSQL ? describe : describe.skip)('FreeTDS tsql', () => {
  let emulator: SqlServerEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ seed: [SEED] });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  /** Runs batches through tsql (asynchronously: the stand-in answers from this process). */
  function tsql(batches: string[], password = PASSWORD): Promise<{ lines: string[]; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('tsql', [
        '-H',
        '127.0.0.1',
        '-p',
        String(emulator.port),
        '-U',
        'sa',
        '-P',
        password,
        '-D',
        'shop',
        '-o',
        'q',
        '-t',
        '|',
      ]);
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', () => resolve({ lines: stdout.split('\n').filter((l) => l !== ''), stderr }));
      child.stdin.end(`${batches.map((b) => `${b}\ngo\n`).join('')}exit\n`);
    });
  }

  it('reads the values mssql reads, NULLs included', async () => {
    const { lines } = await tsql([
      'SELECT id, bi, CAST(d AS varchar(48)) AS d, CONVERT(varchar(32), m, 2) AS m, f, CONVERT(varchar(27), dt2, 121) AS dt2, ' +
        'CONVERT(varchar(34), dto, 121) AS dto, CONVERT(varchar(10), d0, 23) AS d0, g, n, v, b, x, CAST(t AS varchar(16)) AS t, bt ' +
        'FROM dbo.vals ORDER BY id',
    ]);
    expect(lines).toEqual([
      'id|bi|d|m|f|dt2|dto|d0|g|n|v|b|x|t|bt',
      '1|-9223372036854775808|-9999999999999999999999999999.9999999999|922337203685477.5807|1.5|0001-01-01 00:00:00.0000001|' +
        '2024-06-30 23:59:59.1234567 +05:45|9999-12-31|6F9619FF-8B86-D011-B42D-00C04FC964FF|Ωmega 😀 Straße|café|deadbeef|<a>Ω</a>|' +
        '23:59:59.9999999|1',
      '2|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL',
    ]);
  });

  it('decodes decimal and money as exactly as they are stored', async () => {
    expect((await tsql(['SELECT d, m FROM dbo.vals WHERE id = 1'])).lines).toEqual([
      'd|m',
      '-9999999999999999999999999999.9999999999|922337203685477.5807',
    ]);
  });

  it('gets a login error for a wrong password', async () => {
    const { lines, stderr } = await tsql(['SELECT 1'], 'wrong');
    expect(`${lines.join('\n')}\n${stderr}`).toMatch(/Login failed for user 'sa'/);
  });
});
