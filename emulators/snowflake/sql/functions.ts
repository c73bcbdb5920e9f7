/**
 * The Snowflake functions the stand-in translates, each to DuckDB SQL with the same meaning. A
 * function missing here is refused with "Unsupported feature", never passed through on the chance
 * that DuckDB's function of that name behaves alike (GREATEST and CONCAT, for example, treat NULL
 * differently).
 */
import { unsupported } from '../errors';
import type { SnowflakeType, TimestampKind } from '../types';
import { nativeDateTimeText } from './native-date-time-text';
import { once } from './once';

export interface FunctionContext {
  /** The session context literal the sf_* scalar functions take. */
  context: string;
  timestampMapping: TimestampKind;
  /** CURRENT_DATE(), CURRENT_USER() and the like, already as SQL literals. */
  constant(name: string): string | undefined;
}

/** Declared types of the arguments that are bare column references (undefined otherwise). */
type ArgumentTypes = (SnowflakeType | undefined)[];
type Translation = (args: string[], ctx: FunctionContext, types: ArgumentTypes) => string;

const rename =
  (to: string): Translation =>
  (args) =>
    `${to}(${args.join(', ')})`;

const arity = (name: string, args: string[], min: number, max = min) => {
  if (args.length < min || args.length > max) throw unsupported(`${name} with ${args.length} arguments`);
};

/** NULL as an argument of an sf_* function must carry a type DuckDB can hand over. */
const typed = (arg: string | undefined) =>
  arg === undefined || arg === 'NULL' ? 'CAST(NULL AS VARCHAR)' : arg;

const timestampFunction =
  (kind: TimestampKind | 'MAPPED'): Translation =>
  (args, ctx) => {
    arity('TO_TIMESTAMP', args, 1);
    const target = kind === 'MAPPED' ? ctx.timestampMapping : kind;
    return `sf_to_${target.slice(10).toLowerCase()}_9(${typed(args[0])}, ${ctx.context})`;
  };

/**
 * TO_VARCHAR of types DuckDB's own cast prints as Snowflake does, cast in place (the stand-in's
 * row-by-row function is slow): true/false, and NUMBER(p,s) with s digits, except that DuckDB drops the
 * leading zero where p = s (`.5` for NUMBER(1,1)) and Snowflake prints `0.5`.
 */
const NATIVE_TEXT: Record<string, (sql: string) => string> = {
  BOOLEAN: (sql) => `CAST(${sql} AS VARCHAR)`,
  NUMBER: (sql) => `regexp_replace(CAST(${sql} AS VARCHAR), '^(-?)\\.', '\\10.')`,
};

/** The FLOAT model the content checksum prints every value with (src/validation/canonical.ts). */
const CANONICAL_FLOAT_MODEL = "'S0.0000000000000000EEEEE'";
/** 2^53: below it, a double with at most 25 fraction bits may end its exact digits in a tie. */
const TWO_53 = 9007199254740992;
const TWO_25 = 33554432;

/**
 * TO_VARCHAR(<FLOAT>, 'S0.0000000000000000EEEEE') in DuckDB SQL, what values/float-text.ts prints:
 * printf's %+.16e rounds the exact binary value correctly, so only the exponent is reshaped (three
 * digits, upper-case E). printf rounds a tie to even where Snowflake's rule (and the row-by-row
 * function) rounds away from zero. A double's exact digits end in a tie at the 17th digit only if they
 * are 18 digits ending in 5, which needs a fraction of 2 to 25 bits and a magnitude below 2^53; those
 * values whose 18th digit is 5 go row by row, as do NaN and infinity (refused there).
 */
