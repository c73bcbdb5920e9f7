/**
 * The calibration probe, pure part: sentinel values per Snowflake column type (edge floats, -0, tiny and
 * huge magnitudes, 0.1 as a real, a tie at the 17th digit, the widest decimals, years 1 and 9999, offsets
 * ±14:00, a 100 ns tick, empty binary and string, characters beyond the BMP), as the driver hands them
 * to the batch writer, written by the batch writer's own formatters (src/mapping/values.ts) for both
 * load paths, and what the worker expects Snowflake to print for each: the canonical text and the row
 * hash. The content check rests on Snowflake printing exactly that (see canonicalExpression in
 * src/sql/snowflake/content-queries.ts, where some of it is not documented), so a run checks it first,
 * before anything is created (src/snowflake/calibrate.ts). Pure.
 */
import { MigrationError } from '../contracts/errors';
import type { ColumnMapping, ValueKind } from '../mapping/type-map';
import { bindRowFormatter, type RowDescription } from '../mapping/values';
import { canonicalValue, ROW_HASH_HEX_DIGITS } from './canonical';
import { rowCanonicalizer } from './row-text';
import { md5Hex } from './checksum';

/** A Snowflake column type the selected tables use, and how its values are loaded. */
export interface ProbeType {
  kind: ValueKind;
  targetType: string;
}

const FLOAT_SENTINELS = [
  0,
  -0,
  0.1,
  Math.fround(0.1), // 0.1 as a real
  1 / 3,
  Number.MIN_VALUE,
  2.2250738585072014e-308, // the smallest normal double
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2 ** 53 + 2,
  123456789012345.625, // exact digits 1234567890123456|25: a tie at the 17th digit
  Math.fround(3.4028234663852886e38), // the largest real
];

/** Texts in NUMBER(p,s) as SQL Server prints decimal(p,s): s fraction digits, no leading zero when p = s. */
function decimalSentinels(precision: number, scale: number): string[] {
  const whole = '9'.repeat(precision - scale);
  const largest = scale ? `${whole}.${'9'.repeat(scale)}` : whole;
  const zero = scale ? `0.${'0'.repeat(scale)}` : '0';
  const smallest = scale ? `0.${'0'.repeat(scale - 1)}1` : '1';
  return [zero, largest, `-${largest}`, smallest, `-${smallest}`];
}

const fraction = (digits: number, digit: string) => (digits ? `.${digit.repeat(digits)}` : '');

const TEXT_SENTINELS = ['', 'Zoë', '😀', '~,"\n', ' padded  ', '\u{10FFFF}𝄞'];
const BINARY_SENTINELS = ['', '00', 'FF00', '0000FF7E'];

/**
 * Spatial values as SQL Server's read gives them (`<SRID>;<hex WKB>`): the ST_ASWKB example point and
 * line, a point whose latitude has more than 14 decimal places (rounded by Snowflake), one at the edge
 * of the globe, and one whose coordinates round to zero from below. GEOMETRY also with SRIDs other than
 * 4326.
 */
const SPATIAL_WKB = [
  '01010000006666666666965EC06666666666C64240',
  '010200000002000000CDCCCCCCCC0C5FC00000000000004540713D0AD7A3005EC01F85EB51B8FE4440',
  '01010000009A9999999999B93F7BA39B6ECD8F40C0',
  '0101000000FFFFFFFFFF7F6640FFFFFFFFFF7F56C0',
  // POINT(-0 -6.4e-323): coordinates that round to zero, compared as +0 (spatial.ts).
  '0101000000' + '0000000000000080' + '0D00000000000080',
];

/** As the source read hands them over (`<SRID>;<hex WKB>`): the load's own formatter turns them into WKB or EWKB. */
function spatialSentinels(targetType: string): string[] {
  const srids = targetType === 'GEOGRAPHY' ? [4326] : [4326, 0, 3857];
  return srids.flatMap((srid) => SPATIAL_WKB.map((hex) => `${srid};${hex}`));
}

