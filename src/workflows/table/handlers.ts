/** The queries and signals a table's child workflow answers: progress, pause, resume and cutover. */
import { setHandler } from '@temporalio/workflow';
import { rowsPerSecond } from '../../run-summary/figures';
import {
  cutoverSignal,
  pauseSignal,
  resumeSignal,
  tableProgressQuery,
  type TableLiveProgress,
} from '../messages';
import { worstOutage } from '../run-state';
import type { TableRun } from './context';

export function setTableHandlers(run: TableRun): void {
  const { state } = run;
  setHandler(tableProgressQuery, (): TableLiveProgress | undefined => {
    if (!state.progress) return undefined;
    const now = Date.now();
    return {
      index: run.index,
      paused: state.paused,
      line: run.line(),
      outage: worstOutage(run.rider.waiting()),
      table: { ...state.progress, rowsPerSecond: rowsPerSecond(state.progress, now) },
    };
  });
  setHandler(pauseSignal, () => {
    state.paused = true;
    run.refreshDetails();
  });
  setHandler(resumeSignal, () => {
    state.paused = false;
    run.refreshDetails();
  });
  setHandler(cutoverSignal, () => {
    if (!run.following || state.cutoverAt !== undefined) return;
    state.cutoverAt = Date.now();
    run.refreshDetails();
  });
}
