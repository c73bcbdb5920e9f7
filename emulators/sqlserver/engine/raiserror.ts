/**
 * RAISERROR's message text: its printf-like format with the arguments put in, as SQL Server documents it
 * (`% [flag] [width] [.precision] [h|l] type`, types d i o s u x X; a missing or NULL argument prints
 * "(null)"; messages longer than 2047 characters end in an ellipsis).
 */
import { SqlError } from '../errors';
import { convert } from '../types/convert';
import { isIntegerType, isStringType } from '../types/sql-type';
import type { Typed } from '../types/values';

const SPEC = /%([-+0# ]*)(\d+|\*)?(?:\.(\d+|\*))?(?:h|l|I64)?([diosuxX%])?/g;
const MAX_LENGTH = 2047;

export function formatRaiserror(format: string, args: Typed[]): string {
  let next = 0;
  const take = (): Typed | undefined => args[next++];
  const number = (v: Typed | undefined): number | undefined => {
    if (!v || v.value === null) return undefined;
    if (!isIntegerType(v.type)) throw mismatch(next);
    return Number(v.value);
  };
  const text = format.replace(
    SPEC,
    (spec, flags: string, width?: string, precision?: string, type?: string) => {
      if (type === undefined) throw new SqlError(2787, `Invalid format specification: '${spec}'.`);
      if (type === '%') return '%';
      const w = width === '*' ? (number(take()) ?? 0) : Number(width ?? 0);
      const p = precision === '*' ? number(take()) : precision === undefined ? undefined : Number(precision);
      const arg = take();
      let body: string;
      if (arg === undefined || arg.value === null) body = '(null)';
      else if (type === 's') {
        if (!isStringType(arg.type)) throw mismatch(next);
        body = String(convert(arg.value, arg.type, { name: 'nvarchar', length: -1 }));
        if (p !== undefined) body = body.slice(0, p);
      } else {
        const n = number(arg)!;
        const unsigned = type !== 'd' && type !== 'i';
        const magnitude = unsigned ? n >>> 0 : Math.abs(n);
        let digits = magnitude.toString(type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10);
        if (type === 'X') digits = digits.toUpperCase();
        if (p !== undefined) digits = digits.padStart(p, '0');
        if (flags.includes('#') && n !== 0)
          digits = (type === 'o' ? '0' : type === 'x' ? '0x' : type === 'X' ? '0X' : '') + digits;
        const sign =
          !unsigned && n < 0
            ? '-'
            : flags.includes('+') && !unsigned
              ? '+'
              : flags.includes(' ') && !unsigned
                ? ' '
                : '';
        if (flags.includes('0') && !flags.includes('-') && p === undefined)
          digits = digits.padStart(w - sign.length, '0');
        body = sign + digits;
      }
      return flags.includes('-') ? body.padEnd(w) : body.padStart(w);
    },
  );
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 3)}...` : text;
}

const mismatch = (position: number): SqlError =>
  new SqlError(
    2786,
    `The data type of substitution parameter ${position} does not match the expected type of the format specification.`,
  );
