/**
 * Scalar functions the translated SQL calls for what DuckDB cannot do the Snowflake way: TO_VARCHAR
 * with Snowflake format models, and conversions to BOOLEAN, DATE, BINARY, TIME, TIMESTAMP_* and
 * VARIANT (AUTO detection of date and time formats, session time zone, nine fractional digits).
 *
 * Each takes its input as ANY and reads the actual type from the vector. The last argument is the
 * session context as JSON (time zone, output formats), so the functions stay free of session state;
 * they are registered once per DuckDB instance.
 */
import {
  ANY,
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DuckDBBlobValue,
  type DuckDBDataChunk,
  DuckDBScalarFunction,
  HUGEINT,
  INTEGER,
  LIST,
  listValue,
  structValue,
  SQLNULL,
  STRUCT,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { SnowflakeError, internal, unsupported } from '../errors';
import { isSpatial, MAX_TEXT_LENGTH, structTag, type SnowflakeType } from '../types';
import { asWkb, sridOf } from '../values/spatial';
import { convertValue, type ConvertContext } from '../values/convert';
import { toVarchar } from '../values/format';
import { checkTextLength, parseBinary, type BinaryFormat } from '../values/parse';
import { variantAt, variantEntries } from '../values/json-text';
import { columnReader, duckValue, type ColumnReader } from './duck-values';

/** A Snowflake error travels through DuckDB inside the message of the function's error. */
const UDF_ERROR = /SFERR\|([0-9]{6})\|([0-9A-Z]{5})\|([\s\S]*?)\|SFEND/;

function encodeUdfError(err: SnowflakeError): string {
  return `SFERR|${err.code}|${err.sqlState}|${err.message}|SFEND`;
}

export function decodeUdfError(message: string): SnowflakeError | undefined {
  const m = UDF_ERROR.exec(message);
  return m ? new SnowflakeError(m[1]!, m[2]!, m[3]!) : undefined;
}

const contexts = new Map<string, ConvertContext>();

function contextOf(json: string): ConvertContext {
  let ctx = contexts.get(json);
  if (!ctx) {
    ctx = JSON.parse(json) as ConvertContext;
    if (contexts.size > 100) contexts.clear();
    contexts.set(json, ctx);
  }
  return ctx;
}

type RowFunction = (args: DuckDBValue[], readers: ColumnReader[]) => DuckDBValue;

function define(
  connection: DuckDBConnection,
  name: string,
  returnType: DuckDBType,
  parameterTypes: DuckDBType[],
  fn: RowFunction,
): void {
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name,
      returnType,
      parameterTypes,
      specialHandling: true,
      mainFunction: (_info, input, output) => {
        const columns = parameterTypes.map((_t, k) => argumentColumn(input, k));
        const readers = columns.map((c) => columnReader(c.type));
        try {
          for (let row = 0; row < input.rowCount; row++) {
            output.setItem(
              row,
              fn(
                columns.map((c) => c.item(row)),
                readers,
              ),
            );
          }
        } catch (err) {
          const sfError = err instanceof SnowflakeError ? err : internal((err as Error).message);
          throw new Error(encodeUdfError(sfError));
        }
        output.flush();
      },
    }),
  );
}

/**
 * An argument's values. node-api has no vector for a column DuckDB typed NULL (`FROM VALUES (NULL)`, a
 * column of NULL binds): every row of such a column is NULL.
 */
function argumentColumn(
  input: DuckDBDataChunk,
  k: number,
): { type: DuckDBType; item: (row: number) => DuckDBValue } {
  try {
    const vector = input.getColumnVector(k);
    return { type: vector.type, item: (row) => vector.getItem(row) };
  } catch (err) {
    if (!/SQLNULL/.test((err as Error).message)) throw err;
    return { type: SQLNULL, item: () => null };
  }
}

/** One FLATTEN row: KEY, INDEX, PATH and VALUE (canonical text). */
const FLATTEN_ENTRY = STRUCT({ key: VARCHAR, index: BIGINT, path: VARCHAR, value: VARCHAR });

/** The canonical text of a VARIANT, OBJECT or ARRAY value (NULL stays NULL); other types are refused. */
function semiStructured(reader: ColumnReader, raw: DuckDBValue): string | null {
  const { kind } = reader.type;
  if (kind !== 'VARIANT' && kind !== 'OBJECT' && kind !== 'ARRAY')
    throw unsupported(`semi-structured access to a ${kind} value`);
  return reader.read(raw) as string | null;
}

/** The stored form of a GEOGRAPHY or GEOMETRY argument (NULL stays NULL); other types are refused. */
function spatialArgument(reader: ColumnReader, raw: DuckDBValue, fn: string): string | null {
  if (!isSpatial(reader.type)) throw unsupported(`${fn} of a ${reader.type.kind} value`);
  return reader.read(raw) as string | null;
}

/** Converts argument 0 to `to`; NULL stays NULL. */
function converting(to: SnowflakeType, ctxArg: number): RowFunction {
  return (args, readers) => {
    const value = readers[0]!.read(args[0] ?? null);
    if (value === null) return null;
    return duckValue(to, convertValue(readers[0]!.type, value, to, contextOf(args[ctxArg] as string)));
  };
}

