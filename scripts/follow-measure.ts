/**
 * The follow scenario's arithmetic (scripts/bench-follow.ts), pure: which keys the writer changes, how far
 * the target is behind the writer, and the rates and lags over a measuring window.
 */

/** A write the bench made: when it committed, and the Change Tracking version it committed as. */
export interface Write {
  at: number;
  version: bigint;
}

/** What the table's live state said at `at` (its follow progress, as `migrate status` reads it). */
export interface Sample {
  at: number;
  changesApplied: number;
  appliedVersion: bigint;
  /** When the last finished round began: the run's own "at most N s behind" is `at - lastRoundFrom`. */
  lastRoundFrom?: number;
}

/**
 * The key range [lower, upper] of the writer's `tick`-th update of `perTick` keys, walking the table's
 * keys 1..rows in order and starting over at 1: consecutive ticks change distinct keys, so a round counts
 * every write once as long as it spans less than rows / perTick ticks. Never past the last key: a table
 * of fewer than `perTick` rows has all its keys changed each tick.
 */
export function writerRange(tick: number, perTick: number, rows: number): [number, number] {
  const slots = Math.max(1, Math.floor(rows / perTick));
  const lower = (tick % slots) * perTick + 1;
  return [lower, Math.min(rows, lower + perTick - 1)];
}

/**
 * Seconds the target is behind the writer at `now`: since the commit of the oldest write its applied
 * version does not include yet (0 when it has them all). `writes` in commit order.
 */
export function secondsBehindWriter(writes: readonly Write[], appliedVersion: bigint, now: number): number {
  const oldest = writes.find((w) => w.version > appliedVersion);
  return oldest ? Math.max(0, now - oldest.at) / 1000 : 0;
}

export interface WindowFigures {
  /** Changes the rounds applied per second over the window. */
  appliedPerSecond: number;
  /** The run's own bound (`at most N s behind`): mean and worst over the samples. */
  reportedLag: { mean: number; max: number };
  /** Behind the writer's commits: mean and worst over the samples. */
  writerLag: { mean: number; max: number };
}

const meanAndMax = (values: number[]) => ({
  mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
  max: Math.max(0, ...values),
});

/** The window's figures from its samples (oldest first; at least two) and the writer's writes. */
export function windowFigures(samples: readonly Sample[], writes: readonly Write[]): WindowFigures {
  if (samples.length < 2) throw new Error('a window needs two samples at least');
  const first = samples[0]!;
  const last = samples.at(-1)!;
  return {
    appliedPerSecond: ((last.changesApplied - first.changesApplied) * 1000) / (last.at - first.at),
    reportedLag: meanAndMax(
      samples.filter((s) => s.lastRoundFrom !== undefined).map((s) => (s.at - s.lastRoundFrom!) / 1000),
    ),
    writerLag: meanAndMax(samples.map((s) => secondsBehindWriter(writes, s.appliedVersion, s.at))),
  };
}
