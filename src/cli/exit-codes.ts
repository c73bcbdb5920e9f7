/**
 * The CLI's exit codes, distinct so that scripts and schedulers can react without parsing output.
 * Documented in the README and in `--help`; keep the three in step.
 */
import { ConfigError } from '../config/load';
import type { RunSummary } from '../contracts/outcomes';

export const EXIT_CODES = {
  succeeded: 0,
  failed: 1,
  invalidConfig: 2,
  cannotConnect: 3,
  cancelled: 4,
  /** The tables were migrated, but clean-up left something to remove by hand (see the report). */
  succeededWithProblems: 5,
  /** Some tables were published, the others failed and were rolled back (see the report). */
  completedWithFailures: 6,
  /** Not started: another run is migrating the same tables into the same schema. */
  notStarted: 7,
  /** Ctrl-C while watching: the run itself goes on. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP =
  'Exit codes: 0 succeeded (or cut over), 1 failed, 2 invalid config, 3 cannot connect, 4 cancelled,\n' +
  '5 succeeded but clean-up left leftovers (see the report), 6 completed with failures (some tables\n' +
  'published, the failed ones rolled back), 7 not started: another run has the same tables,\n' +
  '130 stopped watching (Ctrl-C; the run goes on).';

/** A server (Temporal, SQL Server, Snowflake) could not be reached at all. */
export class CannotConnectError extends Error {}

/** A start refused because another open run migrates the same tables into the same schema. */
export class RunConflictError extends Error {}

export function exitCodeFor(summary: RunSummary): number {
  switch (summary.status) {
    case 'succeeded':
    case 'cut over':
      return summary.cleanupFailures.length ? EXIT_CODES.succeededWithProblems : EXIT_CODES.succeeded;
    case 'completed with failures':
      return EXIT_CODES.completedWithFailures;
    case 'cancelled':
      return EXIT_CODES.cancelled;
    default:
      return EXIT_CODES.failed;
  }
}

export function exitCodeForError(err: unknown): number {
  if (err instanceof ConfigError) return EXIT_CODES.invalidConfig;
  if (err instanceof CannotConnectError) return EXIT_CODES.cannotConnect;
  if (err instanceof RunConflictError) return EXIT_CODES.notStarted;
  return EXIT_CODES.failed;
}
