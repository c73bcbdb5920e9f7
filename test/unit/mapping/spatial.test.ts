/**
 * geography and geometry on their way to Snowflake (src/mapping/spatial.ts): what is loaded, what stops
 * the run, and the canonical text both sides compare. Values are Microsoft's and Snowflake's own
 * documentation examples: AsBinaryZM of `Point(1 1 2 3)`
 * (https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/asbinaryzm-geography-data-type) and
 * ST_ASWKB of `POINT(-122.35 37.55)` (https://docs.snowflake.com/en/sql-reference/functions/st_aswkb).
 */
import { MigrationError } from '../../../src/contracts/errors';
import { canonicalSpatial, spatialLoadText } from '../../../src/mapping/spatial';
import { mapColumn } from '../../../src/mapping/type-map';
import { bindRowFormatter } from '../../../src/mapping/values';
import { canonicalValue, sameValue } from '../../../src/validation/canonical';
import { column } from '../../support/columns';

const POINT = '01010000006666666666965EC06666666666C64240';
const POINT_ZM = '01B90B0000000000000000F03F000000000000F03F00000000000000400000000000000840';
/** The same point as POINT, big-endian. */
const POINT_BIG = '0000000001C05E9666666666664042C66666666666';

/** A point's WKB from its two doubles. */
function point(x: number, y: number): string {
  const b = Buffer.alloc(21);
  b.writeUInt8(1, 0);
  b.writeUInt32LE(1, 1);
  b.writeDoubleLE(x, 5);
  b.writeDoubleLE(y, 13);
  return b.toString('hex').toUpperCase();
}

describe('spatialLoadText', () => {
  it('loads a geography as its 2D WKB and a geometry as EWKB carrying its SRID', () => {
    expect(spatialLoadText(`4326;${POINT}`, 'GEOGRAPHY')).toEqual({ text: POINT });
    // EWKB: type 0x20000001 (SRID flag), then SRID 3857 (0x0F11), both little-endian.
    expect(spatialLoadText(`3857;${POINT}`, 'GEOMETRY')).toEqual({
      text: `0101000020110F0000${POINT.slice(10)}`,
    });
    expect(spatialLoadText(`4326;${POINT_BIG}`, 'GEOGRAPHY')).toEqual({ text: POINT });
  });

  it('says why a value cannot be carried: another SRID, Z or M, a circular arc', () => {
    expect(spatialLoadText(`4269;${POINT}`, 'GEOGRAPHY')).toEqual({
      problem: 'has SRID 4269: Snowflake GEOGRAPHY holds WGS 84 (SRID 4326) values only',
    });
    expect(spatialLoadText(`0;${POINT_ZM}`, 'GEOMETRY')).toEqual({
      problem: 'has Z (elevation) coordinates',
    });
    // A point with M only: ISO type 2001.
    expect(spatialLoadText(`0;01D1070000${'00'.repeat(24)}`, 'GEOMETRY')).toEqual({
      problem: 'has M (measure) values',
    });
    expect(spatialLoadText(`4326;0108000000${'00'.repeat(4)}`, 'GEOGRAPHY')).toEqual({
      problem: 'is a CircularString',
    });
  });
});

describe('the canonical text of a spatial value', () => {
  it('is the SRID and the 2D WKB with coordinates rounded to 14 decimal places, from either side', () => {
    const precise = point(0.1, 0.12345678901234568);
    const rounded = point(0.1, 0.12345678901235);
    expect(canonicalSpatial(`4326;${precise}`)).toBe(`4326;${rounded}`);
    // Loaded text: WKB is a GEOGRAPHY's (4326), EWKB carries its SRID.
    expect(canonicalValue('spatial', precise)).toBe(`4326;${rounded}`);
    const loaded = spatialLoadText(`3857;${precise}`, 'GEOMETRY');
    expect('text' in loaded && canonicalValue('spatial', loaded.text)).toBe(`3857;${rounded}`);
  });

  // Found by the generated round trips (seed 20261127): -6.4e-323 rounds to a zero, which Snowflake may
  // store as 0 or -0; both are the same place.
  it('compares a coordinate that rounds to zero as +0, whatever the sign of the stored zero', () => {
    expect(canonicalSpatial(`4326;${point(2, -6.4e-323)}`)).toBe(`4326;${point(2, 0)}`);
    expect(canonicalSpatial(`4326;${point(-0, -0)}`)).toBe(`4326;${point(0, 0)}`);
  });

  it('makes a source value and its rounded Snowflake value the same value, another SRID a different one', () => {
    const precise = point(-122.35, 37.123456789012344);
    const stored = point(-122.35, 37.12345678901234);
    expect(sameValue('spatial', `4326;${precise}`, `4326;${stored}`)).toBe(true);
    expect(sameValue('spatial', `4326;${precise}`, `0;${stored}`)).toBe(false);
    expect(sameValue('spatial', `4326;${POINT}`, `4326;${point(-122.35, 37.5500001)}`)).toBe(false);
  });
});

describe('spatial columns in a batch', () => {
  const geography = mapColumn('dbo.places', column('g', 'geography'));
  const description = {
    tableName: 'dbo.places',
    columns: [mapColumn('dbo.places', column('id', 'int', { nullable: false })), geography],
    keyPositions: [0],
  };
  const format = bindRowFormatter(description, []);

  it('binds the WKB text, NULL as NULL', () => {
    expect(format([1, `4326;${POINT}`])).toEqual(['1', POINT]);
    expect(format([2, null])).toEqual(['2', null]);
  });

  it('stops the run naming the row and why, never dropping part of a value', () => {
    let error: unknown;
    try {
      format([7, `4326;${POINT_ZM}`]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).type).toBe('ValueNotRepresentable');
    expect((error as MigrationError).message).toBe(
      'dbo.places.g in the row with key (id=7) has Z (elevation) coordinates; Snowflake GEOGRAPHY cannot hold it. ' +
        'Nothing of it was dropped: convert or exclude the column (excludeColumns), then run again.',
    );
  });
});
