/**
 * geography and geometry in SQL Server's own serialization, read: [MS-SSCLRT] 2.1 "GEOGRAPHY and GEOMETRY
 * Structures" (https://learn.microsoft.com/en-us/openspecs/sql_server_protocols/ms-ssclrt/8ce82728-6582-4e7b-96a0-8d0379767877),
 * the bytes a character-mode export writes in hex and CAST(varbinary AS geography) reads. All little-endian:
 *
 * - SRID (int32), Version (1 or 2), SerializationProps: Z 0x01 (Z values present), M 0x02 (M values
 *   present), V 0x04 (valid), P 0x08 (a single point), L 0x10 (a single line segment), H 0x20 (larger than
 *   a hemisphere, version 2);
 * - with P, one point; with L, two points (a line string); otherwise NumberOfPoints (int32) and the points;
 *   each point is two doubles, latitude then longitude for geography, X then Y for geometry;
 * - then one Z double per point (with Z), then one M double per point (with M);
 * - without P or L: NumberOfFigures and figures (attribute byte, offset of its first point), NumberOfShapes
 *   and shapes (parent shape offset, first figure offset (-1: empty), OGC type byte: 1 Point, 2 LineString,
 *   3 Polygon, 4 MultiPoint, 5 MultiLineString, 6 MultiPolygon, 7 GeometryCollection), in depth-first
 *   order; a figure's points run to the next figure's first, a shape's figures to the next figure-bearing
 *   shape's first.
 *
 * Refused as not supported (not guessed): the curve types and FULLGLOBE (types 8 to 11, version 2's arc
 * figures and segments), H (a polygon larger than a hemisphere, which EWKB cannot say), and a NULL Z or M
 * inside a value (stored as NaN).
 */
import { TYPE_CODES, type Dims, type Shape, type Spatial, type TypeName } from '../../shared/spatial';
import { notSupported } from '../errors';

const HAS_Z = 0x01;
const HAS_M = 0x02;
const SINGLE_POINT = 0x08;
const SINGLE_LINE = 0x10;
const LARGER_THAN_HEMISPHERE = 0x20;

interface Figure {
  firstPoint: number;
}
interface ShapeEntry {
  parent: number;
  firstFigure: number;
  type: TypeName;
}

class Reader {
  private at = 0;
  constructor(
    private readonly bytes: Buffer,
    private readonly what: () => Error,
  ) {}
  private need(n: number) {
    if (this.at + n > this.bytes.length) throw this.what();
  }
  u8(): number {
    this.need(1);
    return this.bytes.readUInt8(this.at++);
  }
  i32(): number {
    this.need(4);
    const v = this.bytes.readInt32LE(this.at);
    this.at += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.bytes.readDoubleLE(this.at);
    this.at += 8;
    return v;
  }
  count(): number {
    const n = this.i32();
    // Every element takes at least a byte: a larger count is a truncated or corrupt value.
    if (n < 0 || n > this.bytes.length - this.at) throw this.what();
    return n;
  }
  done = () => this.at === this.bytes.length;
}

/**
 * The value a geography (`geography: true`, points stored latitude first) or geometry serialization holds,
 * its coordinates in WKT order (X/longitude, Y/latitude, Z, M) and its SRID.
 */
