/**
 * The queries and signals a run answers: progress, summary, its tables' following and cancelled outcomes,
 * pause, resume, cutover.
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { TableCancelledSchema, TableFollowingSchema } from '../../contracts/outcomes';
import { rowsPerSecond } from '../../run-summary/figures';
import { tableWorkflowId } from '../../run-summary/records';
import {
  cutoverSignal,
  pauseSignal,
  progressQuery,
  resumeSignal,
  summaryQuery,
  tableCancelledSignal,
  tableFollowingSignal,
  type RunProgress,
} from '../messages';
import { worstOutage } from '../run-state';
import type { MigrationRun } from './context';

export function setRunHandlers(run: MigrationRun): void {
  const { state } = run;
  setHandler(progressQuery, (): RunProgress => {
    const now = Date.now();
    const runId = workflowInfo().workflowId;
    return {
      status: run.status,
      paused: state.paused,
      startedAt: state.startedAt,
      now,
      line: run.line(now),
      outage: worstOutage(run.rider.waiting()),
      pauses: state.pauses ?? [],
      tables: run.tablesShown().map((t) => ({ ...t, rowsPerSecond: rowsPerSecond(t, now) })),
      running: [...run.running.keys()].map((index) => ({ index, workflowId: tableWorkflowId(runId, index) })),
    };
  });
  setHandler(summaryQuery, () => run.finalSummary);

  setHandler(tableFollowingSignal, (raw) => {
    const { index, following } = TableFollowingSchema.parse(raw);
    if (following) run.followingTables.add(index);
    else run.followingTables.delete(index);
    run.showFollowing();
  });

  // Sent by a cancelled table's child before it closes, so it is here before the child's result rejects.
  setHandler(tableCancelledSignal, (raw) => {
    const { index, outcome } = TableCancelledSchema.parse(raw);
    run.cancelledOutcomes.set(index, outcome);
  });

  setHandler(pauseSignal, async () => {
    if (state.paused || !['running', 'paused', 'following'].includes(run.status)) return;
    state.paused = true;
    (state.pauses ??= []).push({ from: Date.now() });
    run.setStatus('paused');
    await run.signalTables(pauseSignal);
  });
  setHandler(resumeSignal, async () => {
    if (!state.paused) return;
    state.paused = false;
    const pause = state.pauses?.at(-1);
    if (pause && pause.to === undefined) pause.to = Date.now();
    if (run.status === 'paused') run.setStatus('running');
    run.showFollowing();
    await run.signalTables(resumeSignal);
  });

  setHandler(cutoverSignal, async () => {
    if (run.input.mode !== 'follow' || run.cutoverAsked) return;
    run.cutoverAsked = true;
    await run.signalTables(cutoverSignal);
  });
}
