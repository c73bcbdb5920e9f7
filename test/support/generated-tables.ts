/**
 * fast-check generators for source tables: random column sets over every type of the README's mapping
 * table (rowversion aside: the stand-in cannot generate its values; hierarchyid as its path text,
 * geography and geometry as WKT, sql_variant as values of many base types), nullable or not, random primary
 * keys (composite, uniqueidentifier, strings under the case-insensitive collation) or none, awkward names,
 * and values at the edges of every type, written so SQL Server stores each exactly as generated.
 */
import fc from 'fast-check';
import type { SourceColumn } from '../../src/contracts/table';
import { snowflakeNameFor } from '../../src/names/snowflake-names';

export interface ColumnType {
  /** The declared type as T-SQL spells it, e.g. decimal(38,10), nvarchar(max). */
  sql: string;
  /** INFORMATION_SCHEMA's description of it, as the migrator's catalog reads it. */
  info: Pick<
    SourceColumn,
    'dataType' | 'charMaxLength' | 'numericPrecision' | 'numericScale' | 'datetimePrecision'
  >;
  /** Values bulkInsert stores exactly (SQL Server literal text for decimals, dates and GUIDs). */
  values: fc.Arbitrary<unknown>;
  /** Identical text for values SQL Server's key comparison (CI collation) treats as equal. */
  keyOf?: (value: unknown) => string;
}

export interface GeneratedColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

export interface GeneratedTable {
  name: string;
  columns: GeneratedColumn[];
  /** Names of the primary key columns, in key order; empty for a heap (one-pass copy). */
  key: string[];
  rows: unknown[][];
}

const MAX = -1;

function info(dataType: string, extra: Partial<ColumnType['info']> = {}): ColumnType['info'] {
  return {
    dataType,
    charMaxLength: null,
    numericPrecision: null,
    numericScale: null,
    datetimePrecision: null,
    ...extra,
  };
}

/** Mostly anything in range, often exactly an edge. */
function withEdges<T>(any: fc.Arbitrary<T>, edges: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: any, weight: 3 }, { arbitrary: fc.constantFrom(...edges), weight: 2 });
}

const exactKey = (value: unknown): string => String(value);

function integerType(sql: string, min: number, max: number): ColumnType {
  return {
    sql,
    info: info(sql),
    values: withEdges(
      fc.integer({ min, max }),
      [min, max, 0, -1, 1].filter((v) => v >= min),
    ),
    keyOf: exactKey,
  };
}

const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/** Exact decimal text of `units` ten-to-the-minus-`scale`ths, as SQL Server prints it (0.5, not .5). */
function decimalText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

function scaledType(
  sql: string,
  typeInfo: ColumnType['info'],
  min: bigint,
  max: bigint,
  scale: number,
): ColumnType {
  return {
    sql,
    info: typeInfo,
    values: withEdges(fc.bigInt({ min, max }), [min, max, 0n, -1n, 1n]).map((u) => decimalText(u, scale)),
    keyOf: (v) => String(v),
  };
}