function canonicalFloatText(sql: string, rowByRow: string): string {
  return once(
    sql,
    'sf_float',
    (f) =>
      `(CASE WHEN isnan(${f}) OR isinf(${f}) OR (abs(${f}) < ${TWO_53} AND ${f} <> trunc(${f}) ` +
      `AND ${f} * ${TWO_25} = trunc(${f} * ${TWO_25}) AND substr(printf('%.17e', abs(${f})), 19, 1) = '5') ` +
      `THEN ${rowByRow} ELSE ${once(
        `printf('%+.16e', ${f})`,
        'sf_etext',
        (t) => `substr(${t}, 1, 19) || 'E' || substr(${t}, 21, 1) || lpad(substr(${t}, 22), 3, '0')`,
      )} END)`,
  );
}

const toText: Translation = (args, ctx, types) => {
  arity('TO_VARCHAR', args, 1, 2);
  const rowByRow = `sf_to_text(${typed(args[0])}, ${args[1] ?? 'CAST(NULL AS VARCHAR)'}, CAST(NULL AS INTEGER), ${ctx.context})`;
  const native = args.length === 1 ? NATIVE_TEXT[types[0]?.kind ?? ''] : undefined;
  if (native) return native(args[0]!);
  if (types[0]?.kind === 'FLOAT' && args[1] === CANONICAL_FLOAT_MODEL)
    return canonicalFloatText(args[0]!, rowByRow);
  const dateTime = types[0] && args[1] && nativeDateTimeText(args[0]!, types[0], args[1], rowByRow);
  return dateTime ?? rowByRow;
};

/**
 * TO_NUMBER(text, 'XXX...'): a hexadecimal format model, as many digits as X's (either case of digit
 * accepted), read as an unsigned integer. DuckDB's '0x' cast reads at most 64 bits, so longer models are
 * refused; text that is not 1 to n hex digits fails the query as Snowflake's 100038 does.
 */
const HEX_MODEL = /^'(X+)'$/i;
const MAX_HEX_DIGITS = 16;

function hexToNumber(value: string, model: string): string {
  const digits = HEX_MODEL.exec(model)![1]!.length;
  if (digits > MAX_HEX_DIGITS)
    throw unsupported(`TO_NUMBER with a hex format model of more than ${MAX_HEX_DIGITS} digits`);
  return (
    `(CASE WHEN ${value} IS NULL THEN NULL ` +
    `WHEN regexp_full_match(${value}, '[0-9A-Fa-f]{1,${digits}}') THEN CAST(CAST('0x' || ${value} AS UBIGINT) AS DECIMAL(38,0)) ` +
    `ELSE error('Numeric value ''' || ${value} || ''' is not recognized') END)`
  );
}

const toNumber: Translation = (args) => {
  arity('TO_NUMBER', args, 1, 3);
  if (args.length === 2 && HEX_MODEL.test(args[1]!)) return hexToNumber(args[0]!, args[1]!);
  const [value, precision = '38', scale = '0'] = args;
  if (!/^\d+$/.test(precision) || !/^\d+$/.test(scale)) throw unsupported('TO_NUMBER with a format model');
  return `CAST(${value} AS DECIMAL(${precision},${scale}))`;
};

const sha2: Translation = (args) => {
  arity('SHA2', args, 1, 2);
  if (args[1] !== undefined && args[1] !== '256') throw unsupported(`SHA2 with ${args[1]} bits (only 256)`);
  return `sha256(${args[0]})`;
};