/**
 * sql_variant values as SQL Server's read gives them (src/mapping/variant.ts): the objects' strings must
 * come back from the VARIANT character for character, empty, padded, quoted, beyond the BMP and with `;`.
 */
const VARIANT_SENTINELS = [
  'int;10;0;4;-2147483648',
  'decimal;38;10;17;-9999999999999999999999999999.9999999999',
  'float;53;0;8;-0.0000000000000000E+000',
  'datetime2;27;7;8;9999-12-31 23:59:59.9999999',
  'datetimeoffset;34;7;10;2024-06-30 23:00:00.0000000 +05:45',
  'char;0;0;5;ab   ',
  'nvarchar;0;0;2;',
  'nvarchar;0;0;40;Zoë 😀𝄞 "q" ; \\ ~,\n',
  'varbinary;0;0;4;00FF007E',
];

/** The length or scale in a type such as VARCHAR(20) or TIME(7); undefined for VARCHAR. */
function typeArguments(targetType: string): number[] {
  const match = /\(([\d,\s]+)\)$/.exec(targetType);
  return match ? match[1]!.split(',').map((n) => Number(n.trim())) : [];
}

/** The sentinel values of a type, as the driver returns such values (see ValueKind). */
function driverValues({ kind, targetType }: ProbeType): unknown[] {
  const [first, second] = typeArguments(targetType);
  const digits = first ?? 9;
  switch (kind) {
    case 'float':
      return FLOAT_SENTINELS;
    case 'number':
      return decimalSentinels(first ?? 38, second ?? 0).map(Number);
    case 'text-number':
      return decimalSentinels(first ?? 38, second ?? 0);
    case 'boolean':
      return [true, false];
    case 'text':
      return TEXT_SENTINELS.filter((t) => first === undefined || [...t].length <= first);
    case 'binary':
      return BINARY_SENTINELS.filter((hex) => first === undefined || hex.length / 2 <= first).map((hex) =>
        Buffer.from(hex, 'hex'),
      );
    case 'date':
      return ['0001-01-01', '9999-12-31', '1970-01-01'];
    case 'time':
      return [`00:00:00${fraction(digits, '0')}`, `23:59:59${fraction(digits, '9')}`];
    case 'timestamp-ntz':
      return [
        `0001-01-01 00:00:00${fraction(digits, '0')}`,
        `9999-12-31 23:59:59${fraction(digits, '9')}`,
        ...(digits >= 7 ? ['1969-12-31 23:59:59.9999999'] : []),
      ];
    case 'spatial':
      return spatialSentinels(targetType);
    case 'variant':
      return VARIANT_SENTINELS;
    case 'timestamp-tz':
      return [
        `0001-01-01 14:00:00${fraction(digits, '0')} +14:00`,
        `9999-12-31 09:59:59${fraction(digits, '9')} -14:00`,
        `2024-06-30 23:00:00${fraction(digits, '0')} +05:45`,
        ...(digits >= 7 ? ['2000-01-01 00:00:00.0000001 -00:30'] : []),
      ];
  }
}

/** The probe table's columns: each row's sentinel index, then one column per probed type. */
export const PROBE_INDEX_COLUMN = 'I';
export const probeValueColumn = (position: number) => `V${position}`;

function probeMapping(name: string, ordinal: number, type: ProbeType): ColumnMapping {
  return {
    column: {
      name,
      ordinal,
      dataType: type.targetType,
      charMaxLength: null,
      numericPrecision: null,
      numericScale: null,
      datetimePrecision: null,
      nullable: true,
      isIdentity: false,
      isComputed: false,
    },
    targetType: type.targetType,
    kind: type.kind,
    read: '{c}',
    changes: [],
  };
}

/**
 * The sentinels of `types` as one batch for the batch writer: row i holds its index, then sentinel i
 * of each type (NULL past a type's last), described as a table of those columns.
 */
