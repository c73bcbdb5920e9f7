/**
 * Turns the values a batch SELECT returns into the text Snowflake loads: one CSV line per row for the
 * `copy` method, or an array of bind values for `insert`. Values arrive already exact (see type-map.ts),
 * so most pass through; what is checked here is Snowflake's size limits (never a silent cut).
 * Hot path: formatters are built once per batch, not per value.
 */
import { MigrationError } from '../contracts/errors';
import { spatialLoadText } from './spatial';
import { parseVariantRead, variantJson } from './variant';
import type { ColumnMapping } from './type-map';

export interface RowDescription {
  /** Display name of the source table, for error messages. */
  tableName: string;
  columns: ColumnMapping[];
  /** Positions of the key columns in a row, to say which row a bad value is in. */
  keyPositions: number[];
}

type ToText = (value: unknown, row: unknown[]) => string | null;

/**
 * A UTF-16 surrogate without its pair: nvarchar stores UTF-16 code units as they come (UCS-2 under a
 * non-SC collation, https://learn.microsoft.com/sql/relational-databases/collations/collation-and-unicode-support),
 * so a lone one can be stored, but UTF-8 has no form for it and the file, the INSERT binds and the
 * checksum would all carry U+FFFD instead: a changed value proven equal. Found here, it fails the table.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A key value as text, a lone surrogate written as its escape (it has no UTF-8 form to show). */
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const keyValueText = (value: unknown): string =>
  String(value).replace(LONE_SURROGATES, (u) => `\\u${u.charCodeAt(0).toString(16).toUpperCase()}`);

function describeRow(description: RowDescription, row: unknown[]): string {
  if (!description.keyPositions.length) return 'a row';
  const parts = description.keyPositions.map(
    (p) => `${description.columns[p]!.column.name}=${keyValueText(row[p])}`,
  );
  return `the row with key (${parts.join(', ')})`;
}

function tooLong(description: RowDescription, mapping: ColumnMapping, row: unknown[], bytes: number): never {
  const what = mapping.kind === 'binary' ? 'BINARY' : 'VARCHAR';
  throw new MigrationError(
    'ValueTooLong',
    `${description.tableName}.${mapping.column.name} in ${describeRow(description, row)} holds ${bytes.toLocaleString('en-US')} bytes; ` +
      `Snowflake ${what} holds at most ${mapping.maxBytes!.toLocaleString('en-US')} bytes. ` +
      'The value was not cut: shorten or exclude the column (excludeColumns), then run again.',
  );
}

function notUnicode(
  description: RowDescription,
  mapping: ColumnMapping,
  row: unknown[],
  at: number,
  text: string,
): never {
  const unit = text.charCodeAt(at).toString(16).toUpperCase();
  throw new MigrationError(
    'SourceValueNotUnicode',
    `${description.tableName}.${mapping.column.name} in ${describeRow(description, row)} holds a lone UTF-16 surrogate (\\u${unit} at character ${at + 1}), ` +
      'which UTF-8 cannot carry: Snowflake would get U+FFFD instead of it. Nothing was replaced: correct the value in the source or exclude the column (excludeColumns), then run again.',
  );
}

function textConverter(description: RowDescription, mapping: ColumnMapping): ToText {
  const limit = mapping.maxBytes;
  return (value, row) => {
    if (value === null || value === undefined) return null;
    const text = value as string;
    const lone = LONE_SURROGATE.exec(text);
    if (lone) notUnicode(description, mapping, row, lone.index, text);
    // UTF-8 needs at most 3 bytes per UTF-16 unit: only long strings need an exact count.
    if (limit !== undefined && text.length * 3 > limit) {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > limit) tooLong(description, mapping, row, bytes);
    }
    return text;
  };
}

function binaryConverter(description: RowDescription, mapping: ColumnMapping): ToText {
  const limit = mapping.maxBytes;
  return (value, row) => {
    if (value === null || value === undefined) return null;
    const bytes = value as Buffer;
    if (limit !== undefined && bytes.length > limit) tooLong(description, mapping, row, bytes.length);
    return bytes.toString('hex').toUpperCase();
  };
}

/**
 * geography/geometry read as `<SRID>;<hex WKB>`: loaded as hex WKB or EWKB (spatial.ts), or the run
 * stops naming the row and why Snowflake's type cannot hold the value.
 */
