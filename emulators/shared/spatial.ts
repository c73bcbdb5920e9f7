/**
 * Spatial values for both stand-ins: the OGC Simple Features model (points, line strings, polygons, their
 * multi forms and collections, with optional Z and M), read from and written as WKT and WKB.
 *
 * - WKB: a byte-order byte (1: little-endian), a uint32 type code (1 to 7; ISO adds 1000 for Z, 2000 for
 *   M, 3000 for ZM, which is what SQL Server's AsBinaryZM writes: `0x01B90B0000...` for `Point(1 1 2 3)`,
 *   https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/asbinaryzm-geography-data-type), then
 *   the coordinates as IEEE doubles. EWKB (what Snowflake's ST_ASEWKB writes and its TO_GEOMETRY reads)
 *   marks Z, M and an SRID with the high bits 0x80000000, 0x40000000 and 0x20000000 instead, the SRID
 *   following the type code.
 * - WKT: `POINT(-122.35 37.55)`, `LINESTRING Z (...)`, `POLYGON((...))`, `... EMPTY`; EWKT prefixes
 *   `SRID=4326;`. A coordinate of three or four numbers without Z/M is XYZ or XYZM, as SQL Server reads
 *   `Point(1 1 2 3)`.
 */

export interface Dims {
  z: boolean;
  m: boolean;
}

export type Shape =
  | { type: 'Point'; coords: number[] | null }
  | { type: 'LineString'; points: number[][] }
  | { type: 'Polygon'; rings: number[][][] }
  | { type: 'MultiPoint' | 'MultiLineString' | 'MultiPolygon' | 'GeometryCollection'; members: Shape[] };

export interface Spatial {
  dims: Dims;
  shape: Shape;
  /** Set when the text or binary carried one (EWKT, EWKB). */
  srid?: number;
}

/** The OGC types by their code less one: WKB's codes, which SQL Server's serialization shares for its shapes (spatial-binary.ts). */
export const TYPE_CODES = [
  'Point',
  'LineString',
  'Polygon',
  'MultiPoint',
  'MultiLineString',
  'MultiPolygon',
  'GeometryCollection',
] as const;
export type TypeName = (typeof TYPE_CODES)[number];

export class SpatialFormatError extends Error {}

const fail = (why: string): never => {
  throw new SpatialFormatError(why);
};

// ---- WKT -------------------------------------------------------------------------------------------------

const TOKEN = /\s*(?:([A-Za-z]+)|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([(),]))/y;

class WktReader {
  private tokens: string[] = [];
  private i = 0;
  constructor(text: string) {
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < text.length) {
      const start = TOKEN.lastIndex;
      const match = TOKEN.exec(text);
      if (!match) {
        if (/^\s*$/.test(text.slice(start))) break;
        fail(`unexpected text at ${start}: ${text.slice(start, start + 20)}`);
      }
      this.tokens.push(match![1] ?? match![2] ?? match![3]!);
    }
  }
  peek = () => this.tokens[this.i];
  next = () => this.tokens[this.i++] ?? fail('unexpected end of text');
  expect(token: string) {
    const t = this.next();
    if (t !== token) fail(`expected ${token}, found ${t}`);
  }
  done = () => this.i >= this.tokens.length;
  isNumber = () => /^[-+.\d]/.test(this.peek() ?? '');
}

function typeOfWord(word: string): TypeName {
  const found = TYPE_CODES.find((t) => t.toUpperCase() === word.toUpperCase());
  return found ?? fail(`not implemented: the geometry type ${word}`);
}

function readShape(r: WktReader, dims: Dims & { fixed: boolean }): Shape {
  const type = typeOfWord(r.next());
  const modifier = r.peek()?.toUpperCase();
  if (modifier === 'Z' || modifier === 'M' || modifier === 'ZM') {
    r.next();
    setDims(dims, modifier.includes('Z'), modifier.includes('M'));
  }
  if (r.peek()?.toUpperCase() === 'EMPTY') {
    r.next();
    return type === 'Point'
      ? { type, coords: null }
      : type === 'LineString'
        ? { type, points: [] }
        : type === 'Polygon'
          ? { type, rings: [] }
          : { type, members: [] };
  }
  r.expect('(');
  const shape = readBody(r, type, dims);
  r.expect(')');
  return shape;
}

function setDims(dims: Dims & { fixed: boolean }, z: boolean, m: boolean) {
  if (dims.fixed && (dims.z !== z || dims.m !== m)) fail('mixed coordinate dimensions');
  Object.assign(dims, { z, m, fixed: true });
}

