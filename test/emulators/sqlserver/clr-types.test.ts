/**
 * hierarchyid in the SQL Server stand-in, through `mssql` as the migrator reads it: stored as its path,
 * converted to and from text as Parse and ToString do, ordered depth-first, and its raw values (a CLR
 * user-defined type on the wire) refused.
 * https://learn.microsoft.com/en-us/sql/t-sql/data-types/hierarchyid-data-type-method-reference
 * https://learn.microsoft.com/en-us/sql/t-sql/data-types/tostring-database-engine
 * https://learn.microsoft.com/en-us/sql/t-sql/data-types/parse-database-engine
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: [
      'CREATE TABLE dbo.nodes (node hierarchyid NOT NULL PRIMARY KEY, name nvarchar(20) NULL);',
      // Inserted out of order; '/03/' is written with a leading zero.
      "INSERT INTO dbo.nodes (node, name) VALUES ('/2/', 'b'), ('/1/1/', 'a1'), ('/', 'root'), ('/1.1/', 'a-b'), ('/1/', 'a'), ('/-1/', 'before'), ('/03/', 'c'), ('/1/-2.5/', 'a1-');",
      'CREATE TABLE dbo.places (id int NOT NULL PRIMARY KEY, g geography NULL, m geometry NULL);',
      // Microsoft's AsBinaryZM example value, a geography from WKT with an SRID, a planar one with its own.
      "INSERT INTO dbo.places (id, g, m) VALUES (1, 'Point(1 1 2 3)', 'POINT(10 20)'), (2, geography::STGeomFromText('LINESTRING(-124.2 42, -120.01 41.99)', 4269), geometry::STGeomFromText('POLYGON((0 0, 4 0, 4 4, 0 0))', 3857)), (3, NULL, NULL);",
    ],
  });
  pool = await connect(emulator);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

describe('hierarchyid', () => {
  it('is described as SQL Server describes it: a CLR type, 240 and 128, at most 892 bytes', async () => {
    const rows = await query(
      pool,
      "SELECT c.system_type_id, c.user_type_id, c.max_length, i.DATA_TYPE FROM sys.columns c JOIN INFORMATION_SCHEMA.COLUMNS i ON i.COLUMN_NAME = c.name WHERE c.object_id = OBJECT_ID('dbo.nodes') AND i.TABLE_NAME = 'nodes' AND c.name = 'node'",
    );
    expect(rows).toEqual([
      { system_type_id: 240, user_type_id: 128, max_length: 892, DATA_TYPE: 'hierarchyid' },
    ]);
  });

  it('converts to its canonical path text and sorts depth-first (children of /1/ before /1.1/)', async () => {
    const rows = await query<{ path: string }>(
      pool,
      'SELECT CAST(node AS nvarchar(4000)) AS path FROM dbo.nodes ORDER BY node',
    );
    expect(rows.map((r) => r.path)).toEqual(['/', '/-1/', '/1/', '/1/-2.5/', '/1/1/', '/1.1/', '/2/', '/3/']);
  });

  it('compares with a bound text cast back to hierarchyid, as keyset ranges do', async () => {
    const rows = await query<{ name: string }>(
      pool,
      'SELECT name FROM dbo.nodes WHERE node > CAST(@p AS hierarchyid) AND node <= CAST(@q AS hierarchyid) ORDER BY node',
      { p: '/1/', q: '/1.1/' },
    );
    expect(rows.map((r) => r.name)).toEqual(['a1-', 'a1', 'a-b']);
  });

  it('refuses text that is not a node, as Parse does (trailing space included)', async () => {
    for (const text of ['/1', '1/', '/a/', '/1/ ', '//']) {
      const error = await failure(
        query(pool, 'SELECT CAST(CAST(@t AS hierarchyid) AS nvarchar(4000)) AS p', { t: text }),
      );
      expect(error).toMatchObject({ number: 6522 });
      expect(error.message).toContain(
        `24001: SqlHierarchyId.Parse failed because the input string '${text}'`,
      );
    }
  });

  it('refuses sending a raw value (a CLR user-defined type on the wire) and its binary form', async () => {
    expect(await failure(query(pool, 'SELECT node FROM dbo.nodes'))).toMatchObject({ number: 50000 });
    expect(
      await failure(query(pool, 'SELECT CAST(node AS varbinary(892)) AS b FROM dbo.nodes')),
    ).toMatchObject({ number: 50000 });
  });
});

describe('geography and geometry', () => {
  it('give the OGC WKB with and without Z and M, and the SRID, as Microsoft documents them', async () => {
    const rows = await query<{
      id: number;
      wkb: Buffer | null;
      zm: Buffer | null;
      srid: number | null;
      msrid: number | null;
    }>(
      pool,
      'SELECT id, g.STAsBinary() AS wkb, g.AsBinaryZM() AS zm, g.STSrid AS srid, m.STSrid AS msrid FROM dbo.places ORDER BY id',
    );
    const hex = (b: Buffer | null) => b && b.toString('hex').toUpperCase();
    expect(rows.map((r) => [r.id, hex(r.wkb), hex(r.zm), r.srid, r.msrid])).toEqual([
      // https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/asbinaryzm-geography-data-type
      [
        1,
        '0101000000000000000000F03F000000000000F03F',
        '01B90B0000000000000000F03F000000000000F03F00000000000000400000000000000840',
        4326,
        0,
      ],
      [
        2,
        '010200000002000000CDCCCCCCCC0C5FC00000000000004540713D0AD7A3005EC01F85EB51B8FE4440',
        '010200000002000000CDCCCCCCCC0C5FC00000000000004540713D0AD7A3005EC01F85EB51B8FE4440',
        4269,
        3857,
      ],
      [3, null, null, null, null],
    ]);
  });

  // SQL Server's own serialization, [MS-SSCLRT] 2.1
  // (https://learn.microsoft.com/en-us/openspecs/sql_server_protocols/ms-ssclrt/8ce82728-6582-4e7b-96a0-8d0379767877):
  // SRID, version 1, properties (0x0C valid + single point), then latitude and longitude for geography,
  // X and Y for geometry. Its OGC WKB is the same two doubles, longitude (X) first.
  it("reads SQL Server's serialization through CAST and CONVERT from varbinary", async () => {
    const [row] = await query<{ wkb: Buffer; srid: number; mwkb: Buffer; msrid: number }>(
      pool,
      'INSERT INTO dbo.places (id, g, m) VALUES (4, CAST(0xE6100000010CAE8BFC28BCE4474067A89189898A5EC0 AS geography), ' +
        'CONVERT(geometry, 0x00000000010C00000000000014400000000000002440)); ' +
        'SELECT g.STAsBinary() AS wkb, g.STSrid AS srid, m.STAsBinary() AS mwkb, m.STSrid AS msrid FROM dbo.places WHERE id = 4; ' +
        'DELETE FROM dbo.places WHERE id = 4',
    );
    expect([row!.wkb.toString('hex').toUpperCase(), row!.srid]).toEqual([
      '010100000067A89189898A5EC0AE8BFC28BCE44740',
      4326,
    ]);
    expect([row!.mwkb.toString('hex').toUpperCase(), row!.msrid]).toEqual([
      '010100000000000000000014400000000000002440',
      0,
    ]);
    // CIRCULARSTRING(0 0, 1 1, 2 0) in version 2: three points, one arc figure (attribute 2), one shape
    // (OGC type 8): a curve the stand-in does not model.
    const arc = await failure(
      query(
        pool,
        'DECLARE @a geography = CAST(0xE610000002040300000000000000000000000000000000000000000000000000F03F000000000000F03F0000000000000000000000000000004001000000020000000001000000FFFFFFFF0000000008 AS geography)',
      ),
    );
    expect(arc).toMatchObject({
      number: 50000,
      message: 'The SQL Server stand-in does not support geography binary values with circular arcs.',
    });
  });

  it('refuses latitudes beyond 90 degrees, curves, raw values and conversions it does not model', async () => {
    const latitude = await failure(query(pool, "INSERT INTO dbo.places (id, g) VALUES (9, 'POINT(10 91)')"));
    expect(latitude).toMatchObject({ number: 6522 });
    expect(latitude.message).toContain('24201: Latitude values must be between -90 and 90 degrees.');
    expect(
      await failure(
        query(
          pool,
          "INSERT INTO dbo.places (id, m) VALUES (9, geometry::Parse('CIRCULARSTRING(0 0, 1 1, 2 0)'))",
        ),
      ),
    ).toMatchObject({ number: 50000 });
    expect(await failure(query(pool, 'SELECT g FROM dbo.places'))).toMatchObject({ number: 50000 });
    expect(await failure(query(pool, 'SELECT CAST(g AS varbinary(max)) AS b FROM dbo.places'))).toMatchObject(
      {
        number: 50000,
      },
    );
    expect(await failure(query(pool, 'SELECT id.STSrid AS s FROM dbo.places'))).toMatchObject({
      number: 258,
    });
  });
});
