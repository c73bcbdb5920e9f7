/**
 * The migrator's metrics that only the workflows know: tables entering a state, steps waiting out an
 * outage. Through the workflow metric meter, which the SDK skips while a workflow replays its history
 * (so a replay counts nothing twice) and which adds nothing to the history: replaying recorded
 * histories is unaffected. https://docs.temporal.io/develop/typescript/observability#metrics
 */
import { metricMeter } from '@temporalio/workflow';
import type { TableState } from '../contracts/progress';
import { METRICS, stateLabel, type OutageSide } from '../metrics/definitions';

/** Sets a table's state, counting the table in migrator_tables_total when it enters a new one. */
export function enterState(progress: { state: TableState }, state: TableState): void {
  // A table continued as new resumes in the state it had: not entered again.
  if (progress.state === state) return;
  progress.state = state;
  metricMeter
    .createCounter(METRICS.tables.name, '', METRICS.tables.help)
    .add(1, { state: stateLabel(state) });
}

export function countOutageWait(side: OutageSide): void {
  metricMeter.createCounter(METRICS.outageWaits.name, '', METRICS.outageWaits.help).add(1, { side });
}
