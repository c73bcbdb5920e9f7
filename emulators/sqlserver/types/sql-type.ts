/**
 * SQL Server's declared types: names, default sizes, precedence and the metadata SQL Server reports for
 * them (sys.columns, INFORMATION_SCHEMA). Everything that needs "what kind of value is this" starts here.
 */
import { SqlError } from '../errors';

export type SqlTypeName =
  | 'tinyint'
  | 'smallint'
  | 'int'
  | 'bigint'
  | 'bit'
  | 'decimal'
  | 'numeric'
  | 'money'
  | 'smallmoney'
  | 'float'
  | 'real'
  | 'date'
  | 'time'
  | 'datetime'
  | 'smalldatetime'
  | 'datetime2'
  | 'datetimeoffset'
  | 'char'
  | 'varchar'
  | 'nchar'
  | 'nvarchar'
  | 'text'
  | 'ntext'
  | 'binary'
  | 'varbinary'
  | 'image'
  | 'uniqueidentifier'
  | 'xml'
  | 'sql_variant'
  | 'geography'
  | 'geometry'
  | 'hierarchyid';

/** `length` counts characters (byte pairs for n-types) or bytes; MAX (-1) is `(max)`. */
export interface SqlType {
  readonly name: SqlTypeName;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

export const MAX = -1;

const INTEGER_TYPES = new Set<SqlTypeName>(['tinyint', 'smallint', 'int', 'bigint']);
const EXACT_NUMERIC_TYPES = new Set<SqlTypeName>([
  'tinyint',
  'smallint',
  'int',
  'bigint',
  'decimal',
  'numeric',
  'money',
  'smallmoney',
]);
const DATE_TIME_TYPES = new Set<SqlTypeName>([
  'date',
  'time',
  'datetime',
  'smalldatetime',
  'datetime2',
  'datetimeoffset',
]);
const STRING_TYPES = new Set<SqlTypeName>(['char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext']);
const BINARY_TYPES = new Set<SqlTypeName>(['binary', 'varbinary', 'image']);

export const isIntegerType = (t: SqlType): boolean => INTEGER_TYPES.has(t.name);

/** The values each integer type holds. */
export const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  tinyint: [0n, 255n],
  smallint: [-32_768n, 32_767n],
  int: [-2_147_483_648n, 2_147_483_647n],
  bigint: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
};
export const isExactNumeric = (t: SqlType): boolean => EXACT_NUMERIC_TYPES.has(t.name);
export const isScaledNumeric = (t: SqlType): boolean =>
  t.name === 'decimal' || t.name === 'numeric' || t.name === 'money' || t.name === 'smallmoney';
export const isApproxNumeric = (t: SqlType): boolean => t.name === 'float' || t.name === 'real';
export const isNumeric = (t: SqlType): boolean => isExactNumeric(t) || isApproxNumeric(t) || t.name === 'bit';
export const isDateTimeType = (t: SqlType): boolean => DATE_TIME_TYPES.has(t.name);
export const isStringType = (t: SqlType): boolean => STRING_TYPES.has(t.name);
export const isUnicodeType = (t: SqlType): boolean =>
  t.name === 'nchar' || t.name === 'nvarchar' || t.name === 'ntext' || t.name === 'xml';
export const isBinaryType = (t: SqlType): boolean => BINARY_TYPES.has(t.name);
/** Types SQL Server refuses to compare or sort (error 306). */
export const isLargeObjectType = (t: SqlType): boolean =>
  t.name === 'text' || t.name === 'ntext' || t.name === 'image' || t.name === 'xml';

/** The scale a value of this type carries: decimal digits for exact numerics, fraction digits for times. */
export function scaleOf(t: SqlType): number {
  if (t.name === 'money' || t.name === 'smallmoney') return 4;
  return t.scale ?? 0;
}

export function precisionOf(t: SqlType): number {
  switch (t.name) {
    case 'tinyint':
      return 3;
    case 'smallint':
      return 5;
    case 'int':
      return 10;
    case 'bigint':
      return 19;
    case 'money':
      return 19;
    case 'smallmoney':
      return 10;
    case 'bit':
      return 1;
    default:
      return t.precision ?? 0;
  }
}

export const INT: SqlType = { name: 'int' };
export const BIGINT: SqlType = { name: 'bigint' };
export const BIT: SqlType = { name: 'bit' };
export const FLOAT: SqlType = { name: 'float' };
export const SYSNAME: SqlType = { name: 'nvarchar', length: 128 };
export const nvarchar = (length: number): SqlType => ({ name: 'nvarchar', length });
export const varchar = (length: number): SqlType => ({ name: 'varchar', length });
export const decimal = (precision: number, scale: number): SqlType => ({ name: 'decimal', precision, scale });

