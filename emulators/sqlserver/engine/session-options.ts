/**
 * The session's SET options (https://learn.microsoft.com/sql/t-sql/statements/set-statements-transact-sql).
 * Each is honoured or refused, never accepted and ignored: TEXTSIZE cuts large values, DATEFIRST is what
 * @@DATEFIRST reports (no function of the stand-in depends on it), XACT_ABORT rolls back, and the ON/OFF
 * options of @@OPTIONS are kept as its bits. Every other value, whose effect the stand-in does not have
 * (ANSI_NULLS OFF, ROWCOUNT n, LANGUAGE Deutsch, ...), is refused with 50000 and leaves the option as it was.
 */
import { SqlError, notSupported } from '../errors';
import type { IsolationLevel } from '../tsql/ast';
import { OPTION_FLAGS, SWITCHES } from '../tsql/parser';
import { MAX, type SqlType } from '../types/sql-type';
import type { SqlValue } from '../types/values';

const UNLIMITED = 2_147_483_647;
/**
 * SET TEXTSIZE: 0 restores the default of 4 KB, -1 is unlimited
 * (https://learn.microsoft.com/sql/t-sql/statements/set-textsize-transact-sql), and @@TEXTSIZE then reports
 * -1 (https://learn.microsoft.com/sql/connect/oledb/features/filestream-support).
 */
const DEFAULT_TEXTSIZE = 4096;
const NO_LIMIT = -1;
const LARGE_TYPES = new Set(['text', 'ntext', 'image']);

const flag = (name: string): number => OPTION_FLAGS.get(name)!;

/**
 * The @@OPTIONS bits of the only behaviour the stand-in has, tedious' defaults: 5496
 * (https://learn.microsoft.com/sql/t-sql/functions/options-transact-sql,
 * https://learn.microsoft.com/sql/database-engine/configure-windows/configure-the-user-options-server-configuration-option).
 */
const BEHAVIOUR =
  flag('ansi_warnings') |
  flag('ansi_padding') |
  flag('ansi_nulls') |
  flag('arithabort') |
  flag('quoted_identifier') |
  flag('ansi_null_dflt_on') |
  flag('concat_null_yields_null');
/**
 * Options that change nothing the stand-in does, either way: it has no cursors; ARITHABORT OFF has no effect
 * while ANSI_WARNINGS is ON ("Setting ANSI_WARNINGS to ON implicitly sets ARITHABORT to ON",
 * https://learn.microsoft.com/sql/t-sql/statements/set-arithabort-transact-sql).
 */
const WITHOUT_EFFECT = new Set(['cursor_close_on_commit', 'arithabort']);
/**
 * Options the stand-in behaves by either way: NOCOUNT ON leaves row counts out of the DONE tokens;
 * XACT_ABORT ON rolls the transaction back on an error;
 * ANSI_NULL_DFLT_ON and ANSI_NULL_DFLT_OFF decide whether CREATE TABLE's columns without NULL or NOT NULL
 * allow NULL (see nullableByDefault); CONCAT_NULL_YIELDS_NULL OFF makes string `+` take NULL as '' (evaluate.ts).
 */
const BOTH_WAYS = new Set([
  'nocount',
  'xact_abort',
  'ansi_null_dflt_on',
  'ansi_null_dflt_off',
  'concat_null_yields_null',
]);
/**
 * "If one option is set ON, the other option is set OFF"
 * (https://learn.microsoft.com/sql/t-sql/statements/set-ansi-null-dflt-on-transact-sql).
 */
const EXCLUSIVE: Record<string, string> = {
  ansi_null_dflt_on: 'ansi_null_dflt_off',
  ansi_null_dflt_off: 'ansi_null_dflt_on',
};
/**
 * What SET ANSI_DEFAULTS ON | OFF sets together
 * (https://learn.microsoft.com/sql/t-sql/statements/set-ansi-defaults-transact-sql).
 */
const ANSI_DEFAULTS = [
  'ansi_nulls',
  'ansi_null_dflt_on',
  'ansi_padding',
  'ansi_warnings',
  'cursor_close_on_commit',
  'implicit_transactions',
  'quoted_identifier',
];
/**
 * Options with a value, by the spellings of their value in a new session: the only value the stand-in
 * behaves by.
 */
export const VALUE_DEFAULTS: Record<string, string[]> = {
  // https://learn.microsoft.com/sql/t-sql/statements/set-rowcount-transact-sql: 0 returns all rows.
  rowcount: ['0'],
  // https://learn.microsoft.com/sql/t-sql/statements/set-lock-timeout-transact-sql: -1 (default) waits forever.
  lock_timeout: ['-1'],
  // https://learn.microsoft.com/sql/t-sql/statements/set-query-governor-cost-limit-transact-sql: 0 is off.
  query_governor_cost_limit: ['0'],
  // https://learn.microsoft.com/sql/t-sql/statements/set-deadlock-priority-transact-sql: NORMAL, which is 0.
  deadlock_priority: ['normal', '0'],
  // https://learn.microsoft.com/sql/t-sql/statements/set-fips-flagger-transact-sql: OFF, no checking.
  fips_flagger: ['off'],
  // https://learn.microsoft.com/sql/t-sql/statements/set-language-transact-sql: us_english (alias English).
  language: ['us_english', 'english'],
  // https://learn.microsoft.com/sql/t-sql/statements/set-dateformat-transact-sql: mdy for us_english.
  dateformat: ['mdy'],
};

