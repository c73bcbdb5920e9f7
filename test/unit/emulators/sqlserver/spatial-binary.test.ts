/**
 * geography and geometry read from SQL Server's serialization as [MS-SSCLRT] 2.1 lays it out
 * (https://learn.microsoft.com/en-us/openspecs/sql_server_protocols/ms-ssclrt/8ce82728-6582-4e7b-96a0-8d0379767877):
 * the values are built here field by field from the specification, never from the decoder's output, and
 * AdventureWorks' own Address.csv is checked against the places its rows name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { convert } from '../../../../emulators/sqlserver/types/convert';
import { spatialFromSerialization } from '../../../../emulators/sqlserver/types/spatial-binary';
import { parseWkb } from '../../../../emulators/shared/spatial';
import { MAX } from '../../../../emulators/sqlserver/types/sql-type';
import { describeWithSamples, SAMPLES_DIR } from '../../../support/sample-databases';

const i32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
};
const f64 = (...vs: number[]) => Buffer.concat(vs.map((v) => Buffer.from(new Float64Array([v]).buffer)));
const u8 = (...vs: number[]) => Buffer.from(vs);
/** SRID, version, serialization properties. */
const header = (srid: number, props: number, version = 1) => Buffer.concat([i32(srid), u8(version, props)]);
/** A figure: attribute (version 1: 0 interior ring, 1 stroke, 2 exterior ring) and its first point. */
const figure = (attribute: number, point: number) => Buffer.concat([u8(attribute), i32(point)]);
/** A shape: parent shape, first figure (-1: none), OGC type (1 Point ... 7 GeometryCollection). */
const shape = (parent: number, fig: number, type: number) => Buffer.concat([i32(parent), i32(fig), u8(type)]);

const geography = (hex: string) => spatialFromSerialization(Buffer.from(hex, 'hex'), true);
const V = 0x04;
const P = 0x08;
const L = 0x10;

