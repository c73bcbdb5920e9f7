/**
 * sql_variant -> Snowflake VARIANT, keeping each value's base type. Pure.
 *
 * A sql_variant value carries its own base type (int, decimal(18,4), nvarchar(50), datetime2(3), ...), and
 * tedious decodes some of them lossily (decimal to a float, datetime2 to a millisecond Date), so SQL Server
 * itself gives each value's base type, precision, scale and maximum length (SQL_VARIANT_PROPERTY:
 * https://learn.microsoft.com/en-us/sql/t-sql/functions/sql-variant-property-transact-sql) and the value
 * converted to exact text for its base type (VARIANT_READ). The worker turns that into one JSON object,
 *
 *   {"type":"decimal(18,4)","value":"12.3400"}
 *
 * the value always a JSON string, so no digit goes through a double, which Snowflake loads with PARSE_JSON
 * (https://docs.snowflake.com/en/sql-reference/functions/parse_json) into a VARIANT holding an OBJECT
 * (https://docs.snowflake.com/en/sql-reference/data-types-semistructured). `v:value::NUMBER(18,4)`,
 * `v:value::TIMESTAMP_NTZ` and so on read it back typed in Snowflake.
 *
 * A NULL sql_variant has no base type (SQL_VARIANT_PROPERTY returns NULL for it), so it is loaded as SQL
 * NULL, never as a VARIANT holding JSON null: SQL Server has no "variant holding NULL" to carry.
 */

/** The base types sql_variant can hold, as SQL_VARIANT_PROPERTY(x, 'BaseType') names them (page above). */
export const VARIANT_BASE_TYPES = [
  'bigint',
  'binary',
  'bit',
  'char',
  'date',
  'datetime',
  'datetime2',
  'datetimeoffset',
  'decimal',
  'float',
  'int',
  'money',
  'nchar',
  'numeric',
  'nvarchar',
  'real',
  'smalldatetime',
  'smallint',
  'smallmoney',
  'time',
  'tinyint',
  'uniqueidentifier',
  'varbinary',
  'varchar',
] as const;
export type VariantBaseType = (typeof VARIANT_BASE_TYPES)[number];
const BASE_TYPES = new Set<string>(VARIANT_BASE_TYPES);

const property = (name: string) => `CAST(SQL_VARIANT_PROPERTY({c}, '${name}') AS nvarchar(128))`;

/**
 * The value as exact text, per base type. Converting a sql_variant converts its base-type value
 * (https://learn.microsoft.com/en-us/sql/t-sql/data-types/sql-variant-transact-sql); the styles are those
 * of https://learn.microsoft.com/en-us/sql/t-sql/functions/cast-and-convert-transact-sql:
 * - float, real: style 3, "Always 17 digits. Use for lossless conversion" (a real widened to float exactly);
 * - money, smallmoney: style 2, four decimals (CAST's default keeps two);
 * - datetime: style 121 (.mmm); smalldatetime: style 120 (CAST's default for both is `mon dd yyyy hh:miAM`);
 * - binary, varbinary: style 2, hex without 0x (CAST to nvarchar would read the bytes as characters);
 * - everything else by CAST to nvarchar(max): integers, bit, decimal with its scale, date, time, datetime2
 *   and datetimeoffset in style 121 with their own fraction digits (the default for those types),
 *   uniqueidentifier, and character data as it is, trailing spaces of char included.
 * Every branch is nvarchar(max): a CASE's type is its branches' (a shorter one would cut a long varchar).
 */
const VALUE_TEXT =
  `CASE ${property('BaseType')} ` +
  "WHEN N'float' THEN CONVERT(nvarchar(max), CAST({c} AS float), 3) " +
  "WHEN N'real' THEN CONVERT(nvarchar(max), CAST({c} AS float), 3) " +
  "WHEN N'money' THEN CONVERT(nvarchar(max), CAST({c} AS money), 2) " +
  "WHEN N'smallmoney' THEN CONVERT(nvarchar(max), CAST({c} AS money), 2) " +
  "WHEN N'datetime' THEN CONVERT(nvarchar(max), CAST({c} AS datetime), 121) " +
  "WHEN N'smalldatetime' THEN CONVERT(nvarchar(max), CAST({c} AS smalldatetime), 120) " +
  "WHEN N'binary' THEN CONVERT(nvarchar(max), CAST({c} AS varbinary(8000)), 2) " +
  "WHEN N'varbinary' THEN CONVERT(nvarchar(max), CAST({c} AS varbinary(8000)), 2) " +
  'ELSE CAST({c} AS nvarchar(max)) END';