/** A conversion that gives NULL where it would raise a Snowflake error (the TRY_ functions). */
function orNull(fn: RowFunction): RowFunction {
  return (args, readers) => {
    try {
      return fn(args, readers);
    } catch (err) {
      if (err instanceof SnowflakeError) return null;
      throw err;
    }
  };
}

export function registerFunctions(connection: DuckDBConnection): void {
  // sf_to_text(value, format model or NULL, maximum length, context)
  define(connection, 'sf_to_text', VARCHAR, [ANY, VARCHAR, INTEGER, VARCHAR], (args, readers) => {
    const value = readers[0]!.read(args[0] ?? null);
    if (value === null) return null;
    const ctx = contextOf(args[3] as string);
    const model = (args[1] as string | null) ?? undefined;
    const text = toVarchar(readers[0]!.type, value, model, ctx.params);
    return checkTextLength(text, (args[2] as number | null) ?? MAX_TEXT_LENGTH);
  });
  define(connection, 'sf_to_boolean', BOOLEAN, [ANY, VARCHAR], converting({ kind: 'BOOLEAN' }, 1));
  define(connection, 'sf_to_date', DATE, [ANY, VARCHAR], converting({ kind: 'DATE' }, 1));
  // sf_to_binary(value, format or NULL, context)
  define(connection, 'sf_to_binary', BLOB, [ANY, VARCHAR, VARCHAR], (args, readers) => {
    const value = readers[0]!.read(args[0] ?? null);
    if (value === null) return null;
    const type = readers[0]!.type;
    if (type.kind === 'BINARY') return duckValue(type, value);
    const ctx = contextOf(args[2] as string);
    const format = ((args[1] as string | null) ?? ctx.binaryFormat ?? 'HEX').toUpperCase() as BinaryFormat;
    return new DuckDBBlobValue(parseBinary(toVarchar(type, value, undefined, ctx.params), format));
  });
  for (const type of taggedTypes()) {
    const tag = structTag(type)!;
    const inner = type.kind === 'TIME' ? BIGINT : type.kind.startsWith('TIMESTAMP') ? HUGEINT : VARCHAR;
    define(
      connection,
      `sf_to_${tag.slice(3)}`,
      STRUCT({ [tag]: inner }),
      [ANY, VARCHAR],
      converting(type, 1),
    );
  }
  const variant: SnowflakeType = { kind: 'VARIANT' };
  const variantStruct = STRUCT({ [structTag(variant)!]: VARCHAR });
  // sf_variant_at(value, JSON array of keys and indexes): Snowflake's v:a.b[0].
  define(connection, 'sf_variant_at', variantStruct, [ANY, VARCHAR], (args, readers) => {
    const text = semiStructured(readers[0]!, args[0] ?? null);
    if (text === null) return null;
    const found = variantAt(text, JSON.parse(args[1] as string) as (string | number)[]);
    return found === undefined ? null : duckValue(variant, found);
  });
  // sf_variant_entries(value): FLATTEN's rows, one per member of an object or array.
  define(connection, 'sf_variant_entries', LIST(FLATTEN_ENTRY), [ANY], (args, readers) => {
    const text = semiStructured(readers[0]!, args[0] ?? null);
    const entries = text === null ? undefined : variantEntries(text);
    if (!entries) return listValue([]);
    return listValue(
      entries.map((e) =>
        structValue({
          key: e.key,
          index: e.index === null ? null : BigInt(e.index),
          path:
            e.key === null ? `[${e.index}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.key) ? e.key : `['${e.key}']`,
          value: e.value,
        }),
      ),
    );
  });
  // sf_st_aswkb(value), sf_st_srid(value): ST_ASWKB and ST_SRID of a GEOGRAPHY or GEOMETRY.
  define(connection, 'sf_st_aswkb', BLOB, [ANY], (args, readers) => {
    const stored = spatialArgument(readers[0]!, args[0] ?? null, 'ST_ASWKB');
    return stored === null ? null : new DuckDBBlobValue(asWkb(stored));
  });
  define(connection, 'sf_st_srid', INTEGER, [ANY], (args, readers) => {
    const stored = spatialArgument(readers[0]!, args[0] ?? null, 'ST_SRID');
    return stored === null ? null : sridOf(stored);
  });
  define(
    connection,
    'sf_try_to_variant',
    STRUCT({ [structTag(variant)!]: VARCHAR }),
    [ANY, VARCHAR],
    orNull(converting(variant, 1)),
  );
}

function taggedTypes(): SnowflakeType[] {
  const types: SnowflakeType[] = [
    { kind: 'VARIANT' },
    { kind: 'OBJECT' },
    { kind: 'ARRAY' },
    { kind: 'GEOGRAPHY' },
    { kind: 'GEOMETRY' },
  ];
  for (let scale = 0; scale <= 9; scale++) {
    types.push(
      { kind: 'TIME', scale },
      { kind: 'TIMESTAMP_NTZ', scale },
      { kind: 'TIMESTAMP_LTZ', scale },
      { kind: 'TIMESTAMP_TZ', scale },
    );
  }
  return types;
}