export function probeBatch(types: ProbeType[]): { description: RowDescription; rows: unknown[][] } {
  const values = types.map(driverValues);
  const columns = [
    probeMapping(PROBE_INDEX_COLUMN, 1, { kind: 'number', targetType: 'NUMBER(10,0)' }),
    ...types.map((type, k) => probeMapping(probeValueColumn(k), k + 2, type)),
  ];
  const count = Math.max(0, ...values.map((v) => v.length));
  return {
    description: { tableName: 'the calibration probe', columns, keyPositions: [0] },
    rows: Array.from({ length: count }, (_, i) => [i, ...values.map((v) => (i < v.length ? v[i] : null))]),
  };
}

/** The sentinel values of each type, as the worker loads them (bind text; the CSV field unquoted). */
export function loadedSentinels(types: ProbeType[]): string[][] {
  const { description, rows } = probeBatch(types);
  const bind = bindRowFormatter(description, []);
  const loaded = rows.map(bind);
  return types.map((_, k) =>
    loaded.map((row) => row[k + 1]).filter((value): value is string => value !== null),
  );
}

/** The sentinel values of a type, as the worker loads them. */
export const sentinels = (type: ProbeType): string[] => loadedSentinels([type])[0]!;

/** What the worker expects Snowflake to print for a loaded value: its canonical text and its row hash. */
export interface Expected {
  text: string;
  hash: string;
}

export function expected(kind: ValueKind, loaded: string): Expected {
  const hex = md5Hex(rowCanonicalizer([kind]).textOfLoaded([loaded])).slice(0, ROW_HASH_HEX_DIGITS);
  return { text: canonicalValue(kind, loaded), hash: BigInt(`0x${hex}`).toString() };
}

/** One row of the probe's answer: Snowflake's canonical text and row hash of sentinel `index`. */
export interface ProbeAnswer {
  index: number;
  text: string | null;
  hash: string | null;
}

/**
 * Throws CalibrationMismatch naming the type, the value (and, when given, the load path it took) and both
 * texts at the first sentinel whose text or hash differs from the worker's.
 */
export function checkProbe(type: ProbeType, loaded: string[], answers: ProbeAnswer[], via?: string): void {
  for (const [index, value] of loaded.entries()) {
    const answer = answers.find((a) => a.index === index);
    const want = expected(type.kind, value);
    const what = `the ${type.targetType} value ${JSON.stringify(value)}${via ? ` ${via}` : ''}`;
    if (answer?.text !== want.text) {
      throw new MigrationError(
        'CalibrationMismatch',
        `Calibration: Snowflake prints ${what} as ${JSON.stringify(answer?.text ?? null)}, the worker as ${JSON.stringify(want.text)}.`,
      );
    }
    if (answer.hash !== want.hash) {
      throw new MigrationError(
        'CalibrationMismatch',
        `Calibration: Snowflake's row hash of ${what} (${JSON.stringify(answer.text)}) is ${answer.hash}, the worker's ${want.hash}.`,
      );
    }
  }
}

/**
 * CalibrationMismatch for a sentinel the COPY path refused, named by the type and value at `record`
 * (1-based, as COPY counts the batch file's records) and `column` of the probe table, when COPY's
 * message says where; else by the types probed.
 */
export function refusedSentinel(
  types: ProbeType[],
  where: { reason: string; row?: number; column?: string },
  via: string,
): MigrationError {
  const k = types.findIndex((_, position) => probeValueColumn(position) === where.column);
  const value = k >= 0 && where.row !== undefined ? loadedSentinels(types)[k]![where.row - 1] : undefined;
  const what =
    k >= 0
      ? `the ${types[k]!.targetType} value${value === undefined ? '' : ` ${JSON.stringify(value)}`}`
      : `a value of ${types.map((t) => t.targetType).join(', ')}`;
  return new MigrationError(
    'CalibrationMismatch',
    `Calibration: Snowflake refused ${what} ${via}, which the worker loads as it is: ${where.reason}`,
  );
}
