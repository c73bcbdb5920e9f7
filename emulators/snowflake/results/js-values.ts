/**
 * Result values for the in-process `query()` API, in forms a test can compare directly:
 *   NUMBER   a number when scale 0 and safe, otherwise the exact decimal text
 *   FLOAT    number        TEXT  string        BOOLEAN  boolean     BINARY  Buffer
 *   DATE     'YYYY-MM-DD'  TIME  'HH:MI:SS[.fraction]' (the column's scale)
 *   TIMESTAMP_NTZ  'YYYY-MM-DD HH:MI:SS[.fraction]'; _LTZ and _TZ add ' +HH:MM' (LTZ in UTC)
 *   VARIANT  the parsed JSON value
 * Pure.
 */
import { parseCanonicalJson } from '../values/json-text';
import type { SnowflakeType } from '../types';
import { dateTimeFields, formatDateTime } from '../values/format';
import { formatUnscaled, type Stored } from '../values/parse';

const fraction = (scale: number) => (scale === 0 ? '' : `.FF${scale}`);

export function jsValue(type: SnowflakeType, value: Stored | null): unknown {
  if (value === null) return null;
  switch (type.kind) {
    case 'NUMBER': {
      const big = value as bigint;
      const safe =
        type.scale === 0 && big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER);
      return safe ? Number(big) : formatUnscaled(big, type.scale);
    }
    case 'BINARY':
      return Buffer.from(value as Uint8Array);
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return parseCanonicalJson(value as string);
    case 'DATE':
      return formatDateTime(dateTimeFields(type, value, 'UTC'), 'YYYY-MM-DD');
    case 'TIME':
      return formatDateTime(dateTimeFields(type, value, 'UTC'), `HH24:MI:SS${fraction(type.scale)}`);
    case 'TIMESTAMP_NTZ':
      return formatDateTime(
        dateTimeFields(type, value, 'UTC'),
        `YYYY-MM-DD HH24:MI:SS${fraction(type.scale)}`,
      );
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return formatDateTime(
        dateTimeFields(type, value, 'UTC'),
        `YYYY-MM-DD HH24:MI:SS${fraction(type.scale)} TZH:TZM`,
      );
    default:
      return value;
  }
}