export function spatialFromSerialization(bytes: Buffer, geography: boolean): Spatial {
  const hex = `0x${bytes.toString('hex').toUpperCase().slice(0, 80)}`;
  const invalid = () =>
    notSupported(
      `a ${geography ? 'geography' : 'geometry'} binary value that is not a valid serialization (${hex})`,
    );
  const refuse = (what: string) =>
    notSupported(`${geography ? 'geography' : 'geometry'} binary values with ${what}`);
  const r = new Reader(bytes, invalid);
  const srid = r.i32();
  // "A value of -1 indicates a null geography ... all other fields are omitted" (version 2's SRID field,
  // https://learn.microsoft.com/en-us/openspecs/sql_server_protocols/ms-ssclrt/35a20944-9c83-4776-91c6-b5f5af5fef03).
  if (srid === -1) throw refuse('the null value (SRID -1)');
  const version = r.u8();
  if (version !== 1 && version !== 2) throw invalid();
  const props = r.u8();
  if (props & ~0x3f || (props & SINGLE_POINT && props & SINGLE_LINE)) throw invalid();
  if (props & LARGER_THAN_HEMISPHERE) throw refuse('a polygon larger than a hemisphere');
  const dims: Dims = { z: (props & HAS_Z) !== 0, m: (props & HAS_M) !== 0 };

  const pointCount = props & SINGLE_POINT ? 1 : props & SINGLE_LINE ? 2 : r.count();
  const points = Array.from({ length: pointCount }, () => {
    const first = r.f64();
    const second = r.f64();
    return geography ? [second, first] : [first, second];
  });
  for (const flag of [HAS_Z, HAS_M]) {
    if (!(props & flag)) continue;
    for (const p of points) {
      const v = r.f64();
      if (Number.isNaN(v)) throw refuse(`a NULL ${flag === HAS_Z ? 'Z' : 'M'} value`);
      p.push(v);
    }
  }

  let shape: Shape;
  if (props & SINGLE_POINT) shape = { type: 'Point', coords: points[0]! };
  else if (props & SINGLE_LINE) shape = { type: 'LineString', points };
  else shape = readShapes(r, points, version, invalid, refuse);
  if (!r.done()) throw invalid();
  return { dims, shape, srid };
}

function readShapes(
  r: Reader,
  points: number[][],
  version: number,
  invalid: () => Error,
  refuse: (what: string) => Error,
): Shape {
  const figures: Figure[] = Array.from({ length: r.count() }, () => {
    const attribute = r.u8();
    // Version 1: 0 interior ring, 1 stroke, 2 exterior ring; version 2: 0 point, 1 line, 2 arc, 3 composite curve.
    if (attribute > (version === 1 ? 2 : 3)) throw invalid();
    if (version === 2 && attribute > 1) throw refuse('circular arcs');
    return { firstPoint: r.i32() };
  });
  const shapes: ShapeEntry[] = Array.from({ length: r.count() }, () => {
    const parent = r.i32();
    const firstFigure = r.i32();
    const code = r.u8();
    if (code >= 8 && code <= 11) throw refuse('curves or FULLGLOBE');
    const type = TYPE_CODES[code - 1];
    if (!type) throw invalid();
    return { parent, firstFigure, type };
  });
  // Depth-first: the first shape is the top one, every other shape's parent comes before it.
  if (
    shapes.length === 0 ||
    shapes.some((t, i) => (i === 0 ? t.parent !== -1 : t.parent < 0 || t.parent >= i))
  )
    throw invalid();

  const figurePoints = (f: number): number[][] => {
    const end = f + 1 < figures.length ? figures[f + 1]!.firstPoint : points.length;
    const start = figures[f]!.firstPoint;
    if (start < 0 || start > end || end > points.length) throw invalid();
    return points.slice(start, end);
  };
  // A shape's figures end where the next shape that has figures begins (shapes are depth-first).
  const shapeFigures = (s: number): number[] => {
    const start = shapes[s]!.firstFigure;
    if (start === -1) return [];
    const next = shapes.slice(s + 1).find((t) => t.firstFigure !== -1);
    const end = next ? next.firstFigure : figures.length;
    if (start < 0 || start > end || end > figures.length) throw invalid();
    return Array.from({ length: end - start }, (_, i) => start + i);
  };
  const build = (s: number): Shape => {
    const { type } = shapes[s]!;
    const own = shapeFigures(s);
    switch (type) {
      case 'Point': {
        if (own.length > 1) throw invalid();
        const coords = own.length === 0 ? [] : figurePoints(own[0]!);
        if (coords.length > 1) throw invalid();
        return { type, coords: coords[0] ?? null };
      }
      case 'LineString':
        if (own.length > 1) throw invalid();
        return { type, points: own.length === 0 ? [] : figurePoints(own[0]!) };
      case 'Polygon':
        return { type, rings: own.map(figurePoints) };
      default: {
        const members = shapes.flatMap((t, i) => (t.parent === s ? [build(i)] : []));
        return { type, members };
      }
    }
  };
  return build(0);
}
