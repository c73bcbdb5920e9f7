/**
 * GEOGRAPHY and GEOMETRY values in the Snowflake stand-in, stored as upper-case hex EWKB with the value's
 * SRID (4326 for GEOGRAPHY). What is implemented is what Snowflake documents
 * (https://docs.snowflake.com/en/sql-reference/data-types-geospatial):
 *
 * - Input (a string into a column, TO_GEOGRAPHY/TO_GEOMETRY, a CSV field): WKT, WKB (as hex), EWKT and
 *   EWKB; "The GEOGRAPHY data type follows the WGS 84 standard (spatial reference ID 4326)"; for GEOMETRY
 *   "the SRID is 0" unless the value provides one (EWKT/EWKB). GeoJSON input is not implemented.
 * - "Snowflake uses 14 decimal places to store GEOGRAPHY coordinates. When the data includes decimal
 *   places exceeding this limit, the coordinates are rounded" (the same for GEOMETRY). Rounded here to
 *   the double nearest the decimal rounded half away from zero.
 * - "Altitude currently isn't supported" (GEOGRAPHY), "only 2D coordinates are supported" (GEOMETRY):
 *   what Snowflake does with a Z or M input is not documented, so the stand-in refuses it, as it refuses
 *   a GEOGRAPHY given an SRID other than 4326 and coordinates outside longitude ±180, latitude ±90.
 * - ST_ASWKB: the value's WKB, little-endian as the function's examples print it
 *   (`01010000006666666666965EC06666666666C64240` for POINT(-122.35 37.55),
 *   https://docs.snowflake.com/en/sql-reference/functions/st_aswkb); ST_SRID its SRID
 *   (https://docs.snowflake.com/en/sql-reference/functions/st_srid).
 * Printing a value (GEOGRAPHY_OUTPUT_FORMAT, TO_VARCHAR) is not implemented.
 */
import {
  forEachPoint,
  mapCoordinates,
  parseWkb,
  parseWkt,
  SpatialFormatError,
  toWkb,
  type Spatial,
} from '../../shared/spatial';
import { unsupported } from '../errors';
import type { SpatialKind } from '../types';

const WGS84 = 4326;
const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/**
 * Input Snowflake cannot read fails there with an error whose number and text its documentation does not
 * give: the stand-in refuses it as unsupported (naming why) rather than make one up.
 */
const invalidInput = (kind: SpatialKind, text: string, why: string) =>
  unsupported(`reading '${text.length > 60 ? `${text.slice(0, 60)}...` : text}' as ${kind} (${why})`);

/**
 * Rounds half away from zero to 14 decimal places: toFixed rounds the exact binary value. A coordinate
 * that rounds to zero is stored as +0 (the sign of a zero coordinate is not documented; the migrator's
 * calibration probe checks what an account does).
 */
function fourteenPlaces(n: number): number {
  if (Math.abs(n) >= 1e21) return n;
  const rounded = Number(Math.abs(n).toFixed(14));
  return n < 0 && rounded !== 0 ? -rounded : rounded;
}

function checkRange(value: Spatial, text: string): void {
  const visit = (c: number[] | null) => {
    if (c && (Math.abs(c[0]!) > 180 || Math.abs(c[1]!) > 90))
      throw unsupported(`GEOGRAPHY coordinates outside longitude ±180, latitude ±90 (${text.slice(0, 60)})`);
  };
  forEachPoint(value, visit);
}

/** A string to the stored form of a `kind` value. */
export function parseSpatial(kind: SpatialKind, text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) throw unsupported('GeoJSON input of geospatial values');
  let value: Spatial;
  try {
    value = HEX.test(trimmed) ? parseWkb(Buffer.from(trimmed, 'hex')) : parseWkt(trimmed);
  } catch (e) {
    if (!(e instanceof SpatialFormatError)) throw e;
    if (e.message.startsWith('not implemented')) throw unsupported(`${kind} input: ${e.message}`);
    throw invalidInput(kind, text, e.message);
  }
  if (value.dims.z || value.dims.m) throw unsupported(`${kind} values with Z or M coordinates`);
  const srid = kind === 'GEOGRAPHY' ? WGS84 : (value.srid ?? 0);
  if (kind === 'GEOGRAPHY') {
    if (value.srid !== undefined && value.srid !== WGS84)
      throw unsupported(`GEOGRAPHY input with SRID ${value.srid}`);
    checkRange(value, trimmed);
  }
  return toWkb(mapCoordinates(value, fourteenPlaces), { zm: false, srid }).toString('hex').toUpperCase();
}

const valueOf = (stored: string) => parseWkb(Buffer.from(stored, 'hex'));

/** ST_ASWKB: the WKB without the SRID. */
export const asWkb = (stored: string): Buffer => toWkb(valueOf(stored), { zm: false });

/** ST_SRID. */
export const sridOf = (stored: string): number => valueOf(stored).srid!;
