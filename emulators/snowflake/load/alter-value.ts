/**
 * The "altered loaded values" fault: what a faulty load would store instead of the value it was given,
 * one alteration per type class, each the smallest change a content check must still see. Pure.
 */
import type { SnowflakeType } from '../types';
import { NS_PER_DAY } from '../values/calendar';
import { packTz, unpackTz, type Stored } from '../values/parse';

const GUID = /^([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})(-[0-9A-Fa-f-]{27})$/;
/** One 100 ns tick, in the nanoseconds TIME and TIMESTAMP values are stored in. */
const TICK_NS = 100n;

/** A string's character changed, or a GUID's first group in the other byte order. */
function alterText(text: string): string {
  const guid = GUID.exec(text);
  if (guid && guid[1] !== guid[4]) return `${guid[4]}${guid[3]}${guid[2]}${guid[1]}${guid[5]}`;
  if (!text.length) return ' ';
  const last = text.codePointAt(text.length - 1)!;
  return text.slice(0, -1) + String.fromCodePoint(last === 0x7a ? 0x79 : last + 1);
}

/** The double whose last mantissa bit differs. */
function alterFloat(n: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  view.setUint8(7, view.getUint8(7) ^ 1);
  return view.getFloat64(0);
}

/** One step away, toward zero's side when a step up would leave the day or the precision. */
const nudge = (value: bigint, step: bigint, limit: bigint) =>
  value + step < limit ? value + step : value - step;

export function alterStored(type: SnowflakeType, value: Stored): Stored {
  switch (type.kind) {
    case 'TEXT':
      return alterText(value as string);
    case 'NUMBER':
      // The last digit of the unscaled value: 12.3400 becomes 12.3401.
      return nudge(value as bigint, 1n, 10n ** BigInt(type.precision));
    case 'FLOAT':
      return alterFloat(value as number);
    case 'BOOLEAN':
      return !(value as boolean);
    case 'BINARY': {
      const bytes = Uint8Array.from(value as Uint8Array);
      if (bytes.length) bytes[0]! ^= 0x01;
      return bytes.length ? bytes : Uint8Array.of(0);
    }
    case 'DATE':
      return (value as number) + 1;
    case 'TIME':
      return nudge(value as bigint, TICK_NS, NS_PER_DAY);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      return (value as bigint) + TICK_NS;
    case 'TIMESTAMP_TZ': {
      // The same instant with an offset an hour away: what a lost or doubled time zone leaves.
      const { instantNs, offsetMinutes } = unpackTz(value as bigint);
      return packTz(instantNs, offsetMinutes <= 780 ? offsetMinutes + 60 : offsetMinutes - 60);
    }
    default:
      return value;
  }
}
