/**
 * Calendar arithmetic on the proleptic Gregorian calendar (years 1-9999 and beyond) and time zone
 * offsets from the IANA database that Node's Intl carries. Pure apart from Intl.
 */
export const NS_PER_SECOND = 1_000_000_000n;
export const NS_PER_DAY = 86_400n * NS_PER_SECOND;
export const NS_PER_MINUTE = 60n * NS_PER_SECOND;

import { civilFromDays, daysFromCivil, type CivilDate } from '../../shared/civil-calendar';

export { civilFromDays, daysFromCivil, type CivilDate };

export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
  return day <= next - daysFromCivil(year, month, 1);
}

/** 0 = Sunday. */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** Floor division and a modulo that is never negative, for bigints. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && a < 0n) !== b < 0n ? q - 1n : q;
}

export function floorMod(a: bigint, b: bigint): bigint {
  return a - floorDiv(a, b) * b;
}

/** Splits nanoseconds since the epoch into days and nanoseconds of that day. */
export function splitDays(ns: bigint): { days: number; nsOfDay: bigint } {
  const days = floorDiv(ns, NS_PER_DAY);
  return { days: Number(days), nsOfDay: ns - days * NS_PER_DAY };
}

const UTC_NAMES = new Set(['UTC', 'ETC/UTC', 'GMT', 'ETC/GMT', 'Z']);
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Intl knows the zone (ALTER SESSION SET TIMEZONE checks this). */
export function isKnownTimeZone(zone: string): boolean {
  if (UTC_NAMES.has(zone.toUpperCase())) return true;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Clamped to the range a JS Date holds; the offsets of such years are the zone's earliest or latest. */
const MAX_MS = 8.64e15;

/** The zone's offset from UTC, in minutes, at an instant given in epoch nanoseconds. */
export function zoneOffsetMinutes(zone: string, instantNs: bigint): number {
  if (UTC_NAMES.has(zone.toUpperCase())) return 0;
  const ms = Math.max(-MAX_MS, Math.min(MAX_MS, Number(floorDiv(instantNs, 1_000_000n))));
  const wholeMs = ms - (((ms % 1000) + 1000) % 1000);
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(new Date(wholeMs))) parts[part.type] = part.value;
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const localDays = daysFromCivil(year, Number(parts.month), Number(parts.day));
  const localMs =
    localDays * 86_400_000 +
    (Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second)) * 1000;
  return Math.round((localMs - wholeMs) / 60_000);
}

/** The instant at which a zone's clocks show a wall time (the earlier one when clocks go back). */
export function instantOfWallTime(
  zone: string,
  wallNs: bigint,
): { instantNs: bigint; offsetMinutes: number } {
  let offset = zoneOffsetMinutes(zone, wallNs);
  for (let attempt = 0; attempt < 3; attempt++) {
    const candidate = wallNs - BigInt(offset) * NS_PER_MINUTE;
    const actual = zoneOffsetMinutes(zone, candidate);
    if (actual === offset) return { instantNs: candidate, offsetMinutes: offset };
    offset = actual;
  }
  return { instantNs: wallNs - BigInt(offset) * NS_PER_MINUTE, offsetMinutes: offset };
}
