/**
 * Calendar arithmetic and the text forms of SQL Server's date and time types. Values are kept as integers
 * so that nothing is lost: days since 0001-01-01, 100 ns ticks, 1/300 s units for `datetime`.
 */
import {
  civilFromDays as civilFromDaysSince1970,
  daysFromCivil as daysSince1970,
} from '../../shared/civil-calendar';
import { SqlError } from '../errors';

export const TICKS_PER_SECOND = 10_000_000;
export const TICKS_PER_MINUTE = 60 * TICKS_PER_SECOND;
export const TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND;
export const TICKS_PER_DAY_N = BigInt(TICKS_PER_DAY);
export const TICKS_PER_MINUTE_N = BigInt(TICKS_PER_MINUTE);
/** `datetime` counts 1/300 s. */
export const DATETIME_UNITS_PER_DAY = 86_400 * 300;
export const MINUTES_PER_DAY = 1440;
/** The largest day number (9999-12-31). */
export const MAX_DAY = 3_652_058;

/** Day 0 here is 0001-01-01; the shared calendar counts from 1970-01-01. */
const DAYS_FROM_0001_TO_1970 = 719_162;

/** Days since 0001-01-01 in the proleptic Gregorian calendar. */
export function daysFromCivil(year: number, month: number, day: number): number {
  return daysSince1970(year, month, day) + DAYS_FROM_0001_TO_1970;
}

export function civilFromDays(days: number): [year: number, month: number, day: number] {
  const { year, month, day } = civilFromDaysSince1970(days - DAYS_FROM_0001_TO_1970);
  return [year, month, day];
}

export const DAY_1900 = daysFromCivil(1900, 1, 1);
export const DAY_1753 = daysFromCivil(1753, 1, 1);
export const DAY_2079_06_06 = daysFromCivil(2079, 6, 6);

export const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/** A point in local time, what every date/time text form is made of. */
export interface DateTimeParts {
  /** Days since 0001-01-01. */
  days: number;
  /** 100 ns ticks since midnight. */
  ticks: number;
  /** Offset from UTC in minutes, when the text or value carries one. */
  offset?: number;
  /** Digits of fraction written in the text (parsing only). */
  fractionDigits?: number;
  hasDate?: boolean;
  hasTime?: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function monthFromName(name: string): number | undefined {
  const lower = name.toLowerCase();
  const full = MONTH_NAMES.indexOf(lower);
  if (full >= 0) return full + 1;
  const short = MONTHS.indexOf(lower);
  return short >= 0 ? short + 1 : undefined;
}

/** The canonical forms (ODBC and ISO 8601 without offset), read without the general parser. */
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;
const TIME_RE = /^(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:[.:](\d+))?)?)?\s*([AaPp][Mm])?$/;
const OFFSET_RE = /^(.*?)\s*(?:([Zz])|([+-])(\d{1,2}):(\d{2}))$/;

/** Parses `hh:mi[:ss[.fffffff]][AM|PM]` into ticks since midnight. */
function parseTime(text: string): { ticks: number; fractionDigits: number } | undefined {
  const m = TIME_RE.exec(text.trim());
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  const fraction = m[4] ?? '';
  const ampm = m[5]?.toLowerCase();
  if (m[2] === undefined && !ampm) return undefined;
  if (ampm) {
    if (hour < 1 || hour > 12) {
      if (!(hour === 0 && ampm === 'am')) return undefined;
    }
    if (ampm === 'am' && hour === 12) hour = 0;
    if (ampm === 'pm' && hour < 12) hour += 12;
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (fraction.length > 7) return undefined;
  const fractionTicks = fraction ? Number(fraction.padEnd(7, '0')) : 0;
  return {
    ticks: ((hour * 60 + minute) * 60 + second) * TICKS_PER_SECOND + fractionTicks,
    fractionDigits: fraction.length,
  };
}

function validDate(year: number, month: number, day: number): boolean {
  return (
    year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

const expandYear = (year: string): number => {
  const y = Number(year);
  if (year.length > 2) return y;
  return y < 50 ? 2000 + y : 1900 + y;
};

/** The date part of a string, in the forms SQL Server reads with `us_english` (DATEFORMAT mdy). */
function parseDate(text: string): { days: number; rest: string } | undefined {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[\sT])/.exec(text);
  let year: number, month: number, day: number;
  if (m) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^(\d{4})(\d{2})(\d{2})(?=$|\s)/.exec(text))) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?=$|\s)/.exec(text))) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?=$|\s)/.exec(text))) {
    [month, day, year] = [Number(m[1]), Number(m[2]), expandYear(m[3]!)];
  } else if ((m = /^([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})(?=$|\s)/.exec(text))) {
    const mon = monthFromName(m[1]!);
    if (!mon) return undefined;
    [year, month, day] = [Number(m[3]), mon, Number(m[2])];
  } else if ((m = /^(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})(?=$|\s)/.exec(text))) {
    const mon = monthFromName(m[2]!);
    if (!mon) return undefined;
    [year, month, day] = [Number(m[3]), mon, Number(m[1])];
  } else {
    return undefined;
  }
  if (!validDate(year, month, day)) return undefined;
  return { days: daysFromCivil(year, month, day), rest: text.slice(m[0].length) };
}

