/**
 * The SET options whose values change what SQL Server answers: TEXTSIZE (how much of a large value a
 * SELECT returns), DATEFIRST (reported by @@DATEFIRST), LANGUAGE and DATEFORMAT. The stand-in only knows
 * us_english and its mdy order, so other languages and orders are refused rather than ignored.
 */
import { SqlError, notSupported } from '../errors';
import { MAX, type SqlType } from '../types/sql-type';
import type { SqlValue } from '../types/values';

const UNLIMITED = 2_147_483_647;
/** SET TEXTSIZE 0 restores SQL Server's default of 4 KB. */
const DEFAULT_TEXTSIZE = 4096;
const LARGE_TYPES = new Set(['text', 'ntext', 'image']);

export class SessionOptions {
  /** tedious and ODBC set TEXTSIZE 2147483647 at login; the stand-in starts there. */
  textSize = UNLIMITED;
  dateFirst = 7;

  setTextSize(n: number): void {
    this.textSize = n === 0 ? DEFAULT_TEXTSIZE : n === -1 ? UNLIMITED : n;
  }

  setDateFirst(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > 7)
      throw new SqlError(2742, `SET DATEFIRST ${n} is out of range.`);
    this.dateFirst = n;
  }

  setLanguage(name: string): void {
    if (!['us_english', 'english'].includes(name.toLowerCase())) notSupportedSetting(`SET LANGUAGE ${name}`);
  }

  setDateFormat(order: string): void {
    if (order.toLowerCase() !== 'mdy') notSupportedSetting(`SET DATEFORMAT ${order}`);
  }

  /** Whether TEXTSIZE cuts values of this type: max and text/ntext/image columns, when it is not unlimited. */
  limits(type: SqlType): boolean {
    return this.textSize < UNLIMITED && (LARGE_TYPES.has(type.name) || type.length === MAX);
  }

  /** A SELECT's value of such a column, cut to TEXTSIZE bytes as SQL Server sends it. */
  limit(type: SqlType, value: SqlValue): SqlValue {
    if (Buffer.isBuffer(value))
      return value.length > this.textSize ? value.subarray(0, this.textSize) : value;
    if (typeof value !== 'string') return value;
    const chars =
      type.name === 'nvarchar' || type.name === 'ntext' ? Math.floor(this.textSize / 2) : this.textSize;
    return value.length > chars ? value.slice(0, chars) : value;
  }
}

function notSupportedSetting(what: string): never {
  throw notSupported(`${what} (only us_english with the mdy date order)`);
}