/** SEQ4()/SEQ8(): 0, 1, 2 ... over the rows of the query (with GENERATOR, the row's number from 0). */
const sequence: Translation = (args) => (arity('SEQ4', args, 0), '(row_number() OVER () - 1)');

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const FUNCTIONS: Record<string, Translation> = {
  SEQ4: sequence,
  SEQ8: sequence,
  // Snowflake's RANDOM() is a random 64-bit integer (a seed argument would make it repeatable: refused).
  RANDOM: (a) => (arity('RANDOM', a, 0), 'CAST((random() - 0.5) * 1.8e19 AS BIGINT)'),
  // RANDSTR(length, gen): alphanumeric characters that depend only on gen, so equal gens give equal strings.
  RANDSTR: (a) => (
    arity('RANDSTR', a, 2),
    `array_to_string(list_transform(range(CAST(${a[0]} AS BIGINT)), i -> substr('${ALPHANUMERIC}', 1 + CAST(hash(${a[1]}, i) % 62 AS INTEGER), 1)), '')`
  ),
  COUNT: rename('count'),
  SUM: rename('sum'),
  MIN: rename('min'),
  MAX: rename('max'),
  // DuckDB's count_if gives NULL over no rows; Snowflake's COUNT_IF, like COUNT, gives 0.
  COUNT_IF: (a) => (arity('COUNT_IF', a, 1), `count(CASE WHEN ${a[0]} THEN 1 END)`),
  ANY_VALUE: rename('any_value'),
  COALESCE: rename('coalesce'),
  NVL: rename('coalesce'),
  IFNULL: rename('coalesce'),
  NULLIF: rename('nullif'),
  IFF: rename('if'),
  NVL2: (a) => (arity('NVL2', a, 3), `(CASE WHEN ${a[0]} IS NOT NULL THEN ${a[1]} ELSE ${a[2]} END)`),
  ZEROIFNULL: (a) => (arity('ZEROIFNULL', a, 1), `coalesce(${a[0]}, 0)`),
  CONCAT: (a) => `(${a.join(' || ')})`,
  UPPER: rename('upper'),
  LOWER: rename('lower'),
  LENGTH: rename('length'),
  LEN: rename('length'),
  TRIM: rename('trim'),
  LTRIM: rename('ltrim'),
  RTRIM: rename('rtrim'),
  SUBSTR: rename('substring'),
  SUBSTRING: rename('substring'),
  REPLACE: rename('replace'),
  LEFT: rename('left'),
  RIGHT: rename('right'),
  STARTSWITH: rename('starts_with'),
  ENDSWITH: rename('ends_with'),
  CONTAINS: rename('contains'),
  LPAD: rename('lpad'),
  RPAD: rename('rpad'),
  REVERSE: rename('reverse'),
  ABS: rename('abs'),
  FLOOR: rename('floor'),
  CEIL: rename('ceil'),
  CEILING: rename('ceil'),
  ROUND: rename('round'),
  MOD: rename('mod'),
  // Bytes of the UTF-8 text; DuckDB's strlen counts bytes (its octet_length takes only BLOB).
  OCTET_LENGTH: (a) => (arity('OCTET_LENGTH', a, 1), `strlen(${a[0]})`),
  // Upper-case hex by default; HEX_ENCODE(x, 0) gives lower case.
  HEX_ENCODE: (a) => {
    arity('HEX_ENCODE', a, 1, 2);
    if (a[1] !== undefined && a[1] !== '0' && a[1] !== '1') throw unsupported(`HEX_ENCODE with case ${a[1]}`);
    return a[1] === '0' ? `lower(hex(${a[0]}))` : `hex(${a[0]})`;
  },
  MD5: rename('md5'),
  MD5_HEX: rename('md5'),
  SHA1: rename('sha1'),
  SHA1_HEX: rename('sha1'),
  SHA2: sha2,
  SHA2_HEX: sha2,
  ROW_NUMBER: rename('row_number'),
  RANK: rename('rank'),
  DENSE_RANK: rename('dense_rank'),
  TO_VARCHAR: toText,
  TO_CHAR: toText,
  TO_NUMBER: toNumber,
  TO_DECIMAL: toNumber,
  TO_NUMERIC: toNumber,
  TO_DOUBLE: (a) => (arity('TO_DOUBLE', a, 1), `CAST(${a[0]} AS DOUBLE)`),
  TO_BOOLEAN: (a, ctx) => (arity('TO_BOOLEAN', a, 1), `sf_to_boolean(${typed(a[0])}, ${ctx.context})`),
  TO_DATE: (a, ctx) => (arity('TO_DATE', a, 1), `sf_to_date(${typed(a[0])}, ${ctx.context})`),
  DATE: (a, ctx) => (arity('DATE', a, 1), `sf_to_date(${typed(a[0])}, ${ctx.context})`),
  TO_TIME: (a, ctx) => (arity('TO_TIME', a, 1), `sf_to_time_9(${typed(a[0])}, ${ctx.context})`),
  TO_TIMESTAMP: timestampFunction('MAPPED'),
  TO_TIMESTAMP_NTZ: timestampFunction('TIMESTAMP_NTZ'),
  TO_TIMESTAMP_LTZ: timestampFunction('TIMESTAMP_LTZ'),
  TO_TIMESTAMP_TZ: timestampFunction('TIMESTAMP_TZ'),
  TO_BINARY: (a, ctx) => (
    arity('TO_BINARY', a, 1, 2),
    `sf_to_binary(${typed(a[0])}, ${a[1] ?? 'CAST(NULL AS VARCHAR)'}, ${ctx.context})`
  ),
  PARSE_JSON: (a, ctx) => (arity('PARSE_JSON', a, 1), `sf_to_variant(${typed(a[0])}, ${ctx.context})`),
  // NULL instead of the error PARSE_JSON raises for text that is not JSON.
  TRY_PARSE_JSON: (a, ctx) => (
    arity('TRY_PARSE_JSON', a, 1),
    `sf_try_to_variant(${typed(a[0])}, ${ctx.context})`
  ),
  PI: (a) => (arity('PI', a, 0), 'pi()'),
  // Geospatial (values/spatial.ts): the constructors from WKT/WKB/EWKT/EWKB text, WKB and SRID out.
  TO_GEOGRAPHY: (a, ctx) => (arity('TO_GEOGRAPHY', a, 1), `sf_to_geography(${typed(a[0])}, ${ctx.context})`),
  TO_GEOMETRY: (a, ctx) => (arity('TO_GEOMETRY', a, 1), `sf_to_geometry(${typed(a[0])}, ${ctx.context})`),
  ST_ASWKB: (a) => (arity('ST_ASWKB', a, 1), `sf_st_aswkb(${a[0]})`),
  ST_ASBINARY: (a) => (arity('ST_ASBINARY', a, 1), `sf_st_aswkb(${a[0]})`),
  ST_SRID: (a) => (arity('ST_SRID', a, 1), `sf_st_srid(${a[0]})`),
};