/**
 * Reads a date/time string as SQL Server does for the conversion to a date/time type; undefined when
 * SQL Server would refuse it (error 241). Missing parts default to 1900-01-01 and midnight.
 */
export function parseDateTimeText(raw: string): DateTimeParts | undefined {
  const iso = ISO_RE.exec(raw);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (!validDate(year, month, day)) return undefined;
    const [hour, minute, second] = [Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    const fraction = iso[7] ?? '';
    return {
      days: daysFromCivil(year, month, day),
      ticks:
        ((hour * 60 + minute) * 60 + second) * TICKS_PER_SECOND +
        (fraction ? Number(fraction.padEnd(7, '0')) : 0),
      hasDate: true,
      hasTime: iso[4] !== undefined,
      fractionDigits: fraction.length,
    };
  }
  let text = raw.trim();
  if (text === '') return { days: DAY_1900, ticks: 0, hasDate: false, hasTime: false };
  let offset: number | undefined;
  const off = OFFSET_RE.exec(text);
  // An offset ("Z", "+05:45") only ever follows a time ("10:00:00 +05:45", "2024-01-01T10:00Z").
  if (off && /\d:\d{2}(:\d{2}([.:]\d+)?)?\s*([AaPp][Mm])?$/.test(off[1] ?? '')) {
    if (off[2]) offset = 0;
    else {
      const hours = Number(off[4]);
      const minutes = Number(off[5]);
      if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return undefined;
      offset = (off[3] === '-' ? -1 : 1) * (hours * 60 + minutes);
    }
    text = off[1]!.trim();
  }
  const date = parseDate(text);
  if (date) {
    const rest = date.rest.replace(/^T/, '').trim();
    if (rest === '')
      return { days: date.days, ticks: 0, offset, hasDate: true, hasTime: false, fractionDigits: 0 };
    const time = parseTime(rest);
    if (!time) return undefined;
    return {
      days: date.days,
      ticks: time.ticks,
      offset,
      hasDate: true,
      hasTime: true,
      fractionDigits: time.fractionDigits,
    };
  }
  const time = parseTime(text);
  if (!time) return undefined;
  return {
    days: DAY_1900,
    ticks: time.ticks,
    offset,
    hasDate: false,
    hasTime: true,
    fractionDigits: time.fractionDigits,
  };
}

/** Rounds ticks (half up) to `scale` fractional digits of a second. */
export function roundTicks(ticks: number, scale: number): number {
  const unit = 10 ** (7 - scale);
  return Math.floor((ticks + unit / 2) / unit) * unit;
}

/** `datetime` rounds to 1/300 s: .000, .003, .007. Returns units since midnight (may reach a full day). */
export function ticksToDatetimeUnits(ticks: number): number {
  // units = round(ticks * 300 / 10^7) = round(ticks * 3 / 100000), half up, in exact integer arithmetic.
  return Math.floor((ticks * 3 + 50_000) / 100_000);
}

