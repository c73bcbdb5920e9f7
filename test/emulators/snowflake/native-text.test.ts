/**
 * TO_VARCHAR of date, time and FLOAT columns (with the models the content checksum uses) is printed by
 * DuckDB SQL (emulators/snowflake/sql/native-date-time-text.ts and canonicalFloatText in
 * functions.ts), not row by row in JavaScript: on generated values, through the real driver, it prints
 * exactly what the row-by-row function prints (reached here through NVL, which hides the column's type
 * from the translation).
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
  F: 'FLOAT',
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
  // The content checksum's model (src/validation/canonical.ts).
  F: ['S0.0000000000000000EEEEE'],
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
// Every double, short binary fractions (where 17-digit ties lie), and edges: ties at the 17th digit
// (exact digits 1234567890123456|25, 0.5 beyond the last kept digit), 0, -0, the extremes.
const float = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer().map((i) => i / 1000),
  fc
    .tuple(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 1, max: 25 }))
    .map(([m, j]) => (m * 2 ** 23) / 2 ** j),
  fc.constantFrom(
    123456789012345.625,
    -123456789012345.625,
    1234567890123456.25,
    0,
    -0,
    5e-324,
    -1.7976931348623157e308,
    2 ** 53,
    0.1,
  ),
);
const ROWS = fc
  .sample(fc.tuple(row, fc.option(float, { nil: null })), { numRuns: 400, seed: 20261127 })
  .map(([[d, t, n, z], f]) => [d, t, t, t, n, n, n, z, z, f]);

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

const toVarchar = (value: string, model: string) =>
  model ? `TO_VARCHAR(${value}, '${model}')` : `TO_VARCHAR(${value})`;

describe('TO_VARCHAR of date, time and FLOAT columns in DuckDB SQL', () => {
  it.each(Object.keys(COLUMNS).flatMap((column) => MODELS[column[0]!]!.map((model) => [column, model])))(
    '%s with %j prints what the row-by-row function prints',
    async (column, model) => {
      const rows = await target.client.exec(
        `SELECT ${toVarchar(`"${column}"`, model)} AS "NATIVE", ${toVarchar(`NVL("${column}", "${column}")`, model)} AS "ROW_BY_ROW" FROM ${TARGET}."TEXTS"`,
      );
      expect(rows).toHaveLength(ROWS.length);
      expect(rows.filter((r) => r.NATIVE !== r.ROW_BY_ROW)).toEqual([]);
      expect(rows.filter((r) => r.NATIVE !== null).length).toBeGreaterThan(ROWS.length / 2);
    },
  );

  describe('FLOAT', () => {
    const floats = async (values: string[]) => {
      await target.client.exec(`CREATE OR REPLACE TABLE ${TARGET}."FLOATS" ("F" FLOAT)`);
      await target.client.exec(
        `INSERT INTO ${TARGET}."FLOATS" SELECT * FROM VALUES ${values.map((v) => `('${v}'::FLOAT)`).join(', ')}`,
      );
    };

    // https://docs.snowflake.com/en/sql-reference/sql-format-models: DOUBLE prints as TME by default,
    // scientific with an EE exponent; at most 15 digits (emulators/snowflake/values/float-text.ts).
    it('prints TO_VARCHAR(<FLOAT>) in the default TME format, not every digit of the double', async () => {
      await floats([
        '0',
        '-0',
        'inf',
        '-inf',
        'NaN',
        '1e-4',
        '-1e15',
        '123',
        '0.5',
        '0.1',
        '1.2618595071429148',
      ]);
      const rows = await target.client.exec(`SELECT TO_VARCHAR("F") AS "T" FROM ${TARGET}."FLOATS"`);
      expect(rows.map((r) => r.T)).toEqual([
        '0E0',
        '-0E0',
        'inf',
        '-inf',
        'NaN',
        '1E-4',
        '-1E15',
        '1.23E2',
        '5E-1',
        '1E-1',
        '1.26185950714291E0',
      ]);
    });

    it('prints the fixed-position model with sign, 17 digits and a 3-digit exponent, ties away from zero', async () => {
      await floats(['0', '-0', '0.1', '-2.5', '5e-324', '1.7976931348623157e308', '123456789012345.625']);
      const rows = await target.client.exec(
        `SELECT TO_VARCHAR("F", 'S0.0000000000000000EEEEE') AS "NATIVE", ` +
          `TO_VARCHAR(NVL("F", "F"), 'S0.0000000000000000EEEEE') AS "ROW_BY_ROW", ` +
          `TO_VARCHAR("F", '9.000EE') AS "EE", TO_VARCHAR("F", 'S9.0eee') AS "EEE" FROM ${TARGET}."FLOATS"`,
      );
      expect(rows).toEqual([
        {
          NATIVE: '+0.0000000000000000E+000',
          ROW_BY_ROW: '+0.0000000000000000E+000',
          EE: ' 0.000E0   ',
          EEE: '+0.0e+0',
        },
        {
          NATIVE: '-0.0000000000000000E+000',
          ROW_BY_ROW: '-0.0000000000000000E+000',
          EE: '-0.000E0   ',
          EEE: '-0.0e+0',
        },
        {
          NATIVE: '+1.0000000000000001E-001',
          ROW_BY_ROW: '+1.0000000000000001E-001',
          EE: ' 1.000E-1  ',
          EEE: '+1.0e-1',
        },
        {
          NATIVE: '-2.5000000000000000E+000',
          ROW_BY_ROW: '-2.5000000000000000E+000',
          EE: '-2.500E0   ',
          EEE: '-2.5e+0',
        },
        {
          NATIVE: '+4.9406564584124654E-324',
          ROW_BY_ROW: '+4.9406564584124654E-324',
          EE: ' 4.941E-324',
          EEE: '+4.9e-#',
        },
        {
          NATIVE: '+1.7976931348623157E+308',
          ROW_BY_ROW: '+1.7976931348623157E+308',
          EE: ' 1.798E308 ',
          EEE: '+1.8e+#',
        },
        // Exact digits 1234567890123456|25: a tie, rounded up.
        {
          NATIVE: '+1.2345678901234563E+014',
          ROW_BY_ROW: '+1.2345678901234563E+014',
          EE: ' 1.235E14  ',
          EEE: '+1.2e+#',
        },
      ]);
    });

    it('refuses NaN and infinity in a fixed-position model, and models it does not implement', async () => {
      await floats(['inf']);
      await expect(
        target.client.exec(`SELECT TO_VARCHAR("F", 'S0.0000000000000000EEEEE') FROM ${TARGET}."FLOATS"`),
      ).rejects.toThrow(/Unsupported feature 'TO_VARCHAR of inf with a fixed-position format model/);
      await expect(target.client.exec(`SELECT TO_VARCHAR(1.5::FLOAT, '999.99')`)).rejects.toThrow(
        /Unsupported feature 'TO_VARCHAR of a FLOAT with the format model '999.99'/,
      );
    });
  });
});
