/**
 * geography and geometry values on their way to Snowflake GEOGRAPHY and GEOMETRY. Pure, no Node imports
 * (validation/canonical.ts, which the workflows import, uses it).
 *
 * SQL Server gives each value as `<SRID>;<hex of AsBinaryZM()>`: OGC WKB "augmented with any Z
 * (elevation) and M (measure) values" (ISO type codes, 1001 for a point with Z...), see type-map.ts.
 * Snowflake documents (https://docs.snowflake.com/en/sql-reference/data-types-geospatial):
 * - GEOGRAPHY "follows the WGS 84 standard (spatial reference ID 4326)"; GEOMETRY keeps the SRID the value
 *   is created with (EWKB carries it: the type code with 0x20000000 set, then the SRID, as ST_ASEWKB
 *   prints `0101000020E6100000...`, https://docs.snowflake.com/en/sql-reference/functions/st_asewkb);
 * - "Altitude currently isn't supported" (GEOGRAPHY), "only 2D coordinates are supported" (GEOMETRY);
 * - the OGC types point to geometry collection; SQL Server's circular arcs (CIRCULARSTRING,
 *   COMPOUNDCURVE, CURVEPOLYGON, FULLGLOBE) are none of them;
 * - "Snowflake uses 14 decimal places to store ... coordinates. When the data includes decimal places
 *   exceeding this limit, the coordinates are rounded".
 * So a value with Z or M, a curve, or a geography outside SRID 4326 stops the run (never a silent loss),
 * and the canonical text compares coordinates rounded to 14 decimal places (the calibration probe checks
 * on the account that Snowflake rounds them to the same doubles).
 */

/** What a value cannot keep in Snowflake, or undefined. */
export type SpatialProblem = string | undefined;

const TYPE_NAMES = [
  'Point',
  'LineString',
  'Polygon',
  'MultiPoint',
  'MultiLineString',
  'MultiPolygon',
  'GeometryCollection',
];
const SQL_SERVER_CURVES: Record<number, string> = {
  8: 'CircularString',
  9: 'CompoundCurve',
  10: 'CurvePolygon',
  11: 'FullGlobe',
};
const EWKB_Z = 0x80000000;
const EWKB_M = 0x40000000;
const EWKB_SRID = 0x20000000;

export const GEOGRAPHY_SRID = 4326;

class SpatialValueError extends Error {}

function bytesOfHex(hex: string): Uint8Array {
  if (!/^(?:[0-9A-Fa-f]{2})*$/.test(hex)) throw new SpatialValueError('is not hex WKB');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const hexOf = (bytes: Uint8Array) => {
  let text = '';
  for (const b of bytes) text += b.toString(16).padStart(2, '0');
  return text.toUpperCase();
};

/**
 * Rounds half away from zero to 14 decimal places (toFixed rounds the exact binary value). A coordinate
 * that rounds to zero is +0: -0 and 0 are the same place, and whether Snowflake keeps the sign of a zero
 * coordinate (or of a tiny negative one it rounds to zero) is not documented.
 */
export function fourteenPlaces(n: number): number {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return n;
  const rounded = Number(Math.abs(n).toFixed(14));
  return n < 0 && rounded !== 0 ? -rounded : rounded;
}

/** Rewrites WKB as little-endian 2D WKB (optionally EWKB with an SRID), coordinates through `coordinate`. */
class Transcoder {
  private pos = 0;
  private little = true;
  private out: number[] = [];
  srid: number | undefined;
  constructor(
    private readonly view: DataView,
    private readonly coordinate: (n: number) => number,
  ) {}

  private u32(): number {
    if (this.pos + 4 > this.view.byteLength) throw new SpatialValueError('ends too early');
    const v = this.view.getUint32(this.pos, this.little);
    this.pos += 4;
    return v;
  }
  private writeU32(v: number) {
    const b = new DataView(new ArrayBuffer(4));
    b.setUint32(0, v >>> 0, true);
    this.out.push(...new Uint8Array(b.buffer));
  }
  private copyDoubles(count: number) {
    if (this.pos + 8 * count > this.view.byteLength) throw new SpatialValueError('ends too early');
    const b = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < count; i += 1) {
      b.setFloat64(0, this.coordinate(this.view.getFloat64(this.pos, this.little)), true);
      this.out.push(...new Uint8Array(b.buffer));
      this.pos += 8;
    }
  }

  geometry(outerSrid: number | undefined, outer = true): void {
    if (this.pos >= this.view.byteLength) throw new SpatialValueError('ends too early');
    const order = this.view.getUint8(this.pos);
    if (order > 1) throw new SpatialValueError(`has byte order ${order}`);
    this.little = order === 1;
    this.pos += 1;
    const raw = this.u32();
    if (raw & EWKB_SRID) this.srid = this.u32() | 0;
    const code = raw & 0x0fffffff;
    const base = code % 1000;
    const name = TYPE_NAMES[base - 1];
    if (!name) throw new SpatialValueError(`is a ${SQL_SERVER_CURVES[base] ?? `WKB type ${code}`}`);
    if (raw & EWKB_Z || [1, 3].includes(Math.floor(code / 1000)))
      throw new SpatialValueError('has Z (elevation) coordinates');
    if (raw & EWKB_M || Math.floor(code / 1000) === 2) throw new SpatialValueError('has M (measure) values');
    this.out.push(1);
    if (outer && outerSrid !== undefined) {
      this.writeU32(base | EWKB_SRID);
      this.writeU32(outerSrid);
    } else this.writeU32(base);
    const points = () => {
      const n = this.u32();
      this.writeU32(n);
      this.copyDoubles(2 * n);
    };
    if (base === 1) this.copyDoubles(2);
    else if (base === 2) points();
    else if (base === 3) {
      const rings = this.u32();
      this.writeU32(rings);
      for (let i = 0; i < rings; i += 1) points();
    } else {
      const members = this.u32();
      this.writeU32(members);
      for (let i = 0; i < members; i += 1) this.geometry(undefined, false);
    }
  }

  result(): string {
    if (this.pos !== this.view.byteLength) throw new SpatialValueError('has bytes after the value');
    return hexOf(Uint8Array.from(this.out));
  }
}