/** Context functions answered from the session. */
const CONSTANTS = new Set([
  'CURRENT_VERSION',
  'CURRENT_ACCOUNT',
  'CURRENT_ACCOUNT_NAME',
  'CURRENT_USER',
  'CURRENT_ROLE',
  'CURRENT_DATABASE',
  'CURRENT_SCHEMA',
  'CURRENT_WAREHOUSE',
  'CURRENT_SESSION',
  'CURRENT_REGION',
  'CURRENT_CLIENT',
  'CURRENT_TIMESTAMP',
  'CURRENT_DATE',
  'CURRENT_TIME',
  'SYSDATE',
  'GETDATE',
  'LOCALTIMESTAMP',
  'LOCALTIME',
  'SYSTIMESTAMP',
]);

export function isConstantFunction(name: string): boolean {
  return CONSTANTS.has(name);
}

export function translateFunction(
  name: string,
  args: string[],
  ctx: FunctionContext,
  types: ArgumentTypes = [],
): string {
  if (CONSTANTS.has(name)) {
    const value = ctx.constant(name);
    // A precision argument changes nothing: the clock has millisecond resolution.
    const precisionOnly = args.length === 1 && /^\d+$/.test(args[0]!) && Number(args[0]) >= 3;
    if (value === undefined || (args.length > 0 && !precisionOnly))
      throw unsupported(`${name} with arguments`);
    return value;
  }
  const translation = FUNCTIONS[name];
  if (!translation) throw unsupported(`function ${name}`);
  return translation(args, ctx, types);
}
