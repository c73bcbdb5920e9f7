/**
 * COPY INTO <table> FROM <stage> ... as a plain description: which files, which file format, what to
 * do on errors. Pure.
 */
import { SnowflakeError, unsupported } from '../errors';
import { Cursor } from '../sql/cursor';
import type { Token } from '../sql/lexer';
import { parseStageReference, type StageReference } from '../stages';
import type { BinaryFormat } from '../values/parse';
import { DEFAULT_CSV_OPTIONS, type CsvOptions } from './csv';

export type Compression = 'AUTO' | 'GZIP' | 'ZSTD' | 'DEFLATE' | 'RAW_DEFLATE' | 'BROTLI' | 'NONE';

export type FileFormat =
  | {
      type: 'CSV';
      compression: Compression;
      csv: CsvOptions;
      binaryFormat: BinaryFormat;
      errorOnColumnCountMismatch: boolean;
    }
  | { type: 'PARQUET'; nullIf: string[]; binaryAsText: boolean }
  /** One VARIANT per JSON document (per element of a top-level array with STRIP_OUTER_ARRAY). */
  | { type: 'JSON'; compression: Compression; stripOuterArray: boolean };

export type OnError =
  | { kind: 'ABORT_STATEMENT' }
  | { kind: 'CONTINUE' }
  /** SKIP_FILE (limit 1), SKIP_FILE_n, 'SKIP_FILE_n%'. */
  | { kind: 'SKIP_FILE'; limit: number; percent: boolean };

/** One column of COPY's transformation: the file's field `field` (1-based), through PARSE_JSON or as it is. */
export interface TransformedField {
  field: number;
  parseJson: boolean;
}

export interface CopyStatement {
  table: string[];
  columns?: string[];
  /** `FROM (SELECT $1, PARSE_JSON($2) ... FROM @stage)`: what fills each column, in order. */
  transform?: TransformedField[];
  stage: StageReference;
  files?: string[];
  pattern?: string;
  /** FILE_FORMAT = (...) as written: empty means the stage's format, FORMAT_NAME a named one. */
  formatOptions: FormatOptions;
  onError: OnError;
  purge: boolean;
  force: boolean;
  matchByColumnName: 'NONE' | 'CASE_SENSITIVE' | 'CASE_INSENSITIVE';
  truncateColumns: boolean;
}

type Value = string | number | boolean | null | string[] | Map<string, Value>;
/** File format options, `NAME = value`; FORMAT_NAME holds a name's parts. */
export type FormatOptions = Map<string, Value>;

/** Options as JSON, for the catalog (a stage's FILE_FORMAT, CREATE FILE FORMAT). */
export const formatOptionsToJson = (options: FormatOptions): string => JSON.stringify([...options]);
export const formatOptionsFromJson = (json: string): FormatOptions =>
  new Map(JSON.parse(json) as [string, Value][]);

/**
 * FORMAT_NAME = name | 'name': the parts of the name (inside a string, unquoted parts fold to upper case
 * as identifiers do).
 */
function readFormatName(c: Cursor): string[] {
  if (c.peek()?.kind !== 'string') return c.qualifiedName();
  return c
    .string()
    .split('.')
    .map((part) => (/^".*"$/.test(part) ? part.slice(1, -1) : part.toUpperCase()));
}

/** The options of CREATE FILE FORMAT or of FILE_FORMAT = ( ... ), up to `stop`. */
export function readFormatOptions(c: Cursor, stop: () => boolean): FormatOptions {
  const options: FormatOptions = new Map();
  while (!stop()) {
    const name = c.identifier();
    c.expectOp('=');
    options.set(name, name === 'FORMAT_NAME' ? readFormatName(c) : readValue(c));
    c.acceptOp(',');
  }
  return options;
}

/** Reads an option value: 'text', NONE, TRUE/FALSE, a number, a bare word, or ('a', 'b'). */
function readValue(c: Cursor): Value {
  if (c.acceptOp('(')) {
    const list: string[] = [];
    while (!c.acceptOp(')')) {
      list.push(c.string());
      c.acceptOp(',');
    }
    return list;
  }
  const t = c.next();
  if (t.kind === 'string') return t.value;
  if (t.kind === 'number') return Number(t.value);
  if (t.kind === 'word')
    return t.value === 'TRUE' ? true : t.value === 'FALSE' ? false : t.value === 'NONE' ? null : t.value;
  throw c.error();
}