function readCoords(r: WktReader, dims: Dims & { fixed: boolean }): number[] {
  const values: number[] = [];
  while (r.isNumber()) values.push(Number(r.next()));
  if (values.length < 2 || values.length > 4) fail('a coordinate has 2 to 4 numbers');
  if (!dims.fixed) setDims(dims, values.length >= 3, values.length === 4);
  if (values.length !== 2 + Number(dims.z) + Number(dims.m)) fail('mixed coordinate dimensions');
  return values;
}

function readList<T>(r: WktReader, item: () => T): T[] {
  const items = [item()];
  while (r.peek() === ',') {
    r.next();
    items.push(item());
  }
  return items;
}

function readPoints(r: WktReader, dims: Dims & { fixed: boolean }): number[][] {
  return readList(r, () => readCoords(r, dims));
}

function parenthesised<T>(r: WktReader, body: () => T): T {
  r.expect('(');
  const value = body();
  r.expect(')');
  return value;
}

function readBody(r: WktReader, type: TypeName, dims: Dims & { fixed: boolean }): Shape {
  switch (type) {
    case 'Point':
      return { type, coords: readCoords(r, dims) };
    case 'LineString':
      return { type, points: readPoints(r, dims) };
    case 'Polygon':
      return { type, rings: readList(r, () => parenthesised(r, () => readPoints(r, dims))) };
    case 'MultiPoint':
      // Both MULTIPOINT((1 2), (3 4)) and MULTIPOINT(1 2, 3 4).
      return {
        type,
        members: readList(r, () => ({
          type: 'Point' as const,
          coords: r.peek() === '(' ? parenthesised(r, () => readCoords(r, dims)) : readCoords(r, dims),
        })),
      };
    case 'MultiLineString':
      return {
        type,
        members: readList(r, () => ({
          type: 'LineString' as const,
          points: parenthesised(r, () => readPoints(r, dims)),
        })),
      };
    case 'MultiPolygon':
      return {
        type,
        members: readList(r, () => ({
          type: 'Polygon' as const,
          rings: parenthesised(r, () => readList(r, () => parenthesised(r, () => readPoints(r, dims)))),
        })),
      };
    case 'GeometryCollection':
      return { type, members: readList(r, () => readShape(r, dims)) };
  }
}

/** Reads WKT or EWKT (`SRID=n;` first). */
export function parseWkt(text: string): Spatial {
  let body = text.trim();
  let srid: number | undefined;
  const prefix = /^SRID=(-?\d+);/i.exec(body);
  if (prefix) {
    srid = Number(prefix[1]);
    body = body.slice(prefix[0].length);
  }
  const r = new WktReader(body);
  const dims = { z: false, m: false, fixed: false };
  const shape = readShape(r, dims);
  if (!r.done()) fail(`unexpected ${r.peek()} after the geometry`);
  return { dims: { z: dims.z, m: dims.m }, shape, ...(srid === undefined ? {} : { srid }) };
}

// ---- WKB -------------------------------------------------------------------------------------------------

const EWKB_Z = 0x80000000;
const EWKB_M = 0x40000000;
const EWKB_SRID = 0x20000000;

