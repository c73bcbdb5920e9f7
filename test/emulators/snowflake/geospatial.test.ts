/**
 * GEOGRAPHY and GEOMETRY in the Snowflake stand-in through the real driver, as Snowflake documents them
 * (https://docs.snowflake.com/en/sql-reference/data-types-geospatial): WKT, WKB and EWKT/EWKB input from
 * literals, binds and TO_GEOGRAPHY; SRID 4326 for GEOGRAPHY, 0 or the value's own for GEOMETRY; 14
 * decimal places stored; ST_ASWKB and ST_SRID out; what is not documented refused.
 */
import { failureOf, TARGET, useEmulator } from './driver';

const target = useEmulator(async (client) => {
  await client.exec(`CREATE TABLE ${TARGET}.PLACES (ID NUMBER(3,0), G GEOGRAPHY, M GEOMETRY)`);
});

const wkb = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [r.ID, r.W && (r.W as Buffer).toString('hex').toUpperCase(), r.S, r.MS]);

describe('GEOGRAPHY and GEOMETRY in the Snowflake stand-in', () => {
  it("stores WKT literals and prints ST_ASWKB as the function's documentation example does", async () => {
    const { exec } = target.client;
    await exec(
      `INSERT INTO ${TARGET}.PLACES (ID, G, M) VALUES (1, 'POINT(-122.35 37.55)', 'POINT(-122.35 37.55)'), ` +
        `(2, 'LINESTRING(-124.20 42.00, -120.01 41.99)', 'SRID=3857;LINESTRING(0.75 0.75, -10 20)'), (3, NULL, NULL)`,
    );
    const rows = await exec(
      `SELECT ID, ST_ASWKB(G) AS W, ST_SRID(G) AS S, ST_SRID(M) AS MS FROM ${TARGET}.PLACES WHERE ID <= 3 ORDER BY ID`,
    );
    // https://docs.snowflake.com/en/sql-reference/functions/st_aswkb (examples)
    expect(wkb(rows)).toEqual([
      [1, '01010000006666666666965EC06666666666C64240', 4326, 0],
      [2, '010200000002000000CDCCCCCCCC0C5FC00000000000004540713D0AD7A3005EC01F85EB51B8FE4440', 4326, 3857],
      [3, null, null, null],
    ]);
  });

  it('reads hex WKB and EWKB from binds and TO_GEOGRAPHY, and rounds coordinates to 14 decimal places', async () => {
    const { exec } = target.client;
    // POINT(0.1 0.12345678901234568) as WKB; the GEOMETRY as EWKB with SRID 3857.
    const point = Buffer.alloc(21);
    point.writeUInt8(1, 0);
    point.writeUInt32LE(1, 1);
    point.writeDoubleLE(0.1, 5);
    point.writeDoubleLE(0.12345678901234568, 13);
    const ewkb = Buffer.concat([Buffer.from([1]), Buffer.alloc(8), point.subarray(5)]);
    ewkb.writeUInt32LE(0x20000001, 1);
    ewkb.writeUInt32LE(3857, 5);
    await exec(`INSERT INTO ${TARGET}.PLACES (ID, G, M) VALUES (4, ?, ?)`, [
      point.toString('hex'),
      ewkb.toString('hex'),
    ]);
    const rows = await exec(
      `SELECT ID, ST_ASWKB(G) AS W, ST_SRID(G) AS S, ST_SRID(M) AS MS FROM ${TARGET}.PLACES WHERE ID = 4`,
    );
    const stored = rows[0]!.W as Buffer;
    expect([stored.readDoubleLE(5), stored.readDoubleLE(13)]).toEqual([0.1, 0.12345678901235]);
    expect([rows[0]!.S, rows[0]!.MS]).toEqual([4326, 3857]);
    const cast = await exec(`SELECT ST_SRID(TO_GEOGRAPHY('SRID=4326;POINT(1 2)')) AS S`);
    expect(cast).toEqual([{ S: 4326 }]);
  });

  it('refuses what Snowflake does not document: Z/M, another SRID for GEOGRAPHY, GeoJSON, printing', async () => {
    const { exec } = target.client;
    for (const text of ['POINT(1 2 3)', 'SRID=4269;POINT(1 2)', '{"type":"Point","coordinates":[1,2]}']) {
      expect(await failureOf(exec(`SELECT ST_SRID(TO_GEOGRAPHY(?)) AS S`, [text]))).toMatchObject({
        code: '000002',
      });
    }
    expect(await failureOf(exec(`SELECT G FROM ${TARGET}.PLACES`))).toMatchObject({ code: '000002' });
  });
});
