/**
 * TO_VARCHAR of date and time columns with the ISO-like models the content checksum uses is printed
 * by DuckDB SQL (emulators/snowflake/sql/native-date-time-text.ts), not row by row in JavaScript: on
 * generated values, through the real driver, it prints exactly what the row-by-row function prints
 * (reached here through NVL, which hides the column's type from the translation).
 */
import fc from 'fast-check';
import { TARGET, useEmulator } from './driver';

const COLUMNS = {
  D: 'DATE',
  T0: 'TIME(0)',
  T3: 'TIME(3)',
  T9: 'TIME(9)',
  N0: 'TIMESTAMP_NTZ(0)',
  N7: 'TIMESTAMP_NTZ(7)',
  N9: 'TIMESTAMP_NTZ(9)',
  Z0: 'TIMESTAMP_TZ(0)',
  Z7: 'TIMESTAMP_TZ(7)',
};
const MODELS: Record<string, string[]> = {
  D: ['YYYY-MM-DD'],
  T: ['HH24:MI:SS', 'HH24:MI:SS.FF1', 'HH24:MI:SS.FF7', 'HH24:MI:SS.FF9'],
  N: ['YYYY-MM-DD HH24:MI:SS', 'YYYY-MM-DD HH24:MI:SS.FF3', 'YYYY-MM-DD HH24:MI:SS.FF7'],
  Z: [
    'YYYY-MM-DD HH24:MI:SS.FF7 TZH:TZM',
    'YYYY-MM-DD HH24:MI:SS TZH:TZM',
    'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM',
  ],
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const date = fc
  .tuple(
    // Any year, and as often the years a BIGINT of nanoseconds holds (printed another way).
    fc.oneof(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1677, max: 2262 })),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const time = fc
  .tuple(
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 999_999_999 }),
  )
  .map(([h, m, s, ns]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ns, 9)}`);
const offset = fc
  .integer({ min: -14 * 60, max: 14 * 60 })
  .map(
    (minutes) =>
      `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60), 2)}:${pad(Math.abs(minutes) % 60, 2)}`,
  );
const edges = [
  '0001-01-01 00:00:00',
  '9999-12-31 23:59:59.999999999',
  '1969-12-31 23:59:59.999999999',
  '1970-01-01',
  // The first and last wall clocks a BIGINT of nanoseconds holds, and one beyond each.
  '1677-09-21 00:12:43.145224192',
  '1677-09-21 00:12:43.145224191',
  '2262-04-11 23:47:16.854775807',
  '2262-04-11 23:47:16.854775808',
];
const timestamp = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(date, time).map(([d, t]) => `${d} ${t}`) },
  { weight: 1, arbitrary: fc.constantFrom(...edges) },
);
const row = fc.tuple(
  fc.option(date, { nil: null }),
  fc.option(time, { nil: null }),
  fc.option(timestamp, { nil: null }),
  fc.option(
    fc.tuple(timestamp, offset).map(([t, o]) => `${t} ${o}`),
    { nil: null },
  ),
);
const ROWS = fc
  .sample(row, { numRuns: 400, seed: 20261127 })
  .map(([d, t, n, z]) => [d, t, t, t, n, n, n, z, z]);

const target = useEmulator(async (client) => {
  const names = Object.keys(COLUMNS);
  await client.exec(
    `CREATE TABLE ${TARGET}."TEXTS" (${Object.entries(COLUMNS)
      .map(([name, type]) => `"${name}" ${type}`)
      .join(', ')})`,
  );
  await client.exec(
    `INSERT INTO ${TARGET}."TEXTS" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    ROWS,
  );
});

describe('TO_VARCHAR of date and time columns in DuckDB SQL', () => {
  it.each(Object.keys(COLUMNS).flatMap((column) => MODELS[column[0]!]!.map((model) => [column, model])))(
    '%s with %s prints what the row-by-row function prints',
    async (column, model) => {
      const rows = await target.client.exec(
        `SELECT TO_VARCHAR("${column}", '${model}') AS "NATIVE", TO_VARCHAR(NVL("${column}", "${column}"), '${model}') AS "ROW_BY_ROW" FROM ${TARGET}."TEXTS"`,
      );
      expect(rows).toHaveLength(ROWS.length);
      expect(rows.filter((r) => r.NATIVE !== r.ROW_BY_ROW)).toEqual([]);
      expect(rows.filter((r) => r.NATIVE !== null).length).toBeGreaterThan(ROWS.length / 2);
    },
  );
});
