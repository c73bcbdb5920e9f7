/**
 * Snowflake data types: how a declared type reads (with its aliases), how it prints, and how the
 * stand-in stores it in DuckDB. Pure.
 *
 * DuckDB has no type for nanosecond timestamps over years 1-9999 or for a timestamp with its own
 * offset, so those are stored as one-field structs whose field name says the Snowflake type and
 * scale (`STRUCT(sf_ntz_7 HUGEINT)`): the name survives MIN/MAX/ORDER BY and shows up in result types,
 * arithmetic on it fails instead of giving a wrong answer.
 */
import type { Token } from './sql/lexer';
import { unsupported } from './errors';

export type SnowflakeType =
  | { kind: 'NUMBER'; precision: number; scale: number }
  | { kind: 'FLOAT' }
  | { kind: 'TEXT'; length: number }
  | { kind: 'BINARY'; length: number }
  | { kind: 'BOOLEAN' }
  | { kind: 'DATE' }
  | { kind: 'TIME'; scale: number }
  | { kind: TimestampKind; scale: number }
  | { kind: SemiStructuredKind }
  | { kind: SpatialKind };

export type TimestampKind = 'TIMESTAMP_NTZ' | 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ';
export type SemiStructuredKind = 'VARIANT' | 'OBJECT' | 'ARRAY';
export type SpatialKind = 'GEOGRAPHY' | 'GEOMETRY';
export const isSpatial = (type: SnowflakeType): type is { kind: SpatialKind } =>
  type.kind === 'GEOGRAPHY' || type.kind === 'GEOMETRY';

export const MAX_TEXT_LENGTH = 16_777_216;
export const MAX_BINARY_LENGTH = 8_388_608;

