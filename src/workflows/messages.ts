/** Queries and signals of migrateTables, shared by the workflow and the client. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Outage } from '../contracts/outage';
import type { Pause, RunStatus, RunSummary, TableProgress } from '../contracts/run';

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
}

export const progressQuery = defineQuery<RunProgress>('progress');
/** Stops starting new batches; running ones finish. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** The run's summary once it has ended (also for failed and cancelled runs), else undefined. */
export const summaryQuery = defineQuery<RunSummary | undefined>('summary');
