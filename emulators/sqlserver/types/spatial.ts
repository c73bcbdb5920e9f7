/**
 * geography and geometry values in the SQL Server stand-in. A value is kept as EWKB (little-endian, its
 * Z and M, its SRID), not in SQL Server's own serialization: that is read (CAST/CONVERT from varbinary,
 * BULK INSERT's hex fields; spatial-binary.ts) but not written, so CAST to varbinary is refused. What is
 * implemented is what Microsoft documents:
 *
 * - From text: "Parse ... is equivalent to STGeomFromText(), except that it assumes a spatial reference ID
 *   (SRID) of 4326 as a parameter" (geography; geometry: SRID 0), and converting a string to either type
 *   calls it (`DECLARE @g1 GEOGRAPHY = 'Point(1 1 2 3)'`):
 *   https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/parse-geography-data-type
 *   https://learn.microsoft.com/en-us/sql/t-sql/spatial-geometry/parse-geometry-data-type
 * - STAsBinary() is the OGC WKB "without any Z or M values"; AsBinaryZM() "augmented with any Z
 *   (elevation) and M (measure) values" (ISO codes: `0x01B90B0000...` for Point(1 1 2 3)); STSrid the
 *   SRID: https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/stasbinary-geography-data-type,
 *   https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/asbinaryzm-geography-data-type,
 *   https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/stsrid-geography-data-type
 * - geography latitudes lie from -90 to 90 degrees (error 24201).
 * The curve types (CIRCULARSTRING, COMPOUNDCURVE, CURVEPOLYGON) and FULLGLOBE are refused as not
 * implemented; so are ToString/STAsText, whose number formatting Microsoft does not document.
 */
import {
  forEachPoint,
  parseWkb,
  parseWkt,
  SpatialFormatError,
  toWkb,
  type Spatial,
} from '../../shared/spatial';
import { SqlError, notSupported } from '../errors';
import { spatialFromSerialization } from './spatial-binary';
import type { SqlType } from './sql-type';

/** The .NET exception SQL Server wraps in error 6522, as the spatial types raise them. */
function clrError(type: string, detail: string): SqlError {
  return new SqlError(
    6522,
    `A .NET Framework error occurred during execution of user-defined routine or aggregate "${type}": \n${detail}`,
  );
}

function checkLatitudes(value: Spatial): void {
  const visit = (c: number[] | null) => {
    if (c && (c[1]! < -90 || c[1]! > 90))
      throw clrError(
        'geography',
        'System.FormatException: 24201: Latitude values must be between -90 and 90 degrees.',
      );
  };
  forEachPoint(value, visit);
}

/** A value from WKT (or WKB) and an SRID, as STGeomFromText/STGeomFromWKB/Parse build it. */
export function spatialFrom(type: SqlType, input: string | Buffer, srid: number): Buffer {
  let value: Spatial;
  try {
    value = typeof input === 'string' ? parseWkt(input) : parseWkb(input);
  } catch (e) {
    if (!(e instanceof SpatialFormatError)) throw e;
    if (e.message.startsWith('not implemented')) throw notSupported(`${type.name} values: ${e.message}`);
    throw clrError(
      type.name,
      `System.FormatException: 24114: The label ${String(input).slice(0, 40)} in the input well-known text (WKT) is not valid. ${e.message}`,
    );
  }
  if (value.srid !== undefined) throw notSupported('EWKT/EWKB input (SRID inside the value)');
  if (type.name === 'geography') checkLatitudes(value);
  return toWkb(value, { zm: true, srid });
}

/** The SRID Parse and a string conversion assume. */
export const defaultSrid = (type: SqlType): number => (type.name === 'geography' ? 4326 : 0);

/** A value from SQL Server's serialization ([MS-SSCLRT], spatial-binary.ts), its SRID the one it holds. */
export function spatialFromBinary(type: SqlType, bytes: Buffer): Buffer {
  const value = spatialFromSerialization(bytes, type.name === 'geography');
  if (type.name === 'geography') checkLatitudes(value);
  return toWkb(value, { zm: true, srid: value.srid! });
}

export const stored = (v: Buffer): Spatial => parseWkb(v);

/** OGC WKB of a stored value: 2D (STAsBinary) or with its Z and M (AsBinaryZM). */
export const asBinary = (v: Buffer, zm: boolean): Buffer => toWkb(stored(v), { zm });

export const sridOf = (v: Buffer): number => stored(v).srid!;