const NUMBER_ALIASES = new Set(['NUMBER', 'DECIMAL', 'DEC', 'NUMERIC']);
const INTEGER_ALIASES = new Set(['INT', 'INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'BYTEINT']);
const FLOAT_ALIASES = new Set(['FLOAT', 'FLOAT4', 'FLOAT8', 'DOUBLE', 'REAL']);
const TEXT_ALIASES = new Set([
  'VARCHAR',
  'STRING',
  'TEXT',
  'NVARCHAR',
  'NVARCHAR2',
  'CHAR',
  'CHARACTER',
  'NCHAR',
]);
const BINARY_ALIASES = new Set(['BINARY', 'VARBINARY']);
const TIMESTAMP_ALIASES: Record<string, TimestampKind> = {
  TIMESTAMP_NTZ: 'TIMESTAMP_NTZ',
  DATETIME: 'TIMESTAMP_NTZ',
  TIMESTAMP_LTZ: 'TIMESTAMP_LTZ',
  TIMESTAMP_TZ: 'TIMESTAMP_TZ',
};

export interface ParsedType {
  type: SnowflakeType;
  next: number;
}

/**
 * Reads a type at `tokens[start]`. `TIMESTAMP` alone follows TIMESTAMP_TYPE_MAPPING, which defaults to
 * TIMESTAMP_NTZ.
 */
/** Snowflake types the stand-in does not store: naming one is refused, not a syntax error. */
const UNIMPLEMENTED_TYPES = new Set(['DECFLOAT', 'VECTOR', 'MAP', 'FILE']);

export function readType(
  tokens: Token[],
  start: number,
  timestampMapping: TimestampKind = 'TIMESTAMP_NTZ',
): ParsedType | undefined {
  const word = tokens[start];
  if (word?.kind !== 'word') return undefined;
  const name = word.value;
  let i = start + 1;
  const args = (): number[] => {
    if (tokens[i]?.value !== '(') return [];
    const values: number[] = [];
    i += 1;
    while (tokens[i]?.kind === 'number') {
      values.push(Number(tokens[i]!.value));
      i += 1;
      if (tokens[i]?.value === ',') i += 1;
    }
    if (tokens[i]?.value !== ')') throw unsupported(`type arguments of ${name}`);
    i += 1;
    return values;
  };
  const isWord = (k: number, value: string) => tokens[k]?.kind === 'word' && tokens[k]!.value === value;
  if (UNIMPLEMENTED_TYPES.has(name)) throw unsupported(`the ${name} type`);

  if (NUMBER_ALIASES.has(name)) {
    const [precision = 38, scale = 0] = args();
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision)
      throw unsupported(`${name}(${precision},${scale})`);
    return { type: { kind: 'NUMBER', precision, scale }, next: i };
  }
  if (INTEGER_ALIASES.has(name)) return { type: { kind: 'NUMBER', precision: 38, scale: 0 }, next: i };
  if (FLOAT_ALIASES.has(name)) {
    if (name === 'DOUBLE' && isWord(i, 'PRECISION')) i += 1;
    return { type: { kind: 'FLOAT' }, next: i };
  }
  if (TEXT_ALIASES.has(name)) {
    if (isWord(i, 'VARYING')) i += 1;
    const fixedWidth =
      (name === 'CHAR' || name === 'CHARACTER' || name === 'NCHAR') && !isWord(start + 1, 'VARYING');
    const [length = fixedWidth ? 1 : MAX_TEXT_LENGTH] = args();
    if (length < 1 || length > MAX_TEXT_LENGTH)
      throw unsupported(`${name}(${length}) (the limit is ${MAX_TEXT_LENGTH})`);
    return { type: { kind: 'TEXT', length }, next: i };
  }
  if (BINARY_ALIASES.has(name)) {
    const [length = MAX_BINARY_LENGTH] = args();
    if (length < 1 || length > MAX_BINARY_LENGTH)
      throw unsupported(`${name}(${length}) (the limit is ${MAX_BINARY_LENGTH})`);
    return { type: { kind: 'BINARY', length }, next: i };
  }
  if (name === 'BOOLEAN') return { type: { kind: 'BOOLEAN' }, next: i };
  if (name === 'DATE') return { type: { kind: 'DATE' }, next: i };
  if (name === 'TIME') return { type: { kind: 'TIME', scale: scaleArg(args(), name) }, next: i };
  if (name === 'TIMESTAMP' || TIMESTAMP_ALIASES[name]) {
    let kind = TIMESTAMP_ALIASES[name] ?? timestampMapping;
    const scale = scaleArg(args(), name);
    if (name === 'TIMESTAMP' && (isWord(i, 'WITH') || isWord(i, 'WITHOUT'))) {
      const without = isWord(i, 'WITHOUT');
      const local = isWord(i + 1, 'LOCAL');
      const tail = local ? i + 2 : i + 1;
      if (!isWord(tail, 'TIME') || !isWord(tail + 1, 'ZONE')) return undefined;
      kind = without ? 'TIMESTAMP_NTZ' : local ? 'TIMESTAMP_LTZ' : 'TIMESTAMP_TZ';
      i = tail + 2;
    }
    return { type: { kind, scale }, next: i };
  }
  if (name === 'VARIANT' || name === 'OBJECT' || name === 'ARRAY') return { type: { kind: name }, next: i };
  if (name === 'GEOGRAPHY' || name === 'GEOMETRY') {
    // GEOMETRY(<srid>) constrains the SRID: not implemented.
    if (tokens[i]?.value === '(') throw unsupported(`${name} with an SRID constraint`);
    return { type: { kind: name }, next: i };
  }
  return undefined;
}

function scaleArg(values: number[], name: string): number {
  const [scale = 9] = values;
  if (scale < 0 || scale > 9) throw unsupported(`${name}(${scale})`);
  return scale;
}

/** The type as DESCRIBE TABLE and SHOW COLUMNS print it, e.g. NUMBER(10,0), VARCHAR(200). */
export function typeDisplay(type: SnowflakeType): string {
  switch (type.kind) {
    case 'NUMBER':
      return `NUMBER(${type.precision},${type.scale})`;
    case 'TEXT':
      return `VARCHAR(${type.length})`;
    case 'BINARY':
      return `BINARY(${type.length})`;
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return `${type.kind}(${type.scale})`;
    default:
      return type.kind;
  }
}

/** The struct field that tags a stored value with its Snowflake type. */
export function structTag(type: SnowflakeType): string | undefined {
  switch (type.kind) {
    case 'TIME':
      return `sf_time_${type.scale}`;
    case 'TIMESTAMP_NTZ':
      return `sf_ntz_${type.scale}`;
    case 'TIMESTAMP_LTZ':
      return `sf_ltz_${type.scale}`;
    case 'TIMESTAMP_TZ':
      return `sf_tz_${type.scale}`;
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'GEOGRAPHY':
    case 'GEOMETRY':
      return `sf_${type.kind.toLowerCase()}`;
    default:
      return undefined;
  }
}

/** The reverse of structTag: what a result column of a tagged struct type is. */
export function typeOfStructTag(tag: string): SnowflakeType | undefined {
  const match = /^sf_(time|ntz|ltz|tz)_([0-9])$/.exec(tag);
  if (match) {
    const scale = Number(match[2]);
    const kind = { time: 'TIME', ntz: 'TIMESTAMP_NTZ', ltz: 'TIMESTAMP_LTZ', tz: 'TIMESTAMP_TZ' }[
      match[1]!
    ] as 'TIME' | TimestampKind;
    return { kind, scale };
  }
  if (tag === 'sf_variant') return { kind: 'VARIANT' };
  if (tag === 'sf_object') return { kind: 'OBJECT' };
  if (tag === 'sf_array') return { kind: 'ARRAY' };
  if (tag === 'sf_geography') return { kind: 'GEOGRAPHY' };
  if (tag === 'sf_geometry') return { kind: 'GEOMETRY' };
  return undefined;
}

/** The inner DuckDB type of a tagged struct. */
function structInner(type: SnowflakeType): string {
  if (type.kind === 'TIME') return 'BIGINT';
  if (type.kind === 'VARIANT' || type.kind === 'OBJECT' || type.kind === 'ARRAY' || isSpatial(type))
    return 'VARCHAR';
  return 'HUGEINT';
}

/** The DuckDB column type that stores a Snowflake type. */
export function storageType(type: SnowflakeType): string {
  const tag = structTag(type);
  if (tag) return `STRUCT(${tag} ${structInner(type)})`;
  switch (type.kind) {
    case 'NUMBER':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'FLOAT':
      return 'DOUBLE';
    case 'TEXT':
      return 'VARCHAR';
    case 'BINARY':
      return 'BLOB';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'DATE':
      return 'DATE';
    default:
      throw new Error(`no storage for ${type.kind}`);
  }
}

/** Serialised into the catalog (one JSON column) and back. */
export function typeToJson(type: SnowflakeType): string {
  return JSON.stringify(type);
}

export function typeFromJson(text: string): SnowflakeType {
  return JSON.parse(text) as SnowflakeType;
}

export function isTimestamp(type: SnowflakeType): type is { kind: TimestampKind; scale: number } {
  return type.kind === 'TIMESTAMP_NTZ' || type.kind === 'TIMESTAMP_LTZ' || type.kind === 'TIMESTAMP_TZ';
}