/** SQL Server's precedence: when two types meet, the value of the lower one is converted. */
const PRECEDENCE: SqlTypeName[] = [
  // CLR types (the spatial ones and hierarchyid) rank above every system type.
  'geography',
  'geometry',
  'hierarchyid',
  'sql_variant',
  'xml',
  'datetimeoffset',
  'datetime2',
  'datetime',
  'smalldatetime',
  'date',
  'time',
  'float',
  'real',
  'decimal',
  'numeric',
  'money',
  'smallmoney',
  'bigint',
  'int',
  'smallint',
  'tinyint',
  'bit',
  'ntext',
  'text',
  'image',
  'uniqueidentifier',
  'nvarchar',
  'nchar',
  'varchar',
  'char',
  'varbinary',
  'binary',
];

export function precedence(t: SqlType): number {
  const rank = PRECEDENCE.indexOf(t.name === 'numeric' ? 'decimal' : t.name);
  return PRECEDENCE.length - rank;
}

export function higherPrecedence(a: SqlType, b: SqlType): SqlType {
  return precedence(a) >= precedence(b) ? a : b;
}

const ALIASES: Record<string, SqlTypeName> = {
  integer: 'int',
  dec: 'decimal',
  'double precision': 'float',
  sysname: 'nvarchar',
  'character varying': 'varchar',
  character: 'char',
  'national character varying': 'nvarchar',
  'national char varying': 'nvarchar',
  'national character': 'nchar',
  'national char': 'nchar',
  'national text': 'ntext',
  rowversion: 'binary',
  timestamp: 'binary',
};

const KNOWN = new Set<string>(PRECEDENCE);

function sizeError(name: string, size: number, limit: number): SqlError {
  return new SqlError(
    131,
    `The size (${size}) given to the type '${name}' exceeds the maximum allowed for any data type (${limit}).`,
    { class: 15 },
  );
}

/**
 * A type as written in T-SQL (`nvarchar(50)`, `decimal(38, 4)`, `varchar(max)`), with SQL Server's defaults
 * for omitted arguments. `inCast` applies the CAST/CONVERT default of 30 characters instead of 1.
 */
export function resolveType(rawName: string, args: (number | 'max')[], inCast = false): SqlType {
  const lower = rawName.toLowerCase();
  if (lower === 'sysname') return SYSNAME;
  if (lower === 'rowversion' || lower === 'timestamp') return { name: 'binary', length: 8 };
  const name = ALIASES[lower] ?? (KNOWN.has(lower) ? (lower as SqlTypeName) : undefined);
  if (!name) throw new SqlError(2715, `Column, parameter, or variable #1: Cannot find data type ${rawName}.`);
  const [a0, a1] = args;
  if (args.length > 0 && !['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary'].includes(name)) {
    if (a0 === 'max') throw new SqlError(102, `Incorrect syntax near 'max'.`);
  }
  switch (name) {
    case 'char':
    case 'varchar':
    case 'binary':
    case 'varbinary':
    case 'nchar':
    case 'nvarchar': {
      const unicode = name === 'nchar' || name === 'nvarchar';
      const limit = unicode ? 4000 : 8000;
      if (a0 === 'max') {
        if (name === 'char' || name === 'nchar' || name === 'binary')
          throw new SqlError(102, `Incorrect syntax near 'max'.`);
        return { name, length: MAX };
      }
      const length = a0 ?? (inCast ? 30 : 1);
      if (length < 1)
        throw new SqlError(1001, `Line 1: Length or precision specification ${length} is invalid.`);
      if (length > limit) throw sizeError(name, length, limit);
      return { name, length };
    }
    case 'decimal':
    case 'numeric': {
      const precision = (a0 as number | undefined) ?? 18;
      const scale = (a1 as number | undefined) ?? 0;
      if (precision < 1 || precision > 38)
        throw new SqlError(
          2750,
          `Column or parameter #1: Specified column precision ${precision} is greater than the maximum precision of 38.`,
        );
      if (scale < 0 || scale > precision)
        throw new SqlError(
          2751,
          `Column or parameter #1: Specified column scale ${scale} is greater than the specified precision of ${precision}.`,
        );
      return { name, precision, scale };
    }
    case 'float': {
      const bits = (a0 as number | undefined) ?? 53;
      if (bits < 1 || bits > 53)
        throw new SqlError(
          2750,
          `Column or parameter #1: Specified column precision ${bits} is greater than the maximum precision of 53.`,
        );
      return bits <= 24 ? { name: 'real' } : { name: 'float' };
    }
    case 'time':
    case 'datetime2':
    case 'datetimeoffset': {
      const scale = (a0 as number | undefined) ?? 7;
      if (scale < 0 || scale > 7) throw new SqlError(1002, `Line 1: Specified scale ${scale} is invalid.`);
      return { name, scale };
    }
    default:
      return { name };
  }
}