export function datetimeUnitsToTicks(units: number): number {
  // Each unit is 33333.33... ticks; SQL Server shows .003/.007, i.e. rounds to the millisecond first.
  const ms = Math.round((units * 10) / 3);
  return ms * 10_000;
}

/** datetime value (1/300 s units since 1900-01-01) from local days and ticks; throws 242 when out of range. */
export function toDatetime(days: number, ticks: number, source: string): number {
  let units = ticksToDatetimeUnits(ticks);
  let d = days;
  if (units >= DATETIME_UNITS_PER_DAY) {
    units -= DATETIME_UNITS_PER_DAY;
    d += 1;
  }
  if (d < DAY_1753 || d > MAX_DAY) throw outOfRange(source, 'datetime');
  return (d - DAY_1900) * DATETIME_UNITS_PER_DAY + units;
}

export function fromDatetime(value: number): { days: number; ticks: number } {
  const dayOffset = Math.floor(value / DATETIME_UNITS_PER_DAY);
  const units = value - dayOffset * DATETIME_UNITS_PER_DAY;
  return { days: DAY_1900 + dayOffset, ticks: datetimeUnitsToTicks(units) };
}

/** smalldatetime rounds to the minute: 29.998 s rounds down, 29.999 s up. */
export function toSmallDatetime(days: number, ticks: number, source: string): number {
  const minuteTicks = ticks % TICKS_PER_MINUTE;
  let minutes = (ticks - minuteTicks) / TICKS_PER_MINUTE;
  if (minuteTicks >= 29_999 * 10_000) minutes += 1;
  const total = (days - DAY_1900) * MINUTES_PER_DAY + minutes;
  if (total < 0 || total > (DAY_2079_06_06 - DAY_1900) * MINUTES_PER_DAY + 23 * 60 + 59)
    throw outOfRange(source, 'smalldatetime');
  return total;
}

export function fromSmallDatetime(value: number): { days: number; ticks: number } {
  const dayOffset = Math.floor(value / MINUTES_PER_DAY);
  return { days: DAY_1900 + dayOffset, ticks: (value - dayOffset * MINUTES_PER_DAY) * TICKS_PER_MINUTE };
}

