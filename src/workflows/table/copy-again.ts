/**
 * The changes after the applied version are no longer complete (retention cleanup, TRUNCATE): the table
 * is copied again from the start, as the first time, into a staging table of its own, then takes the
 * published target's place at once (publish mode swap), and following goes on from the version read
 * before the new copy. Refused if the table changed shape or identity meanwhile (or cannot be followed
 * any more: the analysis says why), and then the table fails with that reason.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { TableProgress } from '../../contracts/progress';
import type { TablePlan } from '../../contracts/table';
import { recopyNames } from '../../names/target-names';
import { initialTableProgress } from '../run-state';
import { analyse } from './analyse';
import type { TableRun } from './context';
import { followStatus, tellRun } from './follow-status';

/** Analyses the table again and resets its progress and stage; returns the new copy's plan. */
export async function planCopyAgain(
  run: TableRun,
  plan: TablePlan,
  progress: TableProgress,
  reason: string,
): Promise<TablePlan> {
  const { state } = run;
  const { plan: again } = await analyse(run, true);
  if (again.task.schemaFingerprint !== plan.task.schemaFingerprint) {
    throw ApplicationFailure.nonRetryable(
      `The columns of ${progress.source} changed since the run analysed the table: it cannot be copied again into ${progress.target}.`,
      'SourceSchemaChanged',
    );
  }
  if (again.task.objectIdentity !== plan.task.objectIdentity) {
    throw ApplicationFailure.nonRetryable(
      `${progress.source} was dropped and created again since the run analysed it: it is not copied again into ${progress.target}.`,
      'SourceTableRecreated',
    );
  }
  const followed = progress.follow!;
  // The counts start again with the new copy; the replaced copy's stay in its record.
  const replaced = { rowsCopied: progress.rowsCopied, batchesDone: progress.batchesDone };
  const recopies = [
    ...(followed.recopies ?? []),
    { afterVersion: followed.appliedVersion, reason, ...replaced },
  ];
  followed.recopies = recopies;
  followStatus('running');
  await tellRun(run.index, false);
  progress.warnings.push(`${progress.source} was copied again from the start: ${reason}`);
  const fresh: TablePlan = {
    ...again,
    task: { ...again.task, ...recopyNames(again.task, recopies.length) },
  };
  const copy = initialTableProgress(fresh, run.settings.batchSize);
  Object.assign(progress, {
    batchesDone: 0,
    batchesPlanned: 0,
    batchesEstimated: copy.batchesEstimated,
    rowsCopied: 0,
    rowsEstimated: copy.rowsEstimated,
    bytesCopied: 0,
    retriedBatches: 0,
    content: undefined,
    validation: undefined,
  });
  state.plan = fresh;
  state.current = {
    stage: 'prepare',
    plannedAfter: null,
    nextBatchIndex: 0,
    planningDone: false,
    pending: [],
  };
  return fresh;
}