/**
 * The T-SQL read of a sql_variant column (`{c}`: the column): NULL, or
 * `<BaseType>;<Precision>;<Scale>;<MaxLength>;<value text>` (the value last, as it may hold `;`).
 */
export const VARIANT_READ =
  'CASE WHEN {c} IS NULL THEN NULL ELSE ' +
  [property('BaseType'), property('Precision'), property('Scale'), property('MaxLength'), VALUE_TEXT].join(
    " + N';' + ",
  ) +
  ' END';

/** A sql_variant value as the migrator loads it. */
export interface VariantValue {
  /** The base type as T-SQL declares it: `int`, `decimal(18,4)`, `nvarchar(50)`, `datetime2(3)`. */
  type: string;
  /** The value's exact text for that type. */
  value: string;
}

/** The declared type of a base type with its properties (lengths from MaxLength, in bytes). */
function declaredType(base: VariantBaseType, precision: number, scale: number, maxLength: number): string {
  switch (base) {
    case 'decimal':
    case 'numeric':
      return `${base}(${precision},${scale})`;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return `${base}(${scale})`;
    case 'char':
    case 'varchar':
    case 'binary':
    case 'varbinary':
      return `${base}(${maxLength})`;
    case 'nchar':
    case 'nvarchar':
      // "MaxLength of nvarchar(50) is 100" (SQL_VARIANT_PROPERTY page): two bytes per character.
      return `${base}(${maxLength / 2})`;
    default:
      return base;
  }
}

/** The shortest text that reads back as the same double, -0 keeping its sign. */
const doubleText = (x: number) => (Object.is(x, -0) ? '-0' : String(x));

/** The value text in the form the migrator keeps: one text per value whatever SQL Server printed. */
function valueText(base: VariantBaseType, text: string): string | undefined {
  switch (base) {
    case 'float':
    case 'real': {
      const x = Number(text);
      return Number.isFinite(x) ? doubleText(x) : undefined;
    }
    case 'decimal':
    case 'numeric':
      // SQL Server prints a decimal whose precision equals its scale without the leading zero (.5).
      return text.startsWith('.') || text.startsWith('-.') ? text.replace('.', '0.') : text;
    default:
      return text;
  }
}

const INTEGER = /^\d+$/;

/**
 * The value VARIANT_READ gave, or why it cannot be carried (a base type SQL Server's documentation does
 * not list, or a text that does not read): checked at run time rather than assumed.
 */
export function parseVariantRead(read: string): VariantValue | { problem: string } {
  const parts = read.split(';');
  const [base, precision, scale, maxLength] = parts;
  if (parts.length < 5 || !INTEGER.test(precision!) || !INTEGER.test(scale!) || !INTEGER.test(maxLength!))
    return {
      problem: `reads as ${JSON.stringify(read.slice(0, 80))}, not as a sql_variant's base type and value`,
    };
  if (!BASE_TYPES.has(base!))
    return { problem: `holds a value of base type ${base}, which the migrator does not know` };
  const type = base as VariantBaseType;
  const value = valueText(type, parts.slice(4).join(';'));
  if (value === undefined) return { problem: `holds a ${type} that does not read as a number` };
  return { type: declaredType(type, Number(precision), Number(scale), Number(maxLength)), value };
}

/** The JSON text loaded into the VARIANT: keys in this order, the value a string. */
export const variantJson = (v: VariantValue): string => JSON.stringify({ type: v.type, value: v.value });

/**
 * The canonical text of a loaded VARIANT's JSON (validation): `<type>;<value>`, what Snowflake's
 * variantText gives of the stored object; a text no loaded value gives when it does not read.
 */
export function canonicalVariant(json: string): string {
  try {
    const parsed = JSON.parse(json) as Partial<VariantValue>;
    if (typeof parsed.type === 'string' && typeof parsed.value === 'string')
      return `${parsed.type};${parsed.value}`;
  } catch {
    // falls through to the marker below
  }
  return `#unreadable ${json}`;
}