/** `NAME = value` pairs up to `stop`; FILE_FORMAT = ( ... ) nests. */
function readPairs(c: Cursor, stop: () => boolean): Map<string, Value> {
  const pairs = new Map<string, Value>();
  while (!stop()) {
    const name = c.identifier();
    c.expectOp('=');
    if (name === 'FILE_FORMAT' && c.acceptOp('('))
      pairs.set(
        name,
        readFormatOptions(c, () => c.acceptOp(')')),
      );
    else pairs.set(name, readValue(c));
    c.acceptOp(',');
  }
  return pairs;
}

/** A single character option (FIELD_DELIMITER = ',' or NONE). */
const char = (v: Value | undefined, fallback: string | undefined): string | undefined =>
  v === undefined ? fallback : v === null ? undefined : String(v);

const compressionOf = (options: FormatOptions): Compression => {
  const compression = String(options.get('COMPRESSION') ?? 'AUTO').toUpperCase() as Compression;
  if (!['AUTO', 'GZIP', 'ZSTD', 'DEFLATE', 'RAW_DEFLATE', 'BROTLI', 'NONE'].includes(compression))
    throw unsupported(`COMPRESSION = ${compression}`);
  return compression;
};

/** JSON options whose non-default values change what loads; the stand-in implements the defaults only. */
const JSON_DEFAULTS: Record<string, Value> = {
  STRIP_NULL_VALUES: false,
  ALLOW_DUPLICATE: false,
  ENABLE_OCTAL: false,
  IGNORE_UTF8_ERRORS: false,
  REPLACE_INVALID_CHARACTERS: false,
};

/** The file format the options describe (FORMAT_NAME already resolved). */
export function fileFormat(options: FormatOptions): FileFormat {
  const type = String(options.get('TYPE') ?? 'CSV').toUpperCase();
  if (type === 'JSON') {
    for (const [name, value] of options) {
      if (name in JSON_DEFAULTS && value !== JSON_DEFAULTS[name])
        throw unsupported(`the JSON file format option ${name} = ${String(value)}`);
    }
    return {
      type: 'JSON',
      compression: compressionOf(options),
      stripOuterArray: options.get('STRIP_OUTER_ARRAY') === true,
    };
  }
  const nullIf = (options.get('NULL_IF') as string[] | undefined) ?? DEFAULT_CSV_OPTIONS.nullIf;
  for (const name of ['DATE_FORMAT', 'TIME_FORMAT', 'TIMESTAMP_FORMAT']) {
    const v = options.get(name);
    if (v !== undefined && String(v).toUpperCase() !== 'AUTO') throw unsupported(`${name} other than AUTO`);
  }
  if (type === 'PARQUET') {
    return {
      type: 'PARQUET',
      nullIf: (options.get('NULL_IF') as string[] | undefined) ?? [],
      binaryAsText: options.get('BINARY_AS_TEXT') !== false,
    };
  }
  if (type !== 'CSV') throw unsupported(`file format TYPE = ${type}`);
  const encoding = String(options.get('ENCODING') ?? 'UTF8').toUpperCase();
  if (encoding !== 'UTF8' && encoding !== 'UTF-8') throw unsupported(`ENCODING = ${encoding}`);
  if (options.get('PARSE_HEADER') === true) throw unsupported('PARSE_HEADER');
  const compression = compressionOf(options);
  const binaryFormat = String(options.get('BINARY_FORMAT') ?? 'HEX')
    .toUpperCase()
    .replace('UTF-8', 'UTF8') as BinaryFormat;
  return {
    type: 'CSV',
    compression,
    binaryFormat,
    errorOnColumnCountMismatch: options.get('ERROR_ON_COLUMN_COUNT_MISMATCH') !== false,
    csv: {
      fieldDelimiter: char(options.get('FIELD_DELIMITER'), ',') ?? '\u0000',
      recordDelimiter: char(options.get('RECORD_DELIMITER'), '\n') ?? '\u0000',
      enclosure: char(options.get('FIELD_OPTIONALLY_ENCLOSED_BY'), undefined),
      escape: char(options.get('ESCAPE'), undefined),
      escapeUnenclosed: char(options.get('ESCAPE_UNENCLOSED_FIELD'), '\\'),
      nullIf,
      emptyFieldAsNull: options.get('EMPTY_FIELD_AS_NULL') !== false,
      skipHeader: Number(options.get('SKIP_HEADER') ?? 0),
      trimSpace: options.get('TRIM_SPACE') === true,
      skipBlankLines: options.get('SKIP_BLANK_LINES') === true,
    },
  };
}

