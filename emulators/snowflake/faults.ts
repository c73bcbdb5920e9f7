/**
 * Faults for reliability tests, switched on from a test (the emulator's `faults`), from the command
 * line, or over HTTP (POST /emulator/faults): HTTP errors for the next K requests, expired sessions,
 * connections dropped while a statement runs, slow answers, loaded values altered on their way
 * into a table (COPY INTO or INSERT), for the content validation tests, and FLOAT ties printed
 * otherwise, for the calibration probe's.
 */
import { alterStored } from './load/alter-value';
import { setFloatTiesToEven } from './values/float-text';
import type { SnowflakeType } from './types';
import type { Stored } from './values/parse';

export interface HttpErrorsFault {
  status: 503 | 429 | 500;
  count: number;
  /** Only requests whose path (with query string) matches; every request by default. */
  path?: RegExp | string;
}

export interface DropConnectionFault {
  /** PUT, COPY, or a pattern matched against the statement's SQL text. */
  during: 'PUT' | 'COPY' | RegExp;
  count?: number;
}

export interface AlterValuesFault {
  /** Column name, exactly as stored. */
  column: string;
  /** Only tables whose name starts with this (a staging table starts with its target's name). */
  table?: string;
  /** Non-NULL values of the column that load unaltered first (0). */
  skip?: number;
  /** Values altered, one per row (1). */
  count?: number;
  /** Only loads by this statement: COPY INTO, or INSERT; both by default. */
  during?: LoadStatement;
}

/** The statements that load rows into a table. */
export type LoadStatement = 'COPY' | 'INSERT';

/** Alters, in place, the values of a row that an alteration fault names. */
export type RowAlteration = (row: (Stored | null)[]) => void;

export interface FaultControls {
  httpErrors(opts: HttpErrorsFault): void;
  expireSessions(): void;
  dropConnection(opts: DropConnectionFault): void;
  setLatency(ms: number): void;
  /** A cloud warehouse's cost per file loaded: COPY INTO answers `ms` later for each file it reports. */
  setCopyFileCost(ms: number): void;
  alterLoadedValues(opts: AlterValuesFault): void;
  /** Snowflake unreachable for `forMs`: open connections cut, new ones refused (ECONNREFUSED). */
  unreachable(opts: { forMs: number }): void;
  /**
   * TO_VARCHAR(<FLOAT>, fixed-position model) rounds an exact tie to even instead of away from zero: an
   * account whose digits differ from the worker's in an undocumented detail (for the calibration probe).
   */
  roundFloatTiesToEven(): void;
  clear(): void;
}

const STATEMENTS: Record<'PUT' | 'COPY', RegExp> = {
  PUT: /^\s*PUT\b/i,
  COPY: /^\s*COPY\s+INTO\b/i,
};

export class Faults implements FaultControls {
  private errors: { status: number; remaining: number; path: RegExp | string | undefined }[] = [];
  private drops: { pattern: RegExp; remaining: number }[] = [];
  private alterations: (Required<Omit<AlterValuesFault, 'during'>> & { during?: LoadStatement })[] = [];
  latencyMs = 0;
  copyFileMs = 0;
  private goAway: (forMs: number) => void = () => undefined;

  constructor(private readonly expire: () => void) {}

  /** The server's way to stop listening for a while (for `unreachable`). */
  bindServer(goAway: (forMs: number) => void): void {
    this.goAway = goAway;
  }

  unreachable(opts: { forMs: number }): void {
    this.goAway(opts.forMs);
  }

  httpErrors(opts: HttpErrorsFault): void {
    this.errors.push({ status: opts.status, remaining: opts.count, path: opts.path });
  }

  expireSessions(): void {
    this.expire();
  }

  dropConnection(opts: DropConnectionFault): void {
    const pattern = typeof opts.during === 'string' ? STATEMENTS[opts.during] : opts.during;
    this.drops.push({ pattern, remaining: opts.count ?? 1 });
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  setCopyFileCost(ms: number): void {
    this.copyFileMs = ms;
  }

  /** The extra time a statement that answered with `resultRows` rows takes (COPY INTO: a row per file). */
  copyCostMs(sql: string, resultRows: number): number {
    return this.copyFileMs > 0 && STATEMENTS.COPY.test(sql) ? this.copyFileMs * resultRows : 0;
  }

  alterLoadedValues(opts: AlterValuesFault): void {
    this.alterations.push({ table: '', skip: 0, count: 1, ...opts });
  }

  roundFloatTiesToEven(): void {
    setFloatTiesToEven(true);
  }

  clear(): void {
    setFloatTiesToEven(false);
    this.errors = [];
    this.drops = [];
    this.alterations = [];
    this.latencyMs = 0;
    this.copyFileMs = 0;
  }

  /** The status to fail this request with, if an HTTP error fault applies (it is used up). */
  takeHttpError(path: string): number | undefined {
    const rule = this.errors.find(
      (r) =>
        r.remaining > 0 &&
        (r.path === undefined || (typeof r.path === 'string' ? path.includes(r.path) : r.path.test(path))),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.status;
  }

  /** Whether the connection should be dropped instead of answering this statement. */
  takeDrop(sql: string): boolean {
    const rule = this.drops.find((r) => r.remaining > 0 && r.pattern.test(sql));
    if (!rule) return false;
    rule.remaining -= 1;
    return true;
  }

  /**
   * What to do to each row that statement `via` loads into a table, when an alteration fault names one of
   * its columns.
   */
  alterationFor(
    table: string,
    columns: { name: string; type: SnowflakeType }[],
    via: LoadStatement,
  ): RowAlteration | undefined {
    const rules = this.alterations.flatMap((rule) => {
      const at = columns.findIndex((c) => c.name === rule.column);
      const applies = at >= 0 && table.startsWith(rule.table) && (rule.during ?? via) === via;
      return applies ? [{ rule, at, type: columns[at]!.type }] : [];
    });
    if (!rules.length) return undefined;
    return (row) => {
      for (const { rule, at, type } of rules) {
        const value = row[at];
        if (value === null || value === undefined || rule.count === 0) continue;
        if (rule.skip > 0) rule.skip -= 1;
        else {
          row[at] = alterStored(type, value);
          rule.count -= 1;
        }
      }
    };
  }
}