describe('geography and geometry serialization ([MS-SSCLRT])', () => {
  it("reads the single-point form, a geography's latitude first, into WKT order (longitude, latitude)", () => {
    // The brief's example, the first row of AdventureWorks' Address.csv: SRID 4326 (E6100000), version 1,
    // V + P (0x0C), then latitude 47.78... and longitude -122.16... (Bothell, Washington, the row's city).
    expect(geography('E6100000010CAE8BFC28BCE4474067A89189898A5EC0')).toEqual({
      dims: { z: false, m: false },
      shape: { type: 'Point', coords: [-122.164644615406, 47.7869921906598] },
      srid: 4326,
    });
    // geometry keeps X then Y, and any SRID.
    const g = Buffer.concat([header(0, V | P), f64(5, 10)]);
    expect(spatialFromSerialization(g, false)).toEqual({
      dims: { z: false, m: false },
      shape: { type: 'Point', coords: [5, 10] },
      srid: 0,
    });
  });

  it('reads Z and M after the points (Z 0x01, M 0x02): one of each per point', () => {
    const zm = Buffer.concat([header(4326, V | P | 0x01 | 0x02), f64(10, 5), f64(100), f64(7)]);
    expect(spatialFromSerialization(zm, true)).toEqual({
      dims: { z: true, m: true },
      shape: { type: 'Point', coords: [5, 10, 100, 7] },
      srid: 4326,
    });
    const m = Buffer.concat([header(0, V | P | 0x02), f64(1, 2), f64(3)]);
    expect(spatialFromSerialization(m, false).dims).toEqual({ z: false, m: true });
    expect(spatialFromSerialization(m, false).shape).toEqual({ type: 'Point', coords: [1, 2, 3] });
  });

  it('reads the single-segment form (L) as a two-point line string', () => {
    const line = Buffer.concat([header(4326, V | L), f64(47.656, -122.36, 47.656, -122.343)]);
    expect(spatialFromSerialization(line, true).shape).toEqual({
      type: 'LineString',
      points: [
        [-122.36, 47.656],
        [-122.343, 47.656],
      ],
    });
  });

  it('reads the general form: points, figures and shapes, collections by their parent offsets', () => {
    // POLYGON((0 0, 10 0, 10 10, 0 0), (2 2, 3 2, 3 3, 2 2)) as geometry: one shape, an exterior and an
    // interior ring.
    const ring = [0, 0, 10, 0, 10, 10, 0, 0];
    const hole = [2, 2, 3, 2, 3, 3, 2, 2];
    const polygon = Buffer.concat([
      header(0, V),
      i32(8),
      f64(...ring, ...hole),
      i32(2),
      figure(2, 0),
      figure(0, 4),
      i32(1),
      shape(-1, 0, 3),
    ]);
    expect(spatialFromSerialization(polygon, false).shape).toEqual({
      type: 'Polygon',
      rings: [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 0],
        ],
        [
          [2, 2],
          [3, 2],
          [3, 3],
          [2, 2],
        ],
      ],
    });
    // GEOMETRYCOLLECTION(POINT EMPTY, MULTIPOINT((1 2), (3 4)), LINESTRING(5 6, 7 8)): an empty shape has
    // no figure (-1); the multipoint's points are its children's.
    const collection = Buffer.concat([
      header(0, V),
      i32(4),
      f64(1, 2, 3, 4, 5, 6, 7, 8),
      i32(3),
      figure(1, 0),
      figure(1, 1),
      figure(1, 2),
      i32(6),
      shape(-1, 0, 7),
      shape(0, -1, 1),
      shape(0, 0, 4),
      shape(2, 0, 1),
      shape(2, 1, 1),
      shape(0, 2, 2),
    ]);
    expect(spatialFromSerialization(collection, false).shape).toEqual({
      type: 'GeometryCollection',
      members: [
        { type: 'Point', coords: null },
        {
          type: 'MultiPoint',
          members: [
            { type: 'Point', coords: [1, 2] },
            { type: 'Point', coords: [3, 4] },
          ],
        },
        {
          type: 'LineString',
          points: [
            [5, 6],
            [7, 8],
          ],
        },
      ],
    });
  });

  it("refuses what it does not model with the stand-in's not-supported error, never a guess", () => {
    const refusal = (bytes: Buffer) => {
      try {
        spatialFromSerialization(bytes, true);
      } catch (e) {
        return (e as Error).message;
      }
      return 'decoded';
    };
    // A circular string (OGC type 8) in version 2, its figure an arc (2).
    const arc = Buffer.concat([header(4326, V, 2), i32(3), f64(0, 0, 1, 1, 0, 2), i32(1), figure(2, 0)]);
    expect(refusal(arc)).toBe(
      'The SQL Server stand-in does not support geography binary values with circular arcs.',
    );
    const curve = Buffer.concat([header(4326, V, 2), i32(0), i32(0), i32(1), shape(-1, -1, 8)]);
    expect(refusal(curve)).toBe(
      'The SQL Server stand-in does not support geography binary values with curves or FULLGLOBE.',
    );
    expect(refusal(Buffer.concat([header(4326, V | P | 0x20, 2), f64(1, 2)]))).toBe(
      'The SQL Server stand-in does not support geography binary values with a polygon larger than a hemisphere.',
    );
    expect(refusal(i32(-1))).toBe(
      'The SQL Server stand-in does not support geography binary values with the null value (SRID -1).',
    );
    // A NULL Z is NaN in the Z values.
    expect(refusal(Buffer.concat([header(4326, V | P | 0x01), f64(1, 2, NaN)]))).toBe(
      'The SQL Server stand-in does not support geography binary values with a NULL Z value.',
    );
    // Truncated, a third version, trailing bytes: not a serialization.
    expect(refusal(Buffer.from('E6100000010CAE8BFC28BCE44740', 'hex'))).toMatch(
      /^The SQL Server stand-in does not support a geography binary value that is not a valid serialization \(0xE6100000010CAE8BFC28BCE44740\)\.$/,
    );
    expect(refusal(Buffer.concat([header(4326, V | P, 3), f64(1, 2)]))).toMatch(/not a valid serialization/);
    expect(refusal(Buffer.concat([header(4326, V | P), f64(1, 2), u8(0)]))).toMatch(
      /not a valid serialization/,
    );
  });

  it('CAST(varbinary AS geography) gives the stored value (EWKB) with the SRID the bytes hold', () => {
    const bytes = Buffer.from('E6100000010CAE8BFC28BCE4474067A89189898A5EC0', 'hex');
    const value = convert(bytes, { name: 'varbinary', length: MAX }, { name: 'geography' }) as Buffer;
    expect(parseWkb(value)).toEqual({
      dims: { z: false, m: false },
      shape: { type: 'Point', coords: [-122.164644615406, 47.7869921906598] },
      srid: 4326,
    });
    // A latitude past 90 is error 24201, as Parse raises it for text.
    const north = Buffer.concat([header(4326, V | P), f64(91, 0)]);
    expect(() => convert(north, { name: 'varbinary', length: MAX }, { name: 'geography' })).toThrow(
      /24201: Latitude values must be between -90 and 90 degrees/,
    );
  });
});

describeWithSamples("AdventureWorks' Person.Address locations", () => {
  it('are single points in SRID 4326 whose latitude and longitude lie in the row’s own state or country', () => {
    const text = gunzipSync(readFileSync(join(SAMPLES_DIR, 'adventureworks', 'Address.csv.gz'))).toString(
      'latin1',
    );
    const rows = text.split('\n').filter((line) => line !== '');
    expect(rows).toHaveLength(19614);
    // Columns: AddressID, AddressLine1, AddressLine2, City, StateProvinceID, PostalCode, SpatialLocation, ...
    const byCity = new Map<string, number[][]>();
    for (const row of rows) {
      const fields = row.split('\t');
      const value = spatialFromSerialization(Buffer.from(fields[6]!, 'hex'), true);
      expect(value.srid).toBe(4326);
      expect(value.shape.type).toBe('Point');
      const coords = (value.shape as { coords: number[] }).coords;
      byCity.set(fields[3]!, [...(byCity.get(fields[3]!) ?? []), coords]);
    }
    // Published places, longitude and latitude rounded to a degree: Bothell, Washington (47.76 N,
    // 122.21 W), Paris (48.86 N, 2.35 E) and Melbourne (37.81 S, 144.96 E).
    const near = (city: string, longitude: number, latitude: number) => {
      for (const [x, y] of byCity.get(city)!) {
        expect(Math.abs(x! - longitude)).toBeLessThan(1);
        expect(Math.abs(y! - latitude)).toBeLessThan(1);
      }
    };
    near('Bothell', -122.21, 47.76);
    near('Paris', 2.35, 48.86);
    near('Melbourne', 144.96, -37.81);
  });
});
