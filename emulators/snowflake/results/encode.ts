/**
 * Values and column metadata as Snowflake's JSON result format carries them, which the driver decodes
 * (connection/result/column.js). Every value is a string or null:
 *   fixed        exact decimal text        real      JS number text
 *   boolean      "1" / "0"                 date      days since the epoch
 *   time         seconds since midnight with `scale` fractional digits
 *   timestamp_ntz / _ltz   seconds since the epoch with `scale` fractional digits
 *   timestamp_tz           the same, a space, and the offset in minutes + 1440
 *   binary       upper-case hex            variant   JSON text
 * Pure.
 */
import { unsupported } from '../errors';
import { MAX_TEXT_LENGTH, type SnowflakeType } from '../types';
import { floorDiv } from '../values/calendar';
import { formatUnscaled, TZ_OFFSET_BIAS, unpackTz, type Stored } from '../values/parse';

function seconds(ns: bigint, scale: number): string {
  return formatUnscaled(floorDiv(ns, 10n ** BigInt(9 - scale)), scale);
}

export type Encoder = (value: Stored | null) => string | null;

export function encoder(type: SnowflakeType): Encoder {
  const nullable =
    (f: (v: Stored) => string): Encoder =>
    (v) =>
      v === null ? null : f(v);
  switch (type.kind) {
    case 'NUMBER':
      return nullable((v) => formatUnscaled(v as bigint, type.scale));
    case 'FLOAT':
      // IEEE 754: -0 goes out as "-0", which the driver's Number() reads back as -0.
      return nullable((v) => (Object.is(v, -0) ? '-0' : String(v)));
    case 'TEXT':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return nullable((v) => v as string);
    case 'BINARY':
      return nullable((v) =>
        Buffer.from(v as Uint8Array)
          .toString('hex')
          .toUpperCase(),
      );
    case 'BOOLEAN':
      return nullable((v) => (v ? '1' : '0'));
    case 'DATE':
      return nullable((v) => String(v));
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      return nullable((v) => seconds(v as bigint, type.scale));
    case 'TIMESTAMP_TZ':
      return nullable((v) => {
        const { instantNs, offsetMinutes } = unpackTz(v as bigint);
        return `${seconds(instantNs, type.scale)} ${offsetMinutes + TZ_OFFSET_BIAS}`;
      });
    case 'GEOGRAPHY':
    case 'GEOMETRY':
      // Results in GEOGRAPHY_OUTPUT_FORMAT (GeoJSON by default): not implemented.
      throw unsupported(`${type.kind} columns in a result (select ST_ASWKB(...) instead)`);
  }
}

export interface RowTypeEntry {
  name: string;
  database: string;
  schema: string;
  table: string;
  nullable: boolean;
  type: string;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  collation: null;
}

export function rowTypeEntry(name: string, type: SnowflakeType, nullable = true): RowTypeEntry {
  const base = { name, database: '', schema: '', table: '', nullable, collation: null } as const;
  const shape = (
    t: string,
    precision: number | null,
    scale: number | null,
    length: number | null,
    byteLength: number | null,
  ) => ({
    ...base,
    type: t,
    precision,
    scale,
    length,
    byteLength,
  });
  switch (type.kind) {
    case 'NUMBER':
      return shape('fixed', type.precision, type.scale, null, null);
    case 'FLOAT':
      return shape('real', null, null, null, null);
    case 'TEXT':
      return shape('text', null, null, type.length, Math.min(type.length * 4, MAX_TEXT_LENGTH));
    case 'BINARY':
      return shape('binary', null, null, type.length, type.length);
    case 'BOOLEAN':
      return shape('boolean', null, null, null, null);
    case 'DATE':
      return shape('date', null, null, null, null);
    case 'TIME':
      return shape('time', 0, type.scale, null, null);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return shape(type.kind.toLowerCase(), 0, type.scale, null, null);
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return shape(type.kind.toLowerCase(), null, null, MAX_TEXT_LENGTH, MAX_TEXT_LENGTH);
    case 'GEOGRAPHY':
    case 'GEOMETRY':
      throw unsupported(`${type.kind} columns in a result (select ST_ASWKB(...) instead)`);
  }
}

export interface EncodedRows {
  /** The rows sent inline with the answer. */
  rowset: (string | null)[][];
  /** The rest, as chunk bodies: rows as JSON without the outer brackets, as Snowflake serves them. */
  chunks: { body: string; rowCount: number }[];
  total: number;
}

/** Roughly how many characters go inline and into each chunk. */
const INLINE_BUDGET = 1_000_000;
const CHUNK_BUDGET = 8_000_000;

export function encodeRows(types: SnowflakeType[], rows: (Stored | null)[][]): EncodedRows {
  const encoders = types.map(encoder);
  const rowset: (string | null)[][] = [];
  const chunks: EncodedRows['chunks'] = [];
  let pending: string[] = [];
  let size = 0;
  let inline = true;
  for (const row of rows) {
    const encoded = row.map((v, k) => encoders[k]!(v));
    if (inline) {
      rowset.push(encoded);
      size += encoded.reduce((n, v) => n + (v === null ? 4 : v.length + 3), 2);
      if (size >= INLINE_BUDGET) {
        inline = false;
        size = 0;
      }
      continue;
    }
    const json = JSON.stringify(encoded);
    pending.push(json);
    size += json.length;
    if (size >= CHUNK_BUDGET) {
      chunks.push({ body: pending.join(','), rowCount: pending.length });
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) chunks.push({ body: pending.join(','), rowCount: pending.length });
  return { rowset, chunks, total: rows.length };
}
