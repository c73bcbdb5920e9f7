/**
 * The SET options whose values change what SQL Server answers: TEXTSIZE (how much of a large value a
 * SELECT returns), DATEFIRST (reported by @@DATEFIRST), LANGUAGE, DATEFORMAT and the ON/OFF options of
 * @@OPTIONS. The stand-in only behaves one way (us_english, mdy, ANSI_NULLS ON, ...), so other values
 * are refused rather than ignored, except where they change nothing.
 */
import { SqlError, notSupported } from '../errors';
import { MAX, type SqlType } from '../types/sql-type';
import type { SqlValue } from '../types/values';
import { OPTION_FLAGS } from '../tsql/parser';

const UNLIMITED = 2_147_483_647;
/** SET TEXTSIZE 0 restores SQL Server's default of 4 KB. */
const DEFAULT_TEXTSIZE = 4096;
const LARGE_TYPES = new Set(['text', 'ntext', 'image']);

/** The @@OPTIONS bits of the only behaviour the stand-in has: tedious' defaults (ANSI_NULLS, ...). */
const BEHAVIOUR =
  OPTION_FLAGS.get('ansi_warnings')! |
  OPTION_FLAGS.get('ansi_padding')! |
  OPTION_FLAGS.get('ansi_nulls')! |
  OPTION_FLAGS.get('arithabort')! |
  OPTION_FLAGS.get('quoted_identifier')! |
  OPTION_FLAGS.get('ansi_null_dflt_on')! |
  OPTION_FLAGS.get('concat_null_yields_null')!;
/**
 * Options that change nothing the stand-in does, either way: no cursors; ARITHABORT OFF has no effect
 * while ANSI_WARNINGS is ON.
 */
const WITHOUT_EFFECT = new Set(['cursor_close_on_commit', 'arithabort']);
/** Options the stand-in behaves by either way: XACT_ABORT ON rolls the transaction back on an error. */
const BOTH_WAYS = new Set(['xact_abort']);

export class SessionOptions {
  /** The @@OPTIONS bits of the SET options (NOCOUNT is the session's). */
  flags = BEHAVIOUR;
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

  /** SET <option> ON | OFF: a value other than the stand-in's behaviour is refused, unless it changes nothing. */
  setFlag(name: string, on: boolean): void {
    const bit = OPTION_FLAGS.get(name)!;
    if (!WITHOUT_EFFECT.has(name) && !BOTH_WAYS.has(name) && on !== ((BEHAVIOUR & bit) !== 0))
      throw notSupported(`SET ${name.toUpperCase()} ${on ? 'ON' : 'OFF'}`);
    this.flags = on ? this.flags | bit : this.flags & ~bit;
  }

  get xactAbort(): boolean {
    return (this.flags & OPTION_FLAGS.get('xact_abort')!) !== 0;
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