function spatialConverter(description: RowDescription, mapping: ColumnMapping): ToText {
  const target = mapping.targetType === 'GEOGRAPHY' ? 'GEOGRAPHY' : 'GEOMETRY';
  return (value, row) => {
    if (value === null || value === undefined) return null;
    const loaded = spatialLoadText(value as string, target);
    if ('text' in loaded) return loaded.text;
    throw new MigrationError(
      'ValueNotRepresentable',
      `${description.tableName}.${mapping.column.name} in ${describeRow(description, row)} ${loaded.problem}; ` +
        `Snowflake ${target} cannot hold it. Nothing of it was dropped: convert or exclude the column (excludeColumns), then run again.`,
    );
  };
}

/**
 * sql_variant read as `<BaseType>;<Precision>;<Scale>;<MaxLength>;<value>` (variant.ts): loaded as the
 * JSON object {"type","value"}, or the run stops naming the row when SQL Server's answer does not read.
 */
function variantConverter(description: RowDescription, mapping: ColumnMapping): ToText {
  // A lone surrogate is refused as in nvarchar: JSON would escape it, and Snowflake hold U+FFFD or fail.
  const text = textConverter(description, mapping);
  return (value, row) => {
    const read = text(value, row);
    if (read === null) return null;
    const parsed = parseVariantRead(read);
    if ('problem' in parsed) {
      throw new MigrationError(
        'ValueNotRepresentable',
        `${description.tableName}.${mapping.column.name} in ${describeRow(description, row)} ${parsed.problem}. ` +
          'Nothing of it was dropped: convert or exclude the column (excludeColumns), then run again.',
      );
    }
    return variantJson(parsed);
  };
}

const asString: ToText = (value) => (value === null || value === undefined ? null : String(value));
/**
 * float and real are IEEE doubles in both databases: String gives the shortest text that reads back as
 * the same double, and -0 keeps its sign, which String(-0) drops.
 */
const asDouble: ToText = (value) =>
  value === null || value === undefined ? null : Object.is(value, -0) ? '-0' : String(value);
const asBoolean: ToText = (value) =>
  value === null || value === undefined ? null : value ? 'TRUE' : 'FALSE';

function converter(description: RowDescription, mapping: ColumnMapping): ToText {
  switch (mapping.kind) {
    case 'text':
      return textConverter(description, mapping);
    case 'binary':
      return binaryConverter(description, mapping);
    case 'boolean':
      return asBoolean;
    case 'float':
      return asDouble;
    case 'spatial':
      return spatialConverter(description, mapping);
    case 'variant':
      return variantConverter(description, mapping);
    default:
      // integers, exact decimal text, and date/time text already formatted by SQL Server.
      return asString;
  }
}

/** Values for `INSERT ... VALUES (?, ...)` binds: text or null per column, then the extra columns. */
export function bindRowFormatter(
  description: RowDescription,
  extra: string[],
): (row: unknown[]) => (string | null)[] {
  const converters = description.columns.map((m) => converter(description, m));
  return (row) => {
    const values: (string | null)[] = converters.map((convert, i) => convert(row[i], row));
    values.push(...extra);
    return values;
  };
}

function quoteCsv(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * One CSV line (with its newline) per row for COPY INTO. An empty unquoted field is NULL
 * (EMPTY_FIELD_AS_NULL), so character data is always quoted (an empty string is `""`) and an empty
 * binary value is written `""` too; other kinds never contain , " or newlines and are never empty.
 */
export function csvRowFormatter(description: RowDescription, extra: string[]): (row: unknown[]) => string {
  const fields = description.columns.map((mapping) => {
    const convert = converter(description, mapping);
    if (mapping.kind === 'text' || mapping.kind === 'variant')
      return (value: unknown, row: unknown[]) => {
        const text = convert(value, row);
        return text === null ? null : quoteCsv(text);
      };
    if (mapping.kind === 'binary')
      return (value: unknown, row: unknown[]) => {
        const hex = convert(value, row);
        return hex === '' ? '""' : hex;
      };
    return convert;
  });
  const tail = extra.length ? `,${extra.join(',')}\n` : '\n';
  return (row) => {
    let line = '';
    for (let i = 0; i < fields.length; i += 1) {
      if (i > 0) line += ',';
      line += fields[i]!(row[i], row) ?? '';
    }
    return line + tail;
  };
}

/** The MIGRATED_AT value: the batch's load time in UTC, millisecond precision, explicit offset. */
export function formatMigratedAt(loadedAt: Date): string {
  return `${loadedAt.toISOString().replace('T', ' ').replace('Z', '')} +00:00`;
}