class WkbReader {
  private pos = 0;
  private little = true;
  constructor(private readonly bytes: Buffer) {}
  private need(n: number) {
    if (this.pos + n > this.bytes.length) fail('WKB ends too early');
  }
  order() {
    this.need(1);
    const b = this.bytes[this.pos++];
    if (b !== 0 && b !== 1) fail(`bad WKB byte order ${b}`);
    this.little = b === 1;
  }
  u32() {
    this.need(4);
    const v = this.little ? this.bytes.readUInt32LE(this.pos) : this.bytes.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  f64() {
    this.need(8);
    const v = this.little ? this.bytes.readDoubleLE(this.pos) : this.bytes.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }
  done = () => this.pos === this.bytes.length;
}

function readWkbShape(r: WkbReader, outer: { dims?: Dims; srid?: number }): Shape {
  r.order();
  const raw = r.u32();
  let code = raw & 0x0fffffff;
  let z = (raw & EWKB_Z) !== 0;
  let m = (raw & EWKB_M) !== 0;
  if (raw & EWKB_SRID) outer.srid = r.u32() | 0;
  if (code >= 1000) {
    const iso = Math.floor(code / 1000);
    if (iso > 3) fail(`not implemented: the WKB type ${code}`);
    z ||= iso === 1 || iso === 3;
    m ||= iso === 2 || iso === 3;
    code %= 1000;
  }
  const type = TYPE_CODES[code - 1] ?? fail(`not implemented: the WKB type ${code}`);
  if (outer.dims && (outer.dims.z !== z || outer.dims.m !== m)) fail('mixed coordinate dimensions');
  outer.dims = { z, m };
  const width = 2 + Number(z) + Number(m);
  const coords = () => Array.from({ length: width }, () => r.f64());
  const points = () => Array.from({ length: r.u32() }, coords);
  switch (type) {
    case 'Point': {
      const c = coords();
      return { type, coords: c.every(Number.isNaN) ? null : c };
    }
    case 'LineString':
      return { type, points: points() };
    case 'Polygon':
      return { type, rings: Array.from({ length: r.u32() }, points) };
    default:
      return { type, members: Array.from({ length: r.u32() }, () => readWkbShape(r, outer)) };
  }
}

/** Reads WKB, ISO WKB with Z/M, or EWKB. */
export function parseWkb(bytes: Buffer): Spatial {
  const r = new WkbReader(bytes);
  const outer: { dims?: Dims; srid?: number } = {};
  const shape = readWkbShape(r, outer);
  if (!r.done()) fail('bytes after the geometry');
  return { dims: outer.dims!, shape, ...(outer.srid === undefined ? {} : { srid: outer.srid }) };
}

/**
 * Little-endian WKB with ISO Z/M codes; with `srid`, EWKB (flags and the SRID after the outer type).
 * An empty point is written with NaN coordinates, as GEOS and PostGIS write it.
 */
export function toWkb(value: Spatial, options: { zm: boolean; srid?: number }): Buffer {
  const z = options.zm && value.dims.z;
  const m = options.zm && value.dims.m;
  const parts: Buffer[] = [];
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    parts.push(b);
  };
  const coords = (c: number[] | null) => {
    const width = 2 + Number(z) + Number(m);
    const b = Buffer.alloc(8 * width);
    const picked = c === null ? Array<number>(width).fill(NaN) : pick(c, value.dims, z, m);
    picked.forEach((v, i) => b.writeDoubleLE(v, i * 8));
    parts.push(b);
  };
  const points = (list: number[][]) => {
    u32(list.length);
    list.forEach(coords);
  };
  const write = (shape: Shape, outer: boolean) => {
    parts.push(Buffer.from([1]));
    const code = TYPE_CODES.indexOf(shape.type) + 1;
    if (outer && options.srid !== undefined) {
      u32(code | (z ? EWKB_Z : 0) | (m ? EWKB_M : 0) | EWKB_SRID);
      u32(options.srid);
    } else if (options.srid !== undefined) u32(code | (z ? EWKB_Z : 0) | (m ? EWKB_M : 0));
    else u32(code + (z && m ? 3000 : z ? 1000 : m ? 2000 : 0));
    switch (shape.type) {
      case 'Point':
        return coords(shape.coords);
      case 'LineString':
        return points(shape.points);
      case 'Polygon':
        u32(shape.rings.length);
        return shape.rings.forEach(points);
      default:
        u32(shape.members.length);
        return shape.members.forEach((member) => write(member, false));
    }
  };
  write(value.shape, true);
  return Buffer.concat(parts);
}

/** The X, Y (and Z, M when kept) of a stored coordinate. */
function pick(c: number[], dims: Dims, z: boolean, m: boolean): number[] {
  const out = [c[0]!, c[1]!];
  if (z) out.push(c[2]!);
  if (m) out.push(c[dims.z ? 3 : 2]!);
  return out;
}

/** The same value with every coordinate passed through `f` (Z and M included). */
export function mapCoordinates(value: Spatial, f: (n: number) => number): Spatial {
  const points = (list: number[][]) => list.map((c) => c.map(f));
  const shape = (s: Shape): Shape => {
    switch (s.type) {
      case 'Point':
        return { type: s.type, coords: s.coords && s.coords.map(f) };
      case 'LineString':
        return { type: s.type, points: points(s.points) };
      case 'Polygon':
        return { type: s.type, rings: s.rings.map(points) };
      default:
        return { type: s.type, members: s.members.map(shape) };
    }
  };
  return { ...value, shape: shape(value.shape) };
}

/** Calls `visit` with every point of the value (an empty point's coordinates are null). */
export function forEachPoint(value: Spatial, visit: (coords: number[] | null) => void): void {
  const walk = (s: Shape): void => {
    if (s.type === 'Point') visit(s.coords);
    else if (s.type === 'LineString') s.points.forEach(visit);
    else if (s.type === 'Polygon') s.rings.forEach((r) => r.forEach(visit));
    else s.members.forEach(walk);
  };
  walk(value.shape);
}
