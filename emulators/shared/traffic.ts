/**
 * What a stand-in received: its requests (round trips, each of which pays the latency fault) by kind,
 * and the text of each statement among them, so a test can pin what one table costs each side and a
 * regression shows as a changed count.
 */
export interface Traffic {
  /** Requests by kind, e.g. `sql batch`, `rpc`, `POST /queries/v1/query-request`. */
  requests: Record<string, number>;
  /**
   * Milliseconds the stand-in spent answering each kind (summed over requests, which may overlap; an
   * injected latency not included): where a run's wall time goes on this side (scripts/bench-profile.ts).
   */
  busyMs: Record<string, number>;
  /** Statement texts in the order received (the first TEXTS_KEPT since the last reset). */
  statements: string[];
}

/** A bound on the texts kept, so a long run through a stand-in does not grow its memory. */
const TEXTS_KEPT = 10_000;

export class TrafficMeter {
  private requests: Record<string, number> = {};
  private busyMs: Record<string, number> = {};
  private statements: string[] = [];

  /** Counts a request; the function returned, called once it is answered, adds the time it took. */
  request(kind: string): () => void {
    this.requests[kind] = (this.requests[kind] ?? 0) + 1;
    const began = performance.now();
    return () => {
      this.busyMs[kind] = (this.busyMs[kind] ?? 0) + performance.now() - began;
    };
  }

  statement(text: string): void {
    if (this.statements.length < TEXTS_KEPT) this.statements.push(text);
  }

  /** What was received since the start or the last reset; `reset` starts counting again. */
  read(reset = false): Traffic {
    const traffic = {
      requests: { ...this.requests },
      busyMs: { ...this.busyMs },
      statements: [...this.statements],
    };
    if (reset) {
      this.requests = {};
      this.busyMs = {};
      this.statements = [];
    }
    return traffic;
  }
}