function transcode(
  hex: string,
  options: { srid?: number; round: boolean },
): { hex: string; srid: number | undefined } {
  const bytes = bytesOfHex(hex);
  const t = new Transcoder(
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    options.round ? fourteenPlaces : (n) => n,
  );
  t.geometry(options.srid);
  return { hex: t.result(), srid: t.srid };
}

/** `<SRID>;<hex>` as the SELECT reads it. */
function split(read: string): { srid: number; hex: string } {
  const cut = read.indexOf(';');
  const srid = Number(read.slice(0, cut));
  if (cut < 1 || !Number.isInteger(srid)) throw new SpatialValueError('has no SRID');
  return { srid, hex: read.slice(cut + 1) };
}

/**
 * The text loaded into Snowflake for a value read as `<SRID>;<hex>`: hex WKB for GEOGRAPHY (its SRID
 * must be 4326), hex EWKB with the SRID for GEOMETRY. Or why the value cannot be carried.
 */
export function spatialLoadText(
  read: string,
  target: 'GEOGRAPHY' | 'GEOMETRY',
): { text: string } | { problem: string } {
  try {
    const { srid, hex } = split(read);
    if (target === 'GEOGRAPHY' && srid !== GEOGRAPHY_SRID)
      return {
        problem: `has SRID ${srid}: Snowflake GEOGRAPHY holds WGS 84 (SRID ${GEOGRAPHY_SRID}) values only`,
      };
    const srid2 = target === 'GEOMETRY' ? srid : undefined;
    return { text: transcode(hex, { ...(srid2 === undefined ? {} : { srid: srid2 }), round: false }).hex };
  } catch (e) {
    if (e instanceof SpatialValueError) return { problem: e.message };
    throw e;
  }
}

/**
 * The canonical text of a spatial value, `<SRID>;<hex of 2D little-endian WKB>` with coordinates rounded
 * to 14 decimal places, from a loaded text (WKB: SRID 4326; EWKB: its SRID) or from `<SRID>;<hex>` (what
 * SQL Server's read gives, and what Snowflake's TO_VARCHAR(ST_SRID(c)) || ';' || HEX_ENCODE(ST_ASWKB(c))
 * prints). Undefined when it is not such a value.
 */
export function canonicalSpatial(text: string): string | undefined {
  try {
    if (text.includes(';')) {
      const { srid, hex } = split(text);
      return `${srid};${transcode(hex, { round: true }).hex}`;
    }
    const { hex, srid } = transcode(text, { round: true });
    return `${srid ?? GEOGRAPHY_SRID};${hex}`;
  } catch (e) {
    if (e instanceof SpatialValueError) return undefined;
    throw e;
  }
}
