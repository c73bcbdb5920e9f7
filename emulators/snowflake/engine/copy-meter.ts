/**
 * How much work COPY INTO does in the stand-in: rows loaded and the wall time during which at least one
 * COPY ran (overlapping statements counted once), so the benchmark can tell the stand-in's COPY rate
 * from the migrator's.
 */
export interface CopyStats {
  rowsLoaded: number;
  busyMs: number;
}

export class CopyMeter {
  private running = 0;
  private since = 0;
  private stats: CopyStats = { rowsLoaded: 0, busyMs: 0 };

  async measure<T>(copy: () => Promise<T>, rowsOf: (result: T) => number): Promise<T> {
    if (this.running++ === 0) this.since = performance.now();
    try {
      const result = await copy();
      this.stats.rowsLoaded += rowsOf(result);
      return result;
    } finally {
      if (--this.running === 0) this.stats.busyMs += performance.now() - this.since;
    }
  }

  /** The totals so far; `reset` starts counting again. */
  read(reset = false): CopyStats {
    const stats = { ...this.stats };
    if (reset) this.stats = { rowsLoaded: 0, busyMs: 0 };
    return stats;
  }
}