/** The type as SQL Server prints it in messages and catalog views (`nvarchar(50)`, `decimal(38,4)`). */
export function typeDisplayName(t: SqlType): string {
  switch (t.name) {
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
    case 'binary':
    case 'varbinary':
      return `${t.name}(${t.length === MAX ? 'max' : t.length})`;
    case 'decimal':
    case 'numeric':
      return `${t.name}(${t.precision},${t.scale})`;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return `${t.name}(${t.scale})`;
    default:
      return t.name;
  }
}

/** sys.types.system_type_id, also used by INFORMATION_SCHEMA's definitions. */
export const SYSTEM_TYPE_IDS: Record<SqlTypeName, number> = {
  image: 34,
  text: 35,
  uniqueidentifier: 36,
  date: 40,
  time: 41,
  datetime2: 42,
  datetimeoffset: 43,
  tinyint: 48,
  smallint: 52,
  int: 56,
  smalldatetime: 58,
  real: 59,
  money: 60,
  datetime: 61,
  float: 62,
  sql_variant: 98,
  ntext: 99,
  bit: 104,
  decimal: 106,
  numeric: 108,
  smallmoney: 122,
  bigint: 127,
  varbinary: 165,
  varchar: 167,
  binary: 173,
  char: 175,
  xml: 241,
  nvarchar: 231,
  nchar: 239,
  // Both spatial types are CLR user-defined types (system_type_id 240); user_type_id tells them apart.
  geography: 240,
  geometry: 240,
  hierarchyid: 240,
};

/** sys.columns/sys.types.user_type_id where it differs from system_type_id. */
export const USER_TYPE_IDS: Partial<Record<SqlTypeName, number>> = {
  geography: 130,
  geometry: 129,
  hierarchyid: 128,
};

/** The spatial types: created and described (catalog only); their values are refused. */
export const isSpatialType = (t: SqlType): boolean => t.name === 'geography' || t.name === 'geometry';

/** The CLR user-defined types, which SQL Server sends as UDT (0xF0) values: the stand-in does not. */
export const isClrType = (t: SqlType): boolean => isSpatialType(t) || t.name === 'hierarchyid';

/** Bytes needed by a decimal of this precision, as SQL Server stores and sends it. */
export function decimalStorageBytes(precision: number): number {
  if (precision <= 9) return 5;
  if (precision <= 19) return 9;
  if (precision <= 28) return 13;
  return 17;
}

/** Bytes of the time part of time/datetime2/datetimeoffset at this fractional scale. */
export function timeStorageBytes(scale: number): number {
  if (scale <= 2) return 3;
  if (scale <= 4) return 4;
  return 5;
}

/** sys.columns.max_length */
export function maxLengthBytes(t: SqlType): number {
  switch (t.name) {
    case 'geography':
    case 'geometry':
      return -1;
    case 'hierarchyid':
      return 892;
    case 'tinyint':
    case 'bit':
      return 1;
    case 'smallint':
      return 2;
    case 'int':
    case 'real':
    case 'smallmoney':
    case 'smalldatetime':
      return 4;
    case 'bigint':
    case 'float':
    case 'money':
    case 'datetime':
      return 8;
    case 'decimal':
    case 'numeric':
      return decimalStorageBytes(t.precision ?? 18);
    case 'date':
      return 3;
    case 'time':
      return timeStorageBytes(t.scale ?? 7);
    case 'datetime2':
      return timeStorageBytes(t.scale ?? 7) + 3;
    case 'datetimeoffset':
      return timeStorageBytes(t.scale ?? 7) + 5;
    case 'char':
    case 'varchar':
    case 'binary':
    case 'varbinary':
      return t.length === MAX ? -1 : (t.length ?? 1);
    case 'nchar':
    case 'nvarchar':
      return t.length === MAX ? -1 : (t.length ?? 1) * 2;
    case 'text':
    case 'ntext':
    case 'image':
      return 16;
    case 'uniqueidentifier':
      return 16;
    case 'xml':
      return -1;
    case 'sql_variant':
      return 8016;
  }
}

/** sys.columns.precision */
export function catalogPrecision(t: SqlType): number {
  switch (t.name) {
    case 'float':
      return 53;
    case 'real':
      return 24;
    case 'date':
      return 10;
    case 'time':
      return 8 + fractionWidth(t.scale ?? 7);
    case 'datetime2':
      return 19 + fractionWidth(t.scale ?? 7);
    case 'datetimeoffset':
      return 26 + fractionWidth(t.scale ?? 7);
    case 'datetime':
      return 23;
    case 'smalldatetime':
      return 16;
    default:
      return isExactNumeric(t) || t.name === 'bit' ? precisionOf(t) : 0;
  }
}

/** sys.columns.scale */
export function catalogScale(t: SqlType): number {
  if (t.name === 'datetime') return 3;
  if (isExactNumeric(t) || t.name === 'time' || t.name === 'datetime2' || t.name === 'datetimeoffset')
    return scaleOf(t);
  return 0;
}

const fractionWidth = (scale: number): number => (scale > 0 ? scale + 1 : 0);
