/**
 * Keyset paging (`WHERE key > @last ORDER BY key`, page by page) must visit every row exactly once, which
 * only holds when ORDER BY and `>` agree with SQL Server's collation and uniqueidentifier order.
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';
import { GUIDS_IN_SQL_SERVER_ORDER } from '../../support/guid-order';

const WORDS = [
  'résumé',
  'Resume',
  'co-op',
  'COOP',
  'zèbre',
  'Zebra',
  "o'neil",
  'ÉCLAIR',
  'eclair',
  '_under',
  'straße',
];

/** Keys that differ only in case, accents, punctuation and trailing spaces, and are distinct under CI_AS. */
function words(): string[] {
  const keys: string[] = [];
  for (let i = 0; i < 400; i++)
    keys.push(`${WORDS[i % WORDS.length]}${Math.floor(i / WORDS.length)}${' '.repeat(i % 3)}`);
  return keys;
}

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: [
      `CREATE TABLE dbo.words (k nvarchar(60) NOT NULL PRIMARY KEY, n int NOT NULL);
       CREATE TABLE dbo.guids (g uniqueidentifier NOT NULL PRIMARY KEY);
       CREATE TABLE dbo.pairs (a nvarchar(20) NOT NULL, b int NOT NULL, CONSTRAINT pk_pairs PRIMARY KEY (a, b));`,
    ],
  });
  await emulator.bulkInsert(
    'dbo.words',
    ['k', 'n'],
    words().map((k, i) => [k, i]),
  );
  const random = Array.from({ length: 300 }, (_, i) => {
    const hex = (i * 2_654_435_761 + 12_345).toString(16).padStart(8, '0').slice(-8);
    return `${hex}-${hex.slice(0, 4)}-${hex.slice(4)}-${hex.slice(2, 6)}-${hex}${hex.slice(0, 4)}`;
  });
  await emulator.bulkInsert(
    'dbo.guids',
    ['g'],
    [...GUIDS_IN_SQL_SERVER_ORDER, ...random].map((g) => [g]),
  );
  const pairs: unknown[][] = [];
  for (let i = 0; i < 60; i++) {
    const a = ['x', 'X ', 'y', 'é', 'E', 'e '][i % 6]!;
    pairs.push([a, i]);
  }
  await emulator.bulkInsert('dbo.pairs', ['a', 'b'], pairs);
  pool = await connect(emulator);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

/** Pages through a table with the key text as the only thing carried between pages. */
async function pageAll(first: string, next: string, keyCount: number, pageSize = 37): Promise<string[][]> {
  const seen: string[][] = [];
  let last: string[] | undefined;
  for (;;) {
    const params: Record<string, string | number> = { n: pageSize };
    last?.forEach((v, i) => (params[`k${i}`] = v));
    const rows = await query<Record<string, string>>(pool, last ? next : first, params);
    if (rows.length === 0) return seen;
    for (const row of rows) seen.push(Array.from({ length: keyCount }, (_, i) => String(row[`k${i}`])));
    last = seen[seen.length - 1];
  }
}

describe('keyset paging', () => {
  it('orders strings by the collation: case-insensitive, accent-sensitive, not by code point', async () => {
    const rows = await query<{ k: string }>(
      pool,
      "SELECT k FROM dbo.words WHERE k IN (N'Resume0', N'résumé0', N'Zebra0', N'zèbre0', N'eclair0', N'ÉCLAIR0', N'_under0') ORDER BY k",
    );
    expect(rows.map((r) => r.k.trimEnd())).toEqual([
      '_under0',
      'eclair0',
      'ÉCLAIR0',
      'Resume0',
      'résumé0',
      'Zebra0',
      'zèbre0',
    ]);
  });

  it('visits every nvarchar key exactly once across pages', async () => {
    const keys = await pageAll(
      'SELECT TOP (@n) k AS k0 FROM dbo.words ORDER BY k',
      'SELECT TOP (@n) k AS k0 FROM dbo.words WHERE (k > CAST(@k0 AS nvarchar(60))) ORDER BY k',
      1,
    );
    const expected = words();
    expect(keys).toHaveLength(expected.length);
    expect(new Set(keys.map((k) => k[0])).size).toBe(expected.length);
    expect(keys.map((k) => k[0]).sort()).toEqual([...expected].sort());
  });

  it('rejects keys equal under the collation (case and trailing spaces)', async () => {
    const error = await failure(query(pool, "INSERT INTO dbo.words (k, n) VALUES (N'RESUME0 ', 1)"));
    expect(error.number).toBe(2627);
    expect(error.message).toMatch(
      /^Violation of PRIMARY KEY constraint 'PK__words__[0-9A-F]{16}'\. Cannot insert duplicate key in object 'dbo\.words'\. The duplicate key value is \(RESUME0 \)\.$/,
    );
  });

  it('visits every uniqueidentifier exactly once, in SQL Server order', async () => {
    const keys = await pageAll(
      'SELECT TOP (@n) CONVERT(nchar(36), g) AS k0 FROM dbo.guids ORDER BY g',
      'SELECT TOP (@n) CONVERT(nchar(36), g) AS k0 FROM dbo.guids WHERE (g > CAST(@k0 AS uniqueidentifier)) ORDER BY g',
      1,
      23,
    );
    const flat = keys.map((k) => k[0]!);
    expect(flat).toHaveLength(316);
    expect(new Set(flat).size).toBe(316);
    expect(flat.filter((g) => GUIDS_IN_SQL_SERVER_ORDER.includes(g))).toEqual(GUIDS_IN_SQL_SERVER_ORDER);
  });

  it('visits every composite key exactly once when the first part repeats under the collation', async () => {
    const keys = await pageAll(
      'SELECT TOP (@n) a AS k0, CAST(b AS nvarchar(4000)) AS k1 FROM dbo.pairs ORDER BY a, b',
      'SELECT TOP (@n) a AS k0, CAST(b AS nvarchar(4000)) AS k1 FROM dbo.pairs ' +
        'WHERE (a > CAST(@k0 AS nvarchar(20))) OR (a = CAST(@k0 AS nvarchar(20)) AND b > CAST(@k1 AS int)) ORDER BY a, b',
      2,
      7,
    );
    expect(keys).toHaveLength(60);
    expect(new Set(keys.map((k) => k[1])).size).toBe(60);
    // 'x' and 'X ' are one value under the collation: their rows form one group, ordered by b.
    const xs = keys.filter(([a]) => a!.trim().toLowerCase() === 'x').map(([, b]) => Number(b));
    expect(xs).toEqual([...xs].sort((p, q) => p - q));
    expect(keys.map(([a]) => a!.trim().toLowerCase())).toEqual([
      ...Array(20).fill('e'),
      ...Array(10).fill('é'),
      ...Array(20).fill('x'),
      ...Array(10).fill('y'),
    ]);
  });
});
