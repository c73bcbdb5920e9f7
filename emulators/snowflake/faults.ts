/**
 * Faults for reliability tests, switched on from a test (the emulator's `faults`), from the command
 * line, or over HTTP (POST /emulator/faults): HTTP errors for the next K requests, expired sessions,
 * connections dropped while a statement runs, slow answers.
 */
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

export interface FaultControls {
  httpErrors(opts: HttpErrorsFault): void;
  expireSessions(): void;
  dropConnection(opts: DropConnectionFault): void;
  setLatency(ms: number): void;
  /** A cloud warehouse's cost per file loaded: COPY INTO answers `ms` later for each file it reports. */
  setCopyFileCost(ms: number): void;
  /** Snowflake unreachable for `forMs`: open connections cut, new ones refused (ECONNREFUSED). */
  unreachable(opts: { forMs: number }): void;
  clear(): void;
}

const STATEMENTS: Record<'PUT' | 'COPY', RegExp> = {
  PUT: /^\s*PUT\b/i,
  COPY: /^\s*COPY\s+INTO\b/i,
};

export class Faults implements FaultControls {
  private errors: { status: number; remaining: number; path: RegExp | string | undefined }[] = [];
  private drops: { pattern: RegExp; remaining: number }[] = [];
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

  clear(): void {
    this.errors = [];
    this.drops = [];
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
}