const decimalType: fc.Arbitrary<ColumnType> = fc
  .record({
    family: fc.constantFrom('decimal', 'numeric'),
    precision: fc.integer({ min: 1, max: 38 }),
    scaleSeed: fc.nat(),
  })
  .map(({ family, precision, scaleSeed }) => {
    const scale = scaleSeed % (precision + 1);
    const limit = 10n ** BigInt(precision) - 1n;
    return scaledType(
      `${family}(${precision},${scale})`,
      info(family, { numericPrecision: precision, numericScale: scale }),
      -limit,
      limit,
      scale,
    );
  });

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A calendar date from `minYear` to `maxYear`, every day possible (leap days included). */
function dateText(minYear: number, maxYear: number): fc.Arbitrary<string> {
  return fc
    .record({
      year: fc.integer({ min: minYear, max: maxYear }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
    })
    .map(({ year, month, day }) => {
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
      return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(day, days))}`;
    });
}

function fractionText(digits: number): fc.Arbitrary<string> {
  if (digits === 0) return fc.constant('');
  const max = 10 ** digits - 1;
  return withEdges(fc.integer({ min: 0, max }), [0, max]).map((f) => `.${pad(f, digits)}`);
}

function clockText(digits: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
      fractionText(digits),
    )
    .map(([h, m, s, f]) => `${pad(h)}:${pad(m)}:${pad(s)}${f}`);
}

const timeEdges = (digits: number) => ['00:00:00', `23:59:59${digits ? `.${'9'.repeat(digits)}` : ''}`];

function datetimeEdges(first: string, last: string): fc.Arbitrary<string> {
  return fc.constantFrom(first, last);
}

const precisionDigits = fc.integer({ min: 0, max: 7 });

const timeType = precisionDigits.map((n): ColumnType => ({
  sql: `time(${n})`,
  info: info('time', { datetimePrecision: n }),
  values: fc.oneof(clockText(n), fc.constantFrom(...timeEdges(n))),
  keyOf: exactKey,
}));

const datetime2Type = precisionDigits.map((n): ColumnType => ({
  sql: `datetime2(${n})`,
  info: info('datetime2', { datetimePrecision: n }),
  values: fc.oneof(
    { arbitrary: fc.tuple(dateText(1, 9999), clockText(n)).map(([d, t]) => `${d} ${t}`), weight: 3 },
    { arbitrary: datetimeEdges('0001-01-01 00:00:00', `9999-12-31 ${timeEdges(n)[1]}`), weight: 1 },
  ),
  keyOf: exactKey,
}));

/** Offsets -14:00..+14:00; at the calendar's ends only those keeping the UTC instant inside it. */
const offsetMinutes = fc.oneof(fc.integer({ min: -840, max: 840 }), fc.constantFrom(-840, 840, 0));
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const datetimeoffsetType = precisionDigits.map((n): ColumnType => ({
  sql: `datetimeoffset(${n})`,
  info: info('datetimeoffset', { datetimePrecision: n }),
  values: fc
    .tuple(
      fc.oneof(
        { arbitrary: dateText(1, 9999), weight: 3 },
        { arbitrary: fc.constantFrom('0001-01-01', '9999-12-31'), weight: 1 },
      ),
      fc.oneof(clockText(n), fc.constantFrom(...timeEdges(n))),
      offsetMinutes,
    )
    .map(([d, t, o]) => {
      const offset = (d === '0001-01-01' && o > 0) || (d === '9999-12-31' && o < 0) ? -o : o;
      return `${d} ${t} ${offsetText(offset)}`;
    }),
  // The same instant at another offset is the same key for SQL Server.
  keyOf: (v) => {
    const [d, t, o] = String(v).split(' ') as [string, string, string];
    const minutes = (o.startsWith('-') ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(4, 6)));
    const [hms, fraction = ''] = t.split('.');
    const utc = Date.parse(`${d}T${hms}Z`) - minutes * 60_000;
    return `${utc}.${fraction.padEnd(7, '0')}`;
  },
}));

/** datetime keeps 1/300 s: tick k prints as the millisecond round(k * 10 / 3). */
const datetimeType: ColumnType = {
  sql: 'datetime',
  info: info('datetime', { datetimePrecision: 3 }),
  values: fc.oneof(
    fc
      .tuple(dateText(1753, 9999), clockText(0), fc.integer({ min: 0, max: 299 }))
      .map(([d, t, tick]) => `${d} ${t}.${pad(Math.round((tick * 10) / 3), 3)}`),
    datetimeEdges('1753-01-01 00:00:00.000', '9999-12-31 23:59:59.997'),
  ),
  keyOf: exactKey,
};

const smalldatetimeType: ColumnType = {
  sql: 'smalldatetime',
  info: info('smalldatetime'),
  values: fc.oneof(
    fc
      .tuple(dateText(1900, 2078), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([d, h, m]) => `${d} ${pad(h)}:${pad(m)}:00`),
    datetimeEdges('1900-01-01 00:00:00', '2079-06-06 23:59:00'),
  ),
  keyOf: exactKey,
};

const dateType: ColumnType = {
  sql: 'date',
  info: info('date'),
  values: fc.oneof(dateText(1, 9999), fc.constantFrom('0001-01-01', '9999-12-31', '2024-02-29')),
  keyOf: exactKey,
};

const guidType: ColumnType = {
  sql: 'uniqueidentifier',
  info: info('uniqueidentifier'),
  values: fc.oneof(
    fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => {
      const hex = Buffer.from(b).toString('hex');
      const text = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      return b[0]! % 2 ? text.toUpperCase() : text;
    }),
    fc.constantFrom('00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'),
  ),
  keyOf: (v) => String(v).toUpperCase(),
};

/**
 * Characters for text values: every CSV-special character, spaces, accents, the euro sign, CJK and
 * characters beyond the BMP (two UTF-16 units each). `narrow` is what code page 1252 (varchar) holds.
 */
const CSV_SPECIAL = ['"', ',', '\r', '\n', '\\', '\t', ' ', "'"];
const NARROW = [...CSV_SPECIAL, 'a', 'B', 'z', '0', '9', 'é', 'Ü', 'ß', '€', ';', '|', '%'];
const WIDE = [...NARROW, 'ü', 'Ω', '名', '字', '🧦', '𝄞', '😀'];
/** Key text: letters whose case-insensitive equality is simple (no expansions, nothing undefined). */
const KEY_CHARS = ['a', 'A', 'b', 'B', 'z', 'Z', '0', '9', 'é', 'É', ' ', '_', '.'];

/** A string of at most `maxUnits` UTF-16 units (or bytes, for varchar) from `chars`, edges included. */
function textValues(chars: string[], maxUnits: number, unitsOf: (s: string) => number): fc.Arbitrary<string> {
  const cap = Math.min(maxUnits, 40);
  const built = fc.array(fc.constantFrom(...chars), { maxLength: cap }).map((parts) => {
    let text = '';
    for (const part of parts) {
      if (unitsOf(text + part) > maxUnits) break;
      text += part;
    }
    return text;
  });
  const edges = ['', ' ', 'x  ', '  '].filter((e) => unitsOf(e) <= maxUnits);
  const full = maxUnits <= 8000 ? ['x'.repeat(maxUnits)] : [];
  return fc.oneof(
    { arbitrary: built, weight: 4 },
    { arbitrary: fc.constantFrom(...edges, ...full), weight: 1 },
  );
}

const cp1252Bytes = (s: string) => s.length; // every NARROW character is one byte in code page 1252
const utf16Units = (s: string) => s.length;

/** SQL Server pads char(n) and compares ignoring trailing spaces and case (CI collation). */
const collationKey = (v: unknown) => String(v).toUpperCase().replace(/ +$/, '');

function characterType(
  family: 'char' | 'varchar' | 'nchar' | 'nvarchar',
  length: number,
  forKey: boolean,
): ColumnType {
  const wide = family.startsWith('n');
  const chars = forKey ? KEY_CHARS : wide ? WIDE : NARROW;
  return {
    sql: `${family}(${length === MAX ? 'max' : length})`,
    info: info(family, { charMaxLength: length }),
    values: textValues(chars, length === MAX ? 9000 : length, wide ? utf16Units : cp1252Bytes),
    keyOf: collationKey,
  };
}

const lengths = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(1, 50, 255, 4000));

const characterTypeArb = (forKey: boolean) =>
  fc
    .record({ family: fc.constantFrom('char', 'varchar', 'nchar', 'nvarchar'), length: lengths })
    .map(({ family, length }) =>
      characterType(family as 'char', forKey ? Math.min(length, 100) : length, forKey),
    );

const largeTextType = fc.constantFrom(
  characterType('varchar', MAX, false),
  characterType('nvarchar', MAX, false),
  { ...characterType('varchar', MAX, false), sql: 'text', info: info('text', { charMaxLength: 2147483647 }) },
  {
    ...characterType('nvarchar', MAX, false),
    sql: 'ntext',
    info: info('ntext', { charMaxLength: 1073741823 }),
  },
);

/** xml: elements with escaped text, which SQL Server returns as given. */
const xmlType: ColumnType = {
  sql: 'xml',
  info: info('xml', { charMaxLength: MAX }),
  values: fc
    .array(fc.constantFrom('a', 'Z', '1', ' ', 'ü', '🧦', '&amp;', '&lt;', '&gt;', '"', ','), {
      maxLength: 12,
    })
    .map((parts) => (parts.length ? `<r k="1">${parts.join('')}</r>` : '<r/>')),
};

function binaryType(family: 'binary' | 'varbinary', length: number): ColumnType {
  const max = length === MAX ? 9000 : length;
  // binary(n) is padded with zeros to n bytes: generate n bytes so what is stored is what was generated.
  const min = family === 'binary' ? max : 0;
  const bytes = fc.uint8Array({
    minLength: min,
    maxLength: Math.min(max, 40) < min ? min : Math.min(max, 40),
  });
  return {
    sql: `${family}(${length === MAX ? 'max' : length})`,
    info: info(family, { charMaxLength: length }),
    values: fc.oneof(
      { arbitrary: bytes.map((b) => Buffer.from(b)), weight: 4 },
      {
        arbitrary: fc.constantFrom(Buffer.alloc(min), Buffer.alloc(Math.max(min, Math.min(max, 8000)), 0xff)),
        weight: 1,
      },
    ),
    // Conservative: values differing only in trailing zero bytes are kept out of the same key column.
    keyOf: (v) => (v as Buffer).toString('hex').replace(/(00)+$/, ''),
  };
}

const binaryTypeArb = fc
  .record({
    family: fc.constantFrom('binary', 'varbinary'),
    length: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constantFrom(255, 8000)),
  })
  .map(({ family, length }) => binaryType(family as 'binary', length));

const largeBinaryType = fc.constantFrom(binaryType('varbinary', MAX), {
  ...binaryType('varbinary', MAX),
  sql: 'image',
  info: info('image', { charMaxLength: 2147483647 }),
});

/** float: any finite double (-0, denormals and the largest included); real: any finite float32. */
const floatType: ColumnType = {
  sql: 'float',
  info: info('float', { numericPrecision: 53 }),
  values: withEdges(fc.double({ noNaN: true, noDefaultInfinity: true }), [
    -0,
    Number.MIN_VALUE,
    -Number.MAX_VALUE,
    Number.MAX_VALUE,
    2.2250738585072014e-308,
    0.1,
  ]),
};

const realType: ColumnType = {
  sql: 'real',
  info: info('real', { numericPrecision: 24 }),
  values: withEdges(fc.float({ noNaN: true, noDefaultInfinity: true }), [
    -0,
    Math.fround(1.4e-45),
    Math.fround(3.4028234663852886e38),
    Math.fround(0.1),
  ]),
};

/**
 * hierarchyid: paths of up to five levels, a level one integer or two (`/1.5/`, a node between siblings),
 * negative ones included, written canonically (what ToString gives back), so the text is its key.
 */
const hierarchyLevel = fc
  .array(fc.oneof(fc.integer({ min: -20, max: 200 }), fc.constantFrom(0, 1, -1, 2147483647)), {
    minLength: 1,
    maxLength: 2,
  })
  .map((parts) => parts.join('.'));
const hierarchyIdType: ColumnType = {
  sql: 'hierarchyid',
  info: info('hierarchyid', { charMaxLength: 892 }),
  values: fc.oneof(
    fc
      .array(hierarchyLevel, { maxLength: 5 })
      .map((levels) => (levels.length ? `/${levels.join('/')}/` : '/')),
    fc.constantFrom('/', '/1/', '/1/1/', '/1.1/'),
  ),
  keyOf: exactKey,
};

/**
 * geography and geometry as WKT (SQL Server's Parse: SRID 4326 and 0): points, lines, triangles and
 * multipoints with any double in range, so that coordinates beyond Snowflake's 14 decimal places occur.
 */
function spatialType(sql: 'geography' | 'geometry', lon: number, lat: number): ColumnType {
  const coordinate = fc
    .tuple(
      fc.oneof(fc.double({ min: -lon, max: lon, noNaN: true }), fc.integer({ min: -lon, max: lon })),
      fc.oneof(fc.double({ min: -lat, max: lat, noNaN: true }), fc.integer({ min: -lat, max: lat })),
    )
    .map(([x, y]) => `${x} ${y}`);
  return {
    sql,
    info: info(sql, { charMaxLength: MAX }),
    values: fc.oneof(
      coordinate.map((c) => `POINT(${c})`),
      fc.array(coordinate, { minLength: 2, maxLength: 5 }).map((cs) => `LINESTRING(${cs.join(', ')})`),
      fc.tuple(coordinate, coordinate, coordinate).map(([a, b, c]) => `POLYGON((${a}, ${b}, ${c}, ${a}))`),
      fc
        .array(coordinate, { minLength: 1, maxLength: 3 })
        .map((cs) => `MULTIPOINT(${cs.map((c) => `(${c})`).join(', ')})`),
    ),
  };
}

const bitType: ColumnType = { sql: 'bit', info: info('bit'), values: fc.boolean(), keyOf: exactKey };

const FIXED_TYPES: ColumnType[] = [
  integerType('int', -2147483648, 2147483647),
  integerType('smallint', -32768, 32767),
  integerType('tinyint', 0, 255),
  {
    sql: 'bigint',
    info: info('bigint'),
    values: withEdges(fc.bigInt({ min: BIGINT_MIN, max: BIGINT_MAX }), [BIGINT_MIN, BIGINT_MAX, 0n]),
    keyOf: exactKey,
  },
  scaledType('money', info('money'), -9223372036854775808n, 9223372036854775807n, 4),
  scaledType('smallmoney', info('smallmoney'), -2147483648n, 2147483647n, 4),
  bitType,
  floatType,
  realType,
  dateType,
  datetimeType,
  smalldatetimeType,
  guidType,
  xmlType,
  hierarchyIdType,
  spatialType('geography', 180, 90),
  spatialType('geometry', 1e6, 1e6),
];

/** The base type's value as text CAST(N'...' AS <type>) reads back as it (binary aside: not generated). */
function castText(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/**
 * sql_variant: values of any base type it can hold (no (max), xml, CLR or binary types), each as
 * `{ type, text }`, which the stand-in's bulkInsert stores as CAST(N'<text>' AS <type>).
 */
const variantBases: fc.Arbitrary<ColumnType> = fc.oneof(
  fc.constantFrom(
    ...FIXED_TYPES.filter((t) => !['xml', 'hierarchyid', 'geography', 'geometry'].includes(t.sql)),
  ),
  decimalType,
  timeType,
  datetime2Type,
  datetimeoffsetType,
  characterTypeArb(false).filter((t) => t.info.charMaxLength !== MAX),
);
const variantType: ColumnType = {
  sql: 'sql_variant',
  info: info('sql_variant', { charMaxLength: 8016 }),
  values: variantBases.chain((base) =>
    base.values.map((value) => ({ type: base.sql, text: castText(value) })),
  ),
};

/** Any type of the mapping table. */
export const anyColumnType: fc.Arbitrary<ColumnType> = fc.oneof(
  { arbitrary: fc.constantFrom(...FIXED_TYPES), weight: 8 },
  { arbitrary: decimalType, weight: 2 },
  { arbitrary: timeType, weight: 1 },
  { arbitrary: datetime2Type, weight: 1 },
  { arbitrary: datetimeoffsetType, weight: 1 },
  { arbitrary: characterTypeArb(false), weight: 3 },
  { arbitrary: largeTextType, weight: 1 },
  { arbitrary: binaryTypeArb, weight: 2 },
  { arbitrary: largeBinaryType, weight: 1 },
  { arbitrary: fc.constant(variantType), weight: 1 },
);

/** Types that can order key ranges (not float, not (max)), weighted towards GUIDs and collated strings. */
export const keyColumnType: fc.Arbitrary<ColumnType> = fc.oneof(
  { arbitrary: fc.constant(guidType), weight: 2 },
  { arbitrary: characterTypeArb(true), weight: 3 },
  {
    arbitrary: fc.constantFrom(...FIXED_TYPES.filter((t) => t.keyOf && t !== guidType)),
    weight: 3,
  },
  { arbitrary: decimalType, weight: 1 },
  { arbitrary: fc.oneof(timeType, datetime2Type, datetimeoffsetType), weight: 1 },
  { arbitrary: binaryTypeArb.filter((t) => t.info.charMaxLength! <= 255), weight: 1 },
);

/** Names with spaces, unicode, reserved words, brackets and quotes; distinct ignoring case. */
const COLUMN_NAMES = [
  'id',
  'Amount',
  'unit price',
  'Größe',
  '名前',
  'sock 🧦',
  'select',
  'from',
  'order',
  'has]bracket',
  'x]]y',
  'say "hi"',
  'naïve café',
  'a.b',
  'key',
  'value',
  'Total €',
  '_under',
  'camelCase',
];
const TABLE_NAMES = ['t', 'Order Lines «2026»', 'table', 'x]y', 'Größe', 'zähler 🧮', 'group', 'line items'];

export interface TableShape {
  name: string;
  key: GeneratedColumn[];
  others: GeneratedColumn[];
}

function named(names: string[], types: ColumnType[], nullable: boolean[]): GeneratedColumn[] {
  return types.map((type, i) => ({ name: names[i]!, type, nullable: nullable[i]! }));
}

/** Distinct column names, case-insensitively (SQL Server's catalog) and as Snowflake names. */
const columnNames = (count: number) =>
  fc.shuffledSubarray(COLUMN_NAMES, { minLength: count, maxLength: count });

const tableShape = (name: string): fc.Arbitrary<TableShape> =>
  fc
    .record({
      keyTypes: fc.oneof(
        { arbitrary: fc.constant<ColumnType[]>([]), weight: 1 },
        { arbitrary: fc.array(keyColumnType, { minLength: 1, maxLength: 3 }), weight: 3 },
      ),
      otherTypes: fc.array(anyColumnType, { maxLength: 7 }),
      nullable: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    })
    .filter(({ keyTypes, otherTypes }) => keyTypes.length + otherTypes.length > 0)
    .chain(({ keyTypes, otherTypes, nullable }) =>
      columnNames(keyTypes.length + otherTypes.length).map((names) => ({
        name,
        key: named(
          names,
          keyTypes,
          keyTypes.map(() => false),
        ),
        others: named(names.slice(keyTypes.length), otherTypes, nullable),
      })),
    );

/** NULL often, so all-NULL columns happen in small tables. */
function cellValues(column: GeneratedColumn): fc.Arbitrary<unknown> {
  if (!column.nullable) return column.type.values;
  return fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: column.type.values, weight: 3 });
}

const rowCounts = fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 2, max: 24 }));

/** Rows whose keys SQL Server would see as equal are dropped (the first one stays), so keys are unique. */
function uniqueKeys(shape: TableShape, rows: unknown[][]): unknown[][] {
  if (!shape.key.length) return rows;
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = JSON.stringify(shape.key.map((c, i) => c.type.keyOf!(row[i])));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function tableOf(shape: TableShape): fc.Arbitrary<GeneratedTable> {
  const columns = [...shape.key, ...shape.others];
  const row = fc.tuple(...columns.map(cellValues));
  return rowCounts
    .chain((count) => fc.array(row, { minLength: count, maxLength: count }))
    .map((rows) => ({
      name: shape.name,
      columns,
      key: shape.key.map((c) => c.name),
      rows: uniqueKeys(shape, rows),
    }));
}

/** One to three tables with distinct names, for one schema and one run. */
export const generatedTables: fc.Arbitrary<GeneratedTable[]> = fc
  .shuffledSubarray(TABLE_NAMES, { minLength: 1, maxLength: 3 })
  .filter((names) => new Set(names.map((n) => snowflakeNameFor(n).toUpperCase())).size === names.length)
  .chain((names) => fc.tuple(...names.map((n) => tableShape(n).chain(tableOf))));

/** T-SQL names: brackets, with ] doubled. */
export const bracket = (name: string) => `[${name.replace(/]/g, ']]')}]`;

export function createTableSql(schema: string, table: GeneratedTable): string {
  const columns = table.columns.map(
    (c) => `${bracket(c.name)} ${c.type.sql} ${c.nullable ? 'NULL' : 'NOT NULL'}`,
  );
  if (table.key.length) columns.push(`PRIMARY KEY (${table.key.map(bracket).join(', ')})`);
  return `CREATE TABLE ${bracket(schema)}.${bracket(table.name)} (\n  ${columns.join(',\n  ')}\n)`;
}

/** A readable description of a generated table for a failure message (values as JSON, Buffers as hex). */
export function describeTable(table: GeneratedTable): string {
  const value = (v: unknown) =>
    Buffer.isBuffer(v)
      ? `0x${v.toString('hex')}`
      : typeof v === 'bigint'
        ? `${v}n`
        : Object.is(v, -0)
          ? '-0'
          : JSON.stringify(v);
  const rows = table.rows.map((r) => `    (${r.map(value).join(', ')})`);
  return `${createTableSql('s', table)}\n  rows (${table.rows.length}):\n${rows.join('\n')}`;
}

/**
 * Key text beyond code page 1252, for nvarchar keys: Cyrillic, Greek and CJK letters in both cases,
 * with a few Latin ones to mix scripts. (The stand-in models SQL_Latin1_General_CP1_CI_AS only, so a
 * varchar key in another code page cannot be generated; nvarchar keeps every one of these.)
 */
const UNICODE_KEY_CHARS = ['а', 'А', 'ж', 'Ж', 'я', 'Я', 'ё', 'Ё', 'ω', 'Ω', 'λ', '名', '字', 'a', 'Z', '0'];
/** Conservative key equality: case variants and trailing spaces count as one key, so keys stay unique. */
const unicodeKeyOf = (v: unknown) => String(v).toUpperCase().replace(/ +$/, '');

const unicodeKeyType: ColumnType = {
  sql: 'nvarchar(12)',
  info: info('nvarchar', { charMaxLength: 12 }),
  // Few, short keys: many rows share a first key column, so batches split inside a prefix.
  values: fc
    .array(fc.constantFrom(...UNICODE_KEY_CHARS), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.join('')),
  keyOf: unicodeKeyOf,
};
const smallIntKey: ColumnType = {
  sql: 'int',
  info: info('int'),
  values: fc.integer({ min: -2, max: 3 }),
  keyOf: exactKey,
};
const noteType = characterType('nvarchar', 20, false);

/**
 * Tables keyed by non-ASCII nvarchar text, alone or leading a composite key with an int (issue 25
 * item 4): with tiny batches, boundaries fall inside a shared first column, so every row copied
 * exactly once proves that composite ranges neither skip nor repeat.
 */
export const unicodeKeyTables: fc.Arbitrary<GeneratedTable[]> = fc
  .record({ composite: fc.boolean(), count: fc.integer({ min: 1, max: 16 }) })
  .chain(({ composite, count }) => {
    const key: GeneratedColumn[] = [
      { name: 'имя', type: unicodeKeyType, nullable: false },
      ...(composite ? [{ name: 'n', type: smallIntKey, nullable: false }] : []),
    ];
    const shape: TableShape = {
      name: composite ? 'ключи 名' : 'Ключ',
      key,
      others: [{ name: 'note', type: noteType, nullable: true }],
    };
    const columns = [...shape.key, ...shape.others];
    return fc
      .array(fc.tuple(...columns.map(cellValues)), { minLength: count, maxLength: count })
      .map((rows): GeneratedTable[] => [
        { name: shape.name, columns, key: key.map((c) => c.name), rows: uniqueKeys(shape, rows) },
      ]);
  });