function onError(value: Value | undefined): OnError {
  const text = String(value ?? 'ABORT_STATEMENT').toUpperCase();
  if (text === 'ABORT_STATEMENT') return { kind: 'ABORT_STATEMENT' };
  if (text === 'CONTINUE') return { kind: 'CONTINUE' };
  const m = /^SKIP_FILE(?:_(\d+)(%)?)?$/.exec(text);
  if (m) return { kind: 'SKIP_FILE', limit: Number(m[1] ?? 1), percent: m[2] === '%' };
  throw new SnowflakeError(
    '001003',
    '42000',
    `SQL compilation error:\ninvalid value '${text}' for property 'ON_ERROR'`,
  );
}

const FIELD = /^\$(\d+)$/;

/** `$n`, the file's n-th field: its number. */
function fieldNumber(c: Cursor): number {
  const m = FIELD.exec(c.peek()?.kind === 'word' ? c.next().value : '');
  if (!m) throw unsupported('COPY transformations other than $n and PARSE_JSON($n)');
  return Number(m[1]);
}

/**
 * The select list of COPY's transformation, up to its FROM: only `$n` and `PARSE_JSON($n)` (what the
 * migrator sends); other expressions, aliases, WHERE and joins are refused as not implemented.
 */
function readTransform(c: Cursor): TransformedField[] {
  c.expect('SELECT');
  const fields: TransformedField[] = [];
  do {
    if (c.accept('PARSE_JSON')) {
      c.expectOp('(');
      fields.push({ field: fieldNumber(c), parseJson: true });
      c.expectOp(')');
    } else fields.push({ field: fieldNumber(c), parseJson: false });
  } while (c.acceptOp(','));
  if (!c.accept('FROM')) throw unsupported('COPY transformations other than $n and PARSE_JSON($n)');
  return fields;
}

export function parseCopy(tokens: Token[], sqlLength: number): CopyStatement {
  const c = new Cursor(tokens, 0, sqlLength);
  c.expect('COPY', 'INTO');
  if (c.peek()?.kind === 'stage') throw unsupported('COPY INTO a stage (unloading)');
  const table = c.qualifiedName();
  let columns: string[] | undefined;
  if (c.acceptOp('(')) {
    columns = [c.identifier()];
    while (c.acceptOp(',')) columns.push(c.identifier());
    c.expectOp(')');
  }
  let stage: StageReference;
  let transform: TransformedField[] | undefined;
  // Without FROM, COPY loads from the table's own stage.
  let from = c.accept('FROM') ? c.next() : undefined;
  if (from?.kind === 'op' && from.value === '(') {
    transform = readTransform(c);
    from = c.next();
  }
  if (from === undefined) stage = { kind: 'table', name: table, path: '' };
  else if (from.kind === 'stage') stage = parseStageReference(from.value);
  else if (from.kind === 'string' && from.value.startsWith('@')) stage = parseStageReference(from.value);
  else throw unsupported('COPY from external locations (only @stage)');
  if (transform) c.expectOp(')');

  const options = readPairs(c, () => c.done || c.isOp(';'));
  c.end();
  // https://docs.snowflake.com/en/release-notes/bcr-bundles/2024_02/bcr-1514
  if (transform && String(options.get('MATCH_BY_COLUMN_NAME') ?? 'NONE').toUpperCase() !== 'NONE')
    throw new SnowflakeError(
      '002045',
      '42601',
      'SQL compilation error: match_by_column_name is not supported with copy transform',
    );
  for (const name of ['VALIDATION_MODE', 'FILE_FORMAT_NAME']) if (options.has(name)) throw unsupported(name);
  const formatOptions = options.get('FILE_FORMAT') ?? new Map<string, Value>();
  if (!(formatOptions instanceof Map)) throw unsupported('FILE_FORMAT other than ( ... )');
  // Checked now, so a bad option fails before any file is read (a named format is checked when resolved).
  if (!formatOptions.has('FORMAT_NAME') && formatOptions.size > 0) fileFormat(formatOptions);
  return {
    table,
    columns,
    ...(transform ? { transform } : {}),
    stage,
    files: options.get('FILES') as string[] | undefined,
    pattern: options.get('PATTERN') as string | undefined,
    formatOptions,
    onError: onError(options.get('ON_ERROR')),
    purge: options.get('PURGE') === true,
    force: options.get('FORCE') === true,
    matchByColumnName: String(
      options.get('MATCH_BY_COLUMN_NAME') ?? 'NONE',
    ).toUpperCase() as CopyStatement['matchByColumnName'],
    truncateColumns: options.get('TRUNCATECOLUMNS') === true || options.get('ENFORCE_LENGTH') === false,
  };
}
