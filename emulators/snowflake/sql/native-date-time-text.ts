/**
 * TO_VARCHAR of a DATE, TIME, TIMESTAMP_NTZ or TIMESTAMP_TZ column with an ISO-like format model
 * ('YYYY-MM-DD', 'HH24:MI:SS.FF7', 'YYYY-MM-DD HH24:MI:SS.FF7', the same with ' TZH:TZM') as DuckDB SQL,
 * so that printing millions of values does not go row by row through the stand-in's JavaScript
 * function (src/sql/snowflake/content-queries.ts checksums every row this way). The text is what that function prints
 * (values/format.ts; a test compares the two on generated values). Values outside years 1 to 9999, which
 * DuckDB prints its own way, still go through the function: `fallback`.
 */
import { structTag, type SnowflakeType } from '../types';
import { TZ_OFFSET_BIAS, TZ_PACK } from '../values/parse';
import { once } from './once';

const NS_PER_SECOND = 1_000_000_000n;
/** 0001-01-01 00:00:00 and 9999-12-31 23:59:59.999999999 in nanoseconds since 1970. */
const FIRST_NS = -62_135_596_800n * NS_PER_SECOND;
const LAST_NS = 253_402_300_800n * NS_PER_SECOND - 1n;

const TZ_PACK_BITS = TZ_PACK.toString(2).length - 1;
if (1n << BigInt(TZ_PACK_BITS) !== TZ_PACK) throw new Error('TZ_PACK must be a power of two');

const TIME_MODEL = /^HH24:MI:SS(?:\.FF([1-9]))?$/;

/** The positive remainder of `a` by `n` (DuckDB's % keeps the sign of `a`). */
const floorMod = (a: string, n: bigint) => `(((${a}) % ${n}) + ${n}) % ${n}`;

/** `digits` digits of a fraction of a second, truncated as the FFn element does. */
const fraction = (nanos: string, digits: number) =>
  `'.' || lpad(CAST((${nanos}) // ${10n ** BigInt(9 - digits)} AS VARCHAR), ${digits}, '0')`;

/** HH24:MI:SS[.FFn] of nanoseconds of the day (a BIGINT from 0 to a day). */
function clock(ns: string, digits: number | undefined): string {
  const seconds = `((${ns}) // ${NS_PER_SECOND})`;
  const hms = `printf('%02d:%02d:%02d', ${seconds} // 3600, (${seconds} // 60) % 60, ${seconds} % 60)`;
  return digits === undefined ? hms : `${hms} || ${fraction(`(${ns}) % ${NS_PER_SECOND}`, digits)}`;
}

/**
 * Wall clocks (nanoseconds) printed in BIGINT arithmetic: years 1677 to 2262, less a second at the low
 * end, where taking the fraction away would go below BIGINT's range.
 */
const [FIRST_BIGINT_NS, LAST_BIGINT_NS] = [-(2n ** 63n) + NS_PER_SECOND, 2n ** 63n - 1n];

/**
 * YYYY-MM-DD HH24:MI:SS[.FFn] of wall-clock nanoseconds since 1970 (a HUGEINT within years 1 to 9999).
 * HUGEINT % and // cost about 500 ns each in DuckDB, BIGINT's a few: a value that fits in a BIGINT
 * (years 1677 to 2262) is printed as one.
 */
function wallClock(ns: string, digits: number | undefined): string {
  const text = (wall: string) =>
    once(floorMod(wall, NS_PER_SECOND), 'sf_nanos', (nanos) => {
      const seconds = `CAST(((${wall}) - ${nanos}) // ${NS_PER_SECOND} AS BIGINT)`;
      const hms = `strftime(make_timestamp(${seconds} * 1000000), '%Y-%m-%d %H:%M:%S')`;
      return digits === undefined ? hms : `${hms} || ${fraction(nanos, digits)}`;
    });
  return (
    `(CASE WHEN (${ns}) BETWEEN ${FIRST_BIGINT_NS} AND ${LAST_BIGINT_NS} ` +
    `THEN ${once(`CAST(${ns} AS BIGINT)`, 'sf_ns64', text)} ELSE ${text(ns)} END)`
  );
}

/** +HH:MM of an offset in minutes. */
const offsetText = (minutes: string) =>
  `(CASE WHEN ${minutes} < 0 THEN '-' ELSE '+' END) || printf('%02d:%02d', abs(${minutes}) // 60, abs(${minutes}) % 60)`;

const inYears1To9999 = (ns: string) => `(${ns}) BETWEEN ${FIRST_NS} AND ${LAST_NS}`;

/**
 * The DuckDB SQL of TO_VARCHAR(column, model), or undefined where this file does not print that model
 * for that type. `column` is the translated column reference, `model` the format model's SQL literal.
 */
export function nativeDateTimeText(
  column: string,
  type: SnowflakeType,
  model: string,
  fallback: string,
): string | undefined {
  const literal = /^'([^']*)'$/.exec(model)?.[1];
  if (literal === undefined) return undefined;
  // Times and timestamps are stored in a struct tagged with their type (see types.ts); dates are not.
  const stored = `struct_extract(${column}, '${structTag(type)}')`;
  const guarded = (inRange: string, text: string) =>
    `(CASE WHEN ${inRange} THEN ${text} ELSE ${fallback} END)`;
  switch (type.kind) {
    case 'DATE':
      return literal === 'YYYY-MM-DD'
        ? guarded(`${column} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31'`, `CAST(${column} AS VARCHAR)`)
        : undefined;
    case 'TIME': {
      const m = TIME_MODEL.exec(literal);
      if (!m) return undefined;
      return once(stored, 'sf_ns', (ns) => clock(ns, m[1] === undefined ? undefined : Number(m[1])));
    }
    case 'TIMESTAMP_NTZ': {
      const m = literal.startsWith('YYYY-MM-DD ') ? TIME_MODEL.exec(literal.slice(11)) : null;
      if (!m) return undefined;
      const digits = m[1] === undefined ? undefined : Number(m[1]);
      return once(stored, 'sf_ns', (ns) => guarded(inYears1To9999(ns), wallClock(ns, digits)));
    }
    case 'TIMESTAMP_TZ': {
      const m =
        literal.startsWith('YYYY-MM-DD ') && literal.endsWith(' TZH:TZM')
          ? TIME_MODEL.exec(literal.slice(11, -8))
          : null;
      if (!m) return undefined;
      const digits = m[1] === undefined ? undefined : Number(m[1]);
      // Stored packed: the instant in nanoseconds times TZ_PACK, plus the offset in minutes and a bias.
      // TZ_PACK is a power of two: a mask and a shift unpack it, exactly and cheaply (see wallClock).
      return once(stored, 'sf_packed', (packed) => {
        const minutes = `((${packed}) & ${TZ_PACK - 1n}) - ${TZ_OFFSET_BIAS}`;
        const wall = `((${packed}) >> ${TZ_PACK_BITS}) + (${minutes}) * ${60n * NS_PER_SECOND}`;
        // The wall clock and the offset, each computed once too.
        return once(`{'wall': ${wall}, 'minutes': ${minutes}}`, 'sf_local', (local) => {
          const [localWall, localMinutes] = [`${local}.wall`, `${local}.minutes`];
          return guarded(
            inYears1To9999(localWall),
            `${wallClock(localWall, digits)} || ' ' || ${offsetText(localMinutes)}`,
          );
        });
      });
    }
    default:
      return undefined;
  }
}
