/**
 * Faults for reliability tests, switched on from a test (the emulator's `faults`) or the command line
 * (`--fault`): cut the connection after N rows, fail the next statements with an error, delay every
 * answer, refuse logins.
 */
import { DEADLOCK, SqlError } from './errors';

export type Pattern = RegExp | string;

export interface ErrorSpec {
  number: number;
  message: string;
  state?: number;
  class?: number;
}

/** What a test can watch of a failNext fault while the server runs. */
export interface FailureFault {
  /** How many requests it has answered with its error so far. */
  readonly failed: number;
}

export interface FaultControls {
  /** Closes the connection after `rows` rows of the next `times` (default 1) results of matching requests. */
  dropConnectionAfterRows(opts: { match: Pattern; rows: number; times?: number }): void;
  /** Answers the next `count` (default 1) matching requests with an error (default: deadlock victim, 1205). */
  failNext(opts: { match: Pattern; count?: number; error?: 'deadlock' | ErrorSpec }): FailureFault;
  /** Delays every response by `ms`. */
  setLatency(ms: number): void;
  /** Closes the next `count` connections at once, or all of them for `forMs` (whichever is given, or both). */
  refuseLogins(opts: { count?: number; forMs?: number }): void;
  /** An outage, as when the server restarts: every open connection is cut now, new ones for `forMs`. */
  outage(opts: { forMs: number }): void;
  /**
   * Answers the next `count` (default 1) logins whose credentials are right with these errors, in order,
   * and closes them, as SQL Server refuses a login: an Azure database in failover (40613), a database
   * that cannot be opened (4060, then 18456 "Login failed").
   */
  failLogins(opts: { errors: ErrorSpec[]; count?: number }): void;
  clear(): void;
}

const matches = (pattern: Pattern, text: string): boolean =>
  typeof pattern === 'string'
    ? text.includes(pattern)
    : new RegExp(pattern.source, pattern.flags.replace('g', '')).test(text);

export class Faults implements FaultControls {
  private drops: { match: Pattern; rows: number; times: number }[] = [];
  private failures: { match: Pattern; count: number; error: SqlError }[] = [];
  private refusal: { count: number; until: number } | undefined;
  private loginFailure: { errors: SqlError[]; count: number } | undefined;
  private cutConnections: () => void = () => undefined;
  latencyMs = 0;

  /** The server's way to cut every open connection (for `outage`). */
  bindConnections(cut: () => void): void {
    this.cutConnections = cut;
  }

  dropConnectionAfterRows(opts: { match: Pattern; rows: number; times?: number }): void {
    this.drops.push({ match: opts.match, rows: opts.rows, times: opts.times ?? 1 });
  }

  failNext(opts: { match: Pattern; count?: number; error?: 'deadlock' | ErrorSpec }): FailureFault {
    const spec = opts.error === undefined || opts.error === 'deadlock' ? DEADLOCK : opts.error;
    const error = new SqlError(spec.number, spec.message, {
      state: spec.state ?? 1,
      class: spec.class ?? 16,
    });
    const fault = { match: opts.match, count: opts.count ?? 1, error };
    const count = fault.count;
    this.failures.push(fault);
    return {
      get failed() {
        return count - fault.count;
      },
    };
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  refuseLogins(opts: { count?: number; forMs?: number }): void {
    this.refusal = {
      count: opts.count ?? (opts.forMs === undefined ? 1 : Number.POSITIVE_INFINITY),
      until: opts.forMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + opts.forMs,
    };
  }

  outage(opts: { forMs: number }): void {
    this.refuseLogins({ forMs: opts.forMs });
    this.cutConnections();
  }

  failLogins(opts: { errors: ErrorSpec[]; count?: number }): void {
    const errors = opts.errors.map(
      (spec) => new SqlError(spec.number, spec.message, { state: spec.state ?? 1, class: spec.class ?? 14 }),
    );
    this.loginFailure = { errors, count: opts.count ?? 1 };
  }

  /** The errors to refuse this login with, if a failLogins fault is on. */
  takeLoginFailure(): SqlError[] | undefined {
    const f = this.loginFailure;
    if (!f || f.count <= 0) return undefined;
    if (--f.count === 0) this.loginFailure = undefined;
    return f.errors;
  }

  clear(): void {
    this.drops = [];
    this.failures = [];
    this.refusal = undefined;
    this.loginFailure = undefined;
    this.latencyMs = 0;
  }

  /** The error to answer this request with, if a failNext fault matches it. */
  takeFailure(text: string): SqlError | undefined {
    const f = this.failures.find((x) => x.count > 0 && matches(x.match, text));
    if (!f) return undefined;
    if (--f.count === 0) this.failures.splice(this.failures.indexOf(f), 1);
    return f.error;
  }

  /** After how many rows to cut the connection during this request, if a drop fault matches it. */
  takeDrop(text: string): number | undefined {
    const d = this.drops.find((x) => x.times > 0 && matches(x.match, text));
    if (!d) return undefined;
    if (--d.times === 0) this.drops.splice(this.drops.indexOf(d), 1);
    return d.rows;
  }

  /** Whether to refuse this new connection. */
  takeRefusal(): boolean {
    const r = this.refusal;
    if (!r) return false;
    if (r.count <= 0 || Date.now() >= r.until) {
      this.refusal = undefined;
      return false;
    }
    r.count--;
    return true;
  }
}

/**
 * Applies a --fault option: `drop:rows=500,match=orders[,times=2]`, `fail:match=orders[,count=3]
 * [,error=deadlock|<number>]`, `latency:ms=200`, `refuse-logins:count=2`, `refuse-logins:forMs=5000`
 * or `outage:forMs=20000`.
 * `match` is a case-insensitive regular expression.
 */
export function applyFaultSpec(faults: FaultControls, spec: string): void {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const args = new Map<string, string>();
  for (const pair of colon < 0 ? [] : spec.slice(colon + 1).split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new Error(`--fault ${spec}: expected key=value, got "${pair}"`);
    args.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
  }
  const num = (key: string, fallback?: number): number => {
    const v = args.get(key);
    if (v === undefined) {
      if (fallback === undefined) throw new Error(`--fault ${spec}: ${key}= is required`);
      return fallback;
    }
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--fault ${spec}: ${key} must be a number`);
    return n;
  };
  const match = (): RegExp => new RegExp(args.get('match') ?? '', 'i');
  switch (kind) {
    case 'drop':
      return faults.dropConnectionAfterRows({ match: match(), rows: num('rows'), times: num('times', 1) });
    case 'fail': {
      const error = args.get('error') ?? 'deadlock';
      const spec2: 'deadlock' | ErrorSpec =
        error === 'deadlock'
          ? 'deadlock'
          : { number: Number(error), message: args.get('message') ?? `Injected error ${error}.` };
      faults.failNext({ match: match(), count: num('count', 1), error: spec2 });
      return;
    }
    case 'latency':
      return faults.setLatency(num('ms'));
    case 'outage':
      return faults.outage({ forMs: num('forMs') });
    case 'refuse-logins':
      return faults.refuseLogins({
        count: args.has('count') ? num('count') : undefined,
        forMs: args.has('forMs') ? num('forMs') : undefined,
      });
  }
  throw new Error(`--fault ${spec}: unknown fault "${kind}" (drop, fail, latency, refuse-logins, outage)`);
}