/**
 * The isolation levels the stand-in runs: READ COMMITTED (its default) and SNAPSHOT. READ UNCOMMITTED
 * reads uncommitted rows, REPEATABLE READ and SERIALIZABLE hold locks that make other sessions wait
 * (https://learn.microsoft.com/sql/t-sql/statements/set-transaction-isolation-level-transact-sql): effects
 * the stand-in does not have.
 */
export function checkIsolation(level: IsolationLevel): void {
  if (level !== 'read committed' && level !== 'snapshot')
    throw notSupported(`the ${level.toUpperCase()} isolation level (only READ COMMITTED and SNAPSHOT)`);
}

export class SessionOptions {
  /** @@OPTIONS: the bits of the ON/OFF options. */
  flags = BEHAVIOUR;
  /** tedious and ODBC set TEXTSIZE 2147483647 at login; the stand-in starts there. */
  textSize = UNLIMITED;
  dateFirst = 7;

  copy(): SessionOptions {
    return Object.assign(new SessionOptions(), this);
  }

  setTextSize(n: number): void {
    if (n < NO_LIMIT) throw notSupported(`SET TEXTSIZE ${n} (the documented values are -1 to 2147483647)`);
    this.textSize = n === 0 ? DEFAULT_TEXTSIZE : n;
  }

  setDateFirst(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > 7)
      throw new SqlError(2742, `SET DATEFIRST ${n} is out of range.`);
    this.dateFirst = n;
  }

  /**
   * SET <option> ON | OFF: the @@OPTIONS bits, ANSI_DEFAULTS and the switches. A value other than the
   * stand-in's behaviour is refused, unless it changes nothing; a refused ANSI_DEFAULTS changes nothing.
   */
  setFlag(name: string, on: boolean): void {
    if (SWITCHES.has(name)) {
      if (on) throw notSupported(`SET ${name.toUpperCase()} ON`);
      return;
    }
    const names = name === 'ansi_defaults' ? ANSI_DEFAULTS : [name];
    for (const n of names) {
      if (!WITHOUT_EFFECT.has(n) && !BOTH_WAYS.has(n) && on !== ((BEHAVIOUR & flag(n)) !== 0))
        throw notSupported(
          `SET ${name.toUpperCase()} ${on ? 'ON' : 'OFF'}${n === name ? '' : ` (it sets ${n.toUpperCase()})`}`,
        );
    }
    for (const n of names) {
      this.flags = on ? this.flags | flag(n) : this.flags & ~flag(n);
      const other = EXCLUSIVE[n];
      if (on && other) this.flags &= ~flag(other);
    }
  }

  /**
   * Whether a new column without NULL or NOT NULL allows NULL: ANSI_NULL_DFLT_ON ON says yes,
   * ANSI_NULL_DFLT_OFF ON no, and with both OFF the database's ANSI_NULL_DEFAULT decides, which is OFF
   * (NOT NULL) unless ALTER DATABASE changes it, something the stand-in does not run
   * (https://learn.microsoft.com/sql/t-sql/statements/set-ansi-null-dflt-off-transact-sql,
   * https://learn.microsoft.com/sql/t-sql/statements/alter-database-transact-sql-set-options).
   */
  get nullableByDefault(): boolean {
    return (this.flags & flag('ansi_null_dflt_on')) !== 0;
  }

  get noCount(): boolean {
    return (this.flags & flag('nocount')) !== 0;
  }

  get xactAbort(): boolean {
    return (this.flags & flag('xact_abort')) !== 0;
  }

  /** SET LANGUAGE, DATEFORMAT, ROWCOUNT, LOCK_TIMEOUT, ...: only their value in a new session is taken. */
  setValue(option: string, value: number | string): void {
    const accepted = VALUE_DEFAULTS[option]!;
    if (!accepted.includes(String(value).toLowerCase()))
      throw notSupported(`SET ${option.toUpperCase()} ${value} (only ${accepted[0]})`);
  }

  /**
   * DBCC USEROPTIONS' rows: the entries of the documented result set, ON/OFF options listed (as SET) only
   * when on (https://learn.microsoft.com/en-us/sql/t-sql/database-console-commands/dbcc-useroptions-transact-sql).
   * The page shows no entry for NOCOUNT, XACT_ABORT, ANSI_NULL_DFLT_OFF or CURSOR_CLOSE_ON_COMMIT, so a
   * session with one of them on is refused rather than answered with a guessed entry.
   */
  userOptions(isolation: IsolationLevel): [string, string][] {
    const undocumented = ['nocount', 'xact_abort', 'ansi_null_dflt_off', 'cursor_close_on_commit'].filter(
      (n) => (this.flags & flag(n)) !== 0,
    );
    if (undocumented.length)
      throw notSupported(
        `DBCC USEROPTIONS while ${undocumented.map((n) => n.toUpperCase()).join(', ')} is ON`,
      );
    const switches = [
      'quoted_identifier',
      'arithabort',
      'ansi_null_dflt_on',
      'ansi_warnings',
      'ansi_padding',
      'ansi_nulls',
      'concat_null_yields_null',
    ].filter((n) => (this.flags & flag(n)) !== 0);
    return [
      ['textsize', String(this.textSize)],
      ['language', 'us_english'],
      ['dateformat', 'mdy'],
      ['datefirst', String(this.dateFirst)],
      ['lock_timeout', '-1'],
      ...switches.map((n): [string, string] => [n, 'SET']),
      ['isolation level', isolation],
    ];
  }

  /** Whether TEXTSIZE cuts values of this type: max and text/ntext/image columns, when it is not unlimited. */
  limits(type: SqlType): boolean {
    return (
      this.textSize !== NO_LIMIT &&
      this.textSize < UNLIMITED &&
      (LARGE_TYPES.has(type.name) || type.length === MAX)
    );
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