export function outOfRange(source: string, target: string): SqlError {
  return new SqlError(
    242,
    `The conversion of a ${source} data type to a ${target} data type resulted in an out-of-range value.`,
  );
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const TICKS_PER_HOUR = 3600 * TICKS_PER_SECOND;
const MONTH_ABBREVIATIONS = MONTHS.map((m) => m[0]!.toUpperCase() + m.slice(1));

export interface DateTimeFormat {
  /** Digits of fraction to print (the type's scale; 3 for datetime). */
  fraction: number;
  hasDate: boolean;
  hasTime: boolean;
  /** Whether the type carries an offset (datetimeoffset). */
  hasOffset: boolean;
  /** `datetime`/`smalldatetime`: style 126 drops a zero fraction. */
  legacy: boolean;
}

function fractionText(ticks: number, digits: number, separator = '.'): string {
  if (digits === 0) return '';
  return separator + pad(ticks % TICKS_PER_SECOND, 7).slice(0, digits);
}

function offsetText(offset: number): string {
  const abs = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** Styles that print only a date, and how. */
function dateOnlyText(style: number, year: number, month: number, day: number): string | undefined {
  const yyyy = pad(year, 4);
  const y = style >= 100 ? yyyy : pad2(year % 100);
  const [mm, dd, mon] = [pad2(month), pad2(day), MONTH_ABBREVIATIONS[month - 1]!];
  switch (style === 23 ? 23 : style % 100) {
    case 1:
      return `${mm}/${dd}/${y}`;
    case 2:
      return `${y}.${mm}.${dd}`;
    case 3:
      return `${dd}/${mm}/${y}`;
    case 4:
      return `${dd}.${mm}.${y}`;
    case 5:
      return `${dd}-${mm}-${y}`;
    case 6:
      return `${dd} ${mon} ${y}`;
    case 7:
      return `${mon} ${dd}, ${y}`;
    case 10:
      return `${mm}-${dd}-${y}`;
    case 11:
      return `${y}/${mm}/${dd}`;
    case 12:
      return `${y}${mm}${dd}`;
    case 23:
      return `${yyyy}-${mm}-${dd}`;
  }
  return undefined;
}

/**
 * Date and time as the style has them; a type without one of the two prints the other. Module-level,
 * not a closure per value: under tsx (esbuild keepNames) every closure made costs a __name call.
 */
function joinDateTime(
  format: DateTimeFormat,
  offset: number | undefined,
  date: string,
  time: string,
): string {
  const zone = offset === undefined ? '' : ` ${offsetText(offset)}`;
  if (!format.hasDate) return time + zone;
  if (!format.hasTime) return date;
  return `${date} ${time}${zone}`;
}

/** Formats a local date/time in one of CONVERT's styles. */
export function formatDateTime(parts: DateTimeParts, format: DateTimeFormat, style: number): string {
  const [year, month, day] = civilFromDays(parts.days);
  const t = parts.ticks;
  const hour = Math.floor(t / TICKS_PER_HOUR);
  const minute = Math.floor(t / TICKS_PER_MINUTE) % 60;
  const second = Math.floor(t / TICKS_PER_SECOND) % 60;
  const hms = `${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
  const offset = format.hasOffset && parts.offset !== undefined ? parts.offset : undefined;
  const iso = `${pad(year, 4)}-${pad2(month)}-${pad2(day)}`;
  switch (style) {
    case 20:
    case 120:
      return joinDateTime(format, offset, iso, hms);
    case 21:
    case 25:
    case 121:
      return joinDateTime(format, offset, iso, hms + fractionText(t, format.fraction));
    case 126:
    case 127: {
      const fraction = format.legacy && t % TICKS_PER_SECOND === 0 ? '' : fractionText(t, format.fraction);
      if (!format.hasDate) return hms + fraction;
      if (!format.hasTime) return iso;
      if (offset === undefined) return `${iso}T${hms}${fraction}`;
      return style === 127 ? `${iso}T${hms}${fraction}Z` : `${iso}T${hms}${fraction}${offsetText(offset)}`;
    }
    case 8:
    case 24:
    case 108:
    case 14:
    case 114:
      if (!format.hasTime) throw styleNotSupported(style);
      return style % 100 === 14 ? hms + fractionText(t, format.fraction, ':') : hms;
  }
  const h12 = String(hour % 12 === 0 ? 12 : hour % 12).padStart(2, ' ');
  const ampm = hour < 12 ? 'AM' : 'PM';
  const mon = MONTH_ABBREVIATIONS[month - 1]!;
  const longDate = `${mon} ${String(day).padStart(2, ' ')} ${pad(year, 4)}`;
  switch (style) {
    case 0:
    case 100:
      return joinDateTime(format, offset, longDate, `${h12}:${pad2(minute)}${ampm}`);
    case 9:
    case 109:
      return joinDateTime(
        format,
        offset,
        longDate,
        `${h12}:${pad2(minute)}:${pad2(second)}${fractionText(t, format.fraction, ':')}${ampm}`,
      );
    case 13:
    case 113:
      return joinDateTime(
        format,
        offset,
        `${pad2(day)} ${mon} ${pad(year, 4)}`,
        hms + fractionText(t, format.fraction, ':'),
      );
    case 22:
      return joinDateTime(
        format,
        offset,
        `${pad2(month)}/${pad2(day)}/${pad2(year % 100)}`,
        `${h12}:${pad2(minute)}:${pad2(second)} ${ampm}`,
      );
  }
  const date = dateOnlyText(style, year, month, day);
  if (date === undefined || !format.hasDate) throw styleNotSupported(style);
  return date;
}

function styleNotSupported(style: number): SqlError {
  return new SqlError(
    281,
    `${style} is not a valid style number when converting from datetime to a character string.`,
  );
}

/** Splits ticks since 0001-01-01 into days and ticks of the day. */
export function splitTicks(total: bigint): { days: number; ticks: number } {
  const days = total / TICKS_PER_DAY_N;
  return { days: Number(days), ticks: Number(total - days * TICKS_PER_DAY_N) };
}

export const joinTicks = (days: number, ticks: number): bigint =>
  BigInt(days) * TICKS_PER_DAY_N + BigInt(ticks);
