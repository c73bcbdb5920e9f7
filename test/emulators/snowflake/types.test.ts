/** Every type round-trips through the driver with edge values, as bound values and as the driver decodes them. */
import { connect, failureOf, useEmulator } from './driver';

const target = useEmulator((client) =>
  client.exec(
    'CREATE TABLE EDGES ("K" NUMBER(3,0), "N" NUMBER(38,10), "BIG" NUMBER(38,0), "F" FLOAT, "S" VARCHAR, "B" BOOLEAN, "D" DATE, ' +
      '"T" TIME(9), "NTZ" TIMESTAMP_NTZ(9), "LTZ" TIMESTAMP_LTZ(9), "TZ" TIMESTAMP_TZ(9), "BIN" BINARY, "V" VARIANT)',
  ),
);

/** Inserts one row with the named columns bound (as text, the way the migrator binds). */
function insert(values: Record<string, string | null>): Promise<unknown> {
  const names = Object.keys(values);
  return target.client.exec(
    `INSERT INTO EDGES (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    Object.values(values),
  );
}

describe('values through snowflake-sdk', () => {
  it('prints a NUMBER whose scale equals its precision with its leading zero, as TO_VARCHAR does', async () => {
    await target.client.exec('CREATE TABLE FRACTIONS ("X" NUMBER(1,1), "Y" NUMBER(12,12))');
    await target.client.exec('INSERT INTO FRACTIONS VALUES (?, ?)', [
      ['.0', '.000000000001'],
      ['-.5', '-0.999999999999'],
    ]);
    expect(
      await target.client.exec(
        'SELECT TO_VARCHAR("X") AS "X", TO_VARCHAR("Y") AS "Y" FROM FRACTIONS ORDER BY "X"',
      ),
    ).toEqual([
      { X: '-0.5', Y: '-0.999999999999' },
      { X: '0.0', Y: '0.000000000001' },
    ]);
  });

  it('keeps the sign of FLOAT -0 (IEEE 754), as value and as text', async () => {
    await insert({ K: '90', F: '-0' });
    const [row] = await target.client.exec('SELECT "F", TO_VARCHAR("F") AS "TEXT" FROM EDGES WHERE "K" = 90');
    expect(Object.is(row!.F, -0)).toBe(true);
    // TME, the documented default for DOUBLE (https://docs.snowflake.com/en/sql-reference/sql-format-models).
    expect(row!.TEXT).toBe('-0E0');
    await target.client.exec('DELETE FROM EDGES WHERE "K" = 90');
  });

  it('answers aggregates over no rows and over all-NULL input as Snowflake does', async () => {
    const aggregates =
      'SELECT COUNT(*) AS "ROWS", COUNT("F") AS "C", COUNT_IF("B") AS "CI", SUM("N") AS "S", ' +
      'MIN("S") AS "MN", MAX("D") AS "MX", ANY_VALUE("BIN") AS "AV" FROM EDGES';
    const none = { C: 0, CI: 0, S: null, MN: null, MX: null, AV: null };
    expect(await target.client.exec(`${aggregates} WHERE "K" = -1`)).toEqual([{ ROWS: 0, ...none }]);
    await insert({ K: '91' });
    expect(await target.client.exec(`${aggregates} WHERE "K" = 91`)).toEqual([{ ROWS: 1, ...none }]);
    await target.client.exec('DELETE FROM EDGES WHERE "K" = 91');
  });

  it('keeps NUMBER(38,10) extremes and integers beyond 2^53 exactly', async () => {
    await insert({
      K: '1',
      N: '9999999999999999999999999999.9999999999',
      BIG: '99999999999999999999999999999999999999',
      F: '1.7976931348623157e308',
    });
    await insert({
      K: '2',
      N: '-9999999999999999999999999999.9999999999',
      BIG: '-12345678901234567890123456789012345678',
      F: '-5e-324',
    });
    const rows = await target.client.exec(
      'SELECT "N", "BIG", "F" FROM EDGES WHERE "K" IN (1, 2) ORDER BY "K"',
      undefined,
      ['Number'],
    );
    expect(rows).toEqual([
      {
        N: '9999999999999999999999999999.9999999999',
        BIG: '99999999999999999999999999999999999999',
        F: '1.7976931348623157e+308',
      },
      {
        N: '-9999999999999999999999999999.9999999999',
        BIG: '-12345678901234567890123456789012345678',
        F: '-5e-324',
      },
    ]);
    // Without fetchAsString the driver turns NUMBER into a JS number, losing what a double cannot hold;
    // with jsTreatIntegerAsBigInt (echoed back in every answer's parameters) into a BigInt.
    const [plain] = await target.client.exec('SELECT "BIG" FROM EDGES WHERE "K" = 1');
    expect(plain!.BIG).toBe(1e38);
    const bigints = await connect(target.emulator, { jsTreatIntegerAsBigInt: true });
    const [big] = await bigints.exec('SELECT "BIG" FROM EDGES WHERE "K" = 2');
    expect(String(big!.BIG)).toBe('-12345678901234567890123456789012345678');
    expect(typeof big!.BIG).not.toBe('number');
    await bigints.close();
  });

  it('keeps nine fractional digits, offsets, and dates from 0001-01-01 to 9999-12-31', async () => {
    await insert({
      K: '3',
      D: '0001-01-01',
      T: '00:00:00.000000001',
      NTZ: '0001-01-01 00:00:00.000000001',
      LTZ: '1970-01-01 00:00:00.000000001 +00:00',
      TZ: '0001-01-01 00:00:00.000000001 +14:00',
    });
    await insert({
      K: '4',
      D: '9999-12-31',
      T: '23:59:59.999999999',
      NTZ: '9999-12-31 23:59:59.999999999',
      LTZ: '2024-03-10T10:30:00.123456789Z',
      TZ: '9999-12-31 23:59:59.999999999 -12:00',
    });
    await target.client.exec("ALTER SESSION SET TIMEZONE = 'UTC'");
    await target.client.exec("ALTER SESSION SET TIMESTAMP_NTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9'");
    await target.client.exec(
      "ALTER SESSION SET TIMESTAMP_LTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM'",
    );
    await target.client.exec(
      "ALTER SESSION SET TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM'",
    );
    await target.client.exec("ALTER SESSION SET TIME_OUTPUT_FORMAT = 'HH24:MI:SS.FF9'");
    const rows = await target.client.exec(
      'SELECT "D", "T", "NTZ", "LTZ", "TZ" FROM EDGES WHERE "K" IN (3, 4) ORDER BY "K"',
      undefined,
      ['Date'],
    );
    expect(rows).toEqual([
      {
        D: '0001-01-01',
        T: '00:00:00.000000001',
        NTZ: '0001-01-01 00:00:00.000000001',
        LTZ: '1970-01-01 00:00:00.000000001 +00:00',
        TZ: '0001-01-01 00:00:00.000000001 +14:00',
      },
      {
        D: '9999-12-31',
        T: '23:59:59.999999999',
        NTZ: '9999-12-31 23:59:59.999999999',
        LTZ: '2024-03-10 10:30:00.123456789 +00:00',
        TZ: '9999-12-31 23:59:59.999999999 -12:00',
      },
    ]);
    const [tz] = await target.client.exec('SELECT "TZ" FROM EDGES WHERE "K" = 4');
    const value = tz!.TZ as {
      getTimezoneOffset?: () => number;
      getNanoSeconds?: () => number;
      toJSON(): string;
    };
    expect(value.toJSON()).toBe('9999-12-31 23:59:59.999999999 -12:00');
    expect(value.getNanoSeconds?.()).toBe(999999999);
    const [asText] = await target.client.exec(
      `SELECT TO_VARCHAR("TZ", 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM') AS X FROM EDGES WHERE "K" = 3`,
    );
    expect(asText).toEqual({ X: '0001-01-01T00:00:00.000000001+14:00' });
  });

  it('keeps text beyond the Basic Multilingual Plane, binary, booleans and variants', async () => {
    await insert({
      K: '5',
      S: '𝄞 😀 𠜎 "quoted" \\N',
      B: 'false',
      BIN: '00FF10EEff',
      V: '{"a":[1,"x",null],"b":{"c":true}}',
    });
    const [row] = await target.client.exec('SELECT "S", "B", "BIN", "V" FROM EDGES WHERE "K" = 5');
    expect(row!.S).toBe('𝄞 😀 𠜎 "quoted" \\N');
    expect(row!.B).toBe(false);
    expect(Buffer.isBuffer(row!.BIN) && (row!.BIN as Buffer).toString('hex')).toBe('00ff10eeff');
    expect(row!.V).toEqual({ a: [1, 'x', null], b: { c: true } });
  });

  it('sorts NULL as the highest value: last ascending, first descending', async () => {
    const order = async (direction: string) =>
      (
        await target.client.exec(`SELECT "K" FROM EDGES WHERE "K" IN (1, 2, 5) ORDER BY "N" ${direction}`)
      ).map((r) => r.K);
    expect(await order('ASC')).toEqual([2, 1, 5]);
    expect(await order('DESC')).toEqual([5, 1, 2]);
    expect(await order('DESC NULLS LAST')).toEqual([1, 2, 5]);
  });

  it('stores a 16 MB VARCHAR and refuses one character more with 100078', async () => {
    const max = 'x'.repeat(16_777_215) + 'y';
    await target.client.exec('INSERT INTO EDGES ("K", "S") VALUES (?, ?)', ['6', max]);
    const [row] = await target.client.exec('SELECT LENGTH("S") AS L, "S" FROM EDGES WHERE "K" = 6');
    expect(row!.L).toBe(16_777_216);
    expect(row!.S === max).toBe(true);
    const err = await failureOf(
      target.client.exec('INSERT INTO EDGES ("K", "S") VALUES (?, ?)', ['7', `${max}z`]),
    );
    expect(err).toMatchObject({ code: '100078', sqlState: '22000' });
    expect(await target.client.exec('SELECT COUNT(*) AS N FROM EDGES WHERE "K" = 7')).toEqual([{ N: 0 }]);
  });

  it('converts text binds the way Snowflake casts strings, and refuses bad ones with the conversion codes', async () => {
    expect((await failureOf(target.client.exec('INSERT INTO EDGES ("K") VALUES (?)', ['1000']))).code).toBe(
      '100039',
    );
    expect(
      (await failureOf(target.client.exec('INSERT INTO EDGES ("K", "D") VALUES (?, ?)', ['8', '2023-02-30'])))
        .code,
    ).toBe('100040');
    expect(
      (
        await failureOf(
          target.client.exec('INSERT INTO EDGES ("K", "NTZ") VALUES (?, ?)', ['8', 'yesterday']),
        )
      ).code,
    ).toBe('100035');
    expect(
      (await failureOf(target.client.exec('INSERT INTO EDGES ("K", "BIN") VALUES (?, ?)', ['8', 'XYZ'])))
        .code,
    ).toBe('100115');
    expect(
      (await failureOf(target.client.exec('INSERT INTO EDGES ("K", "B") VALUES (?, ?)', ['8', 'perhaps'])))
        .code,
    ).toBe('100037');
    await target.client.exec('INSERT INTO EDGES ("K", "N", "B") VALUES (?, ?, ?)', [8, 2.5, true]);
    expect(
      await target.client.exec('SELECT "N", "B" FROM EDGES WHERE "K" = 8', undefined, ['Number']),
    ).toEqual([{ N: '2.5000000000', B: true }]);
  });
});
