/**
 * DATEADD(datepart, number, date) as documented
 * (https://learn.microsoft.com/en-us/sql/t-sql/functions/dateadd-transact-sql):
 * - datepart is a keyword or one of its abbreviations, never a variable or string (1023; an unknown word
 *   is 155);
 * - number is an int (a fraction is truncated, 8115 beyond int);
 * - the result has the type of date, datetime for a string literal;
 * - month (and year, quarter) keep the day unless the target month is shorter: then its last day;
 * - a result outside the type's range is 517; microsecond and nanosecond are not allowed for
 *   smalldatetime, date and datetime (9810), nor time parts for date (9810); nanosecond counts in
 *   100 ns steps, rounded ("a number between 1 and 49 rounds down to 0, 50-99 rounds up to 100");
 * - datetime and smalldatetime round the sum as a conversion does (so a millisecond is rounded to 1/300 s).
 * DATEADD on `time` is refused (not supported): the page does not say how a sum past midnight wraps.
 */
import { SqlError, notSupported } from '../errors';
import { convert, partsOf } from './convert';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  joinTicks,
  MAX_DAY,
  splitTicks,
  TICKS_PER_DAY_N,
  TICKS_PER_MINUTE_N,
  TICKS_PER_SECOND,
} from './datetime';
import type { SqlType } from './sql-type';
import { isStringType } from './sql-type';
import type { SqlValue } from './values';

export type DatePart =
  | 'year'
  | 'quarter'
  | 'month'
  | 'dayofyear'
  | 'day'
  | 'week'
  | 'weekday'
  | 'hour'
  | 'minute'
  | 'second'
  | 'millisecond'
  | 'microsecond'
  | 'nanosecond';

/** The page's table of dateparts and abbreviations. */
const DATE_PARTS: Record<string, DatePart> = {
  year: 'year',
  yy: 'year',
  yyyy: 'year',
  quarter: 'quarter',
  qq: 'quarter',
  q: 'quarter',
  month: 'month',
  mm: 'month',
  m: 'month',
  dayofyear: 'dayofyear',
  dy: 'dayofyear',
  y: 'dayofyear',
  day: 'day',
  dd: 'day',
  d: 'day',
  week: 'week',
  wk: 'week',
  ww: 'week',
  weekday: 'weekday',
  dw: 'weekday',
  w: 'weekday',
  hour: 'hour',
  hh: 'hour',
  minute: 'minute',
  mi: 'minute',
  n: 'minute',
  second: 'second',
  ss: 'second',
  s: 'second',
  millisecond: 'millisecond',
  ms: 'millisecond',
  microsecond: 'microsecond',
  mcs: 'microsecond',
  nanosecond: 'nanosecond',
  ns: 'nanosecond',
};

/** The datepart a keyword names; 155 for a word that is none. */
export function datePart(word: string, fn: string): DatePart {
  const part = DATE_PARTS[word.toLowerCase()];
  if (!part) throw new SqlError(155, `'${word}' is not a recognized ${fn} option.`, { class: 15 });
  return part;
}

const MONTHS: Partial<Record<DatePart, number>> = { year: 12, quarter: 3, month: 1 };
const DAYS: Partial<Record<DatePart, number>> = { dayofyear: 1, day: 1, weekday: 1, week: 7 };
const TICKS: Partial<Record<DatePart, number>> = {
  hour: 3600 * TICKS_PER_SECOND,
  minute: 60 * TICKS_PER_SECOND,
  second: TICKS_PER_SECOND,
  millisecond: TICKS_PER_SECOND / 1000,
  microsecond: 10,
};

const DATE_TYPES = new Set(['date', 'smalldatetime', 'datetime', 'datetime2', 'datetimeoffset']);

/** The result type: the date's own, datetime for a string. */
export function dateAddType(date: SqlType): SqlType {
  if (isStringType(date)) return { name: 'datetime' };
  if (date.name === 'time') throw notSupported('DATEADD on time values');
  if (!DATE_TYPES.has(date.name))
    throw new SqlError(
      8116,
      `Argument data type ${date.name} is invalid for argument 3 of dateadd function.`,
    );
  return date;
}

function notForType(part: DatePart, type: SqlType): SqlError {
  return new SqlError(
    9810,
    `The datepart ${part} is not supported by date function dateadd for data type ${type.name}.`,
  );
}

const overflow = (type: SqlType): SqlError =>
  new SqlError(517, `Adding a value to a '${type.name}' column caused an overflow.`);

/** Days and ticks plus `number` dateparts, checked against 0001-01-01 .. 9999-12-31. */
function shift(days: number, ticks: number, part: DatePart, number: number, type: SqlType): bigint {
  const months = MONTHS[part];
  if (months !== undefined) {
    const [y, m, d] = civilFromDays(days);
    const index = y * 12 + (m - 1) + number * months;
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    if (year < 1 || year > 9999) throw overflow(type);
    return joinTicks(daysFromCivil(year, month, Math.min(d, daysInMonth(year, month))), ticks);
  }
  const perDay = DAYS[part];
  const step =
    perDay !== undefined
      ? BigInt(number * perDay) * TICKS_PER_DAY_N
      : part === 'nanosecond'
        ? BigInt(Math.floor((number + 50) / 100))
        : BigInt(number) * BigInt(TICKS[part]!);
  const total = joinTicks(days, ticks) + step;
  if (total < 0n || total >= BigInt(MAX_DAY + 1) * TICKS_PER_DAY_N) throw overflow(type);
  return total;
}

/** DATEADD of a non-NULL number (an int) and date of type `type` (a date/time type or a string). */
export function dateAdd(part: DatePart, number: number, value: SqlValue, type: SqlType): SqlValue {
  const result = dateAddType(type);
  const fine = part === 'microsecond' || part === 'nanosecond';
  if (fine && ['date', 'smalldatetime', 'datetime'].includes(result.name)) throw notForType(part, result);
  if (result.name === 'date' && (TICKS[part] !== undefined || fine)) throw notForType(part, result);
  const parts = partsOf(value, type, result);
  const sum = shift(parts.days, parts.ticks, part, Math.trunc(number), result);
  if (result.name === 'datetimeoffset') {
    const offset = parts.offset ?? 0;
    const utc = sum - BigInt(offset) * TICKS_PER_MINUTE_N;
    if (utc < 0n || utc >= BigInt(MAX_DAY + 1) * TICKS_PER_DAY_N) throw overflow(result);
    return { utc, offset };
  }
  if (result.name === 'date') return splitTicks(sum).days;
  try {
    // datetime2 carries the sum; the conversion rounds it to the result type as a CAST would.
    return convert(sum, { name: 'datetime2', scale: 7 }, result);
  } catch (e) {
    if (e instanceof SqlError && e.number === 242) throw overflow(result);
    throw e;
  }
}
