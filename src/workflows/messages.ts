/** Queries and signals of migrateTables and its tables' migrateTable, shared by the workflows and the client. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Outage } from '../contracts/outage';
import type { TableProgress } from '../contracts/progress';
import type { Pause } from '../contracts/carried-state';
import type { RunStatus, RunSummary, TableCancelled, TableFollowing } from '../contracts/outcomes';

export interface TableProgressView extends TableProgress {
  rowsPerSecond: number;
}

export interface RunProgress {
  status: RunStatus;
  paused: boolean;
  startedAt: number;
  /** Workflow time when the query was answered. */
  now: number;
  line: string;
  /** The step that has waited longest for an unreachable SQL Server or Snowflake, if any is waiting. */
  outage?: Outage;
  /** The run's pauses so far, to leave paused time out of rates and estimates. */
  pauses?: Pause[];
  tables: TableProgressView[];
  /** The tables whose child workflows run now: their live progress is theirs (tableProgressQuery). */
  running?: RunningTable[];
}

export interface RunningTable {
  index: number;
  workflowId: string;
}

/** A table's child workflow's live progress (undefined while it is being analysed). */
export interface TableLiveProgress {
  index: number;
  paused: boolean;
  line: string;
  outage?: Outage;
  table: TableProgressView;
}

export const progressQuery = defineQuery<RunProgress>('progress');
export const tableProgressQuery = defineQuery<TableLiveProgress | undefined>('tableProgress');
/** Stops starting new batches (and tables); running ones finish. The run passes it on to its tables. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/**
 * mode follow: each following table applies a last round of the source's changes (at least up to the
 * version current when cutover was asked), verifies the whole table and ends. The run passes it on.
 */
export const cutoverSignal = defineSignal('cutover');
/**
 * mode follow, from a table's child to the run: the table follows now, or is copied again. The run's
 * `MigrationStatus` is `following` while every table still running follows.
 */
export const tableFollowingSignal = defineSignal<[TableFollowing]>('tableFollowing');
/**
 * From a cancelled table's child to the run, just before the child closes as cancelled (a close that
 * carries no details): the table's outcome, which the run records when the child's result rejects.
 */
export const tableCancelledSignal = defineSignal<[TableCancelled]>('tableCancelled');
/** The run's summary once it has ended (also for failed and cancelled runs), else undefined. */
export const summaryQuery = defineQuery<RunSummary | undefined>('summary');
