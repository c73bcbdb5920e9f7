/**
 * What every step of a run (migrateTables) shares: its input, activity proxies, carried state, the tables
 * whose children run now and the run's status, in one object the steps take explicitly instead of
 * closing over them. Workflow code: it imports only @temporalio/workflow, contracts and pure helpers.
 */
import {
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
  type ApplicationFailure,
  type CancellationScope,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type {
  MigrationRunInput,
  ParsedRunInput,
  PreflightAnalysis,
  TableRunSettings,
} from '../../contracts/run-input';
import type { ErrorInfo } from '../../contracts/progress';
import type { ForeignKeyOutcome } from '../../contracts/foreign-keys';
import type { StepOutcome } from '../../contracts/steps';
import type { CarriedRunState, RunState } from '../../contracts/carried-state';
import type { PackedRunResult, RunStatus, RunSummary, TableOutcome } from '../../contracts/outcomes';
import { labelled, tableLabels, type TableLabel } from '../../run-summary/records';
import type { migrateTable } from '../migrate-table';
import type { cutoverSignal, pauseSignal, resumeSignal } from '../messages';
import { runLine } from '../run-tables';
import { totalRowsCopied } from '../run-state';
import { MIGRATION_ROWS_COPIED, MIGRATION_STATUS } from '../search-attributes';
import { activityProxies, outageRider, type ActivityProxies, type OutageRider } from '../workflow-steps';

/** migrateTables' signature, for continue-as-new (named here so the steps need not import the workflow). */
export type MigrateTables = (
  rawInput: MigrationRunInput,
  resumed?: CarriedRunState,
) => Promise<PackedRunResult>;

/** A table whose child workflow runs: its scope (cancelled to stop it), its handle once started. */
export interface TableInFlight {
  done: Promise<void>;
  scope: CancellationScope;
  handle?: ChildWorkflowHandle<typeof migrateTable>;
}

export class MigrationRun {
  readonly acts: ActivityProxies;
  readonly rider: OutageRider;
  readonly labels: TableLabel[];
  readonly outageRetries: { source: number; target: number };
  status: RunStatus;
  /** The tables whose child workflows run now, with their handles once started. */
  readonly running = new Map<number, TableInFlight>();
  /** The first table failure that stops an allOrNothing run. */
  stoppedBy: ApplicationFailure | undefined;
  /** mode follow: the tables whose children follow now (tableFollowingSignal). */
  readonly followingTables = new Set<number>();
  /** The outcomes cancelled tables handed over before closing as cancelled (tableCancelledSignal). */
  readonly cancelledOutcomes = new Map<number, TableOutcome>();
  /** Cutover was asked for (mode follow); tables started after it get it as they start. */
  cutoverAsked = false;
  /** The run's summary once it has ended, for the summary query. */
  finalSummary: RunSummary | undefined;
  /**
   * What the preflight found of each table not started yet, handed to its child (src/workflows/run/
   * preflight.ts). Held in memory only, never in the carried state: after continuing as new the run has
   * none, and those tables' children analyse their table themselves.
   */
  readonly preflightAnalyses = new Map<number, PreflightAnalysis>();

  constructor(
    readonly rawInput: MigrationRunInput,
    readonly input: ParsedRunInput,
    /** What each table's child needs of the run: everything but the (possibly long) table list. */
    readonly tableSettings: TableRunSettings,
    readonly state: RunState,
  ) {
    this.acts = activityProxies(input);
    this.labels = tableLabels(input);
    this.status = state.paused ? 'paused' : 'running';
    this.outageRetries = state.outageRetries ??= { source: 0, target: 0 };
    this.rider = outageRider(input.outageToleranceMinutes, this.outageRetries, () => this.refreshDetails());
  }

  /** The child input's preflight analysis of a table about to start, if the run still has it. */
  takeAnalysis(index: number): { analysis?: PreflightAnalysis } {
    const analysis = this.preflightAnalyses.get(index);
    this.preflightAnalyses.delete(index);
    return analysis ? { analysis } : {};
  }

  tablesShown() {
    return this.state.tables.map((record, i) => labelled(record, this.labels[i]!));
  }

  line(now: number): string {
    const { state } = this;
    return runLine(
      state.tables,
      this.labels,
      [...this.running.keys()],
      state.paused,
      now,
      this.rider.waiting(),
    );
  }

  refreshDetails(): void {
    setCurrentDetails(this.line(Date.now()));
  }

  setStatus(next: RunStatus): void {
    this.status = next;
    upsertSearchAttributes([
      { key: MIGRATION_STATUS, value: next },
      { key: MIGRATION_ROWS_COPIED, value: totalRowsCopied(this.state.tables) },
    ]);
    this.refreshDetails();
  }

  /** Passes a pause, resume or cutover on to the tables in flight; one that has just ended no longer needs it. */
  signalTables(signal: typeof pauseSignal | typeof resumeSignal | typeof cutoverSignal) {
    return Promise.all(
      [...this.running.values()].map((table) => table.handle?.signal(signal).catch(() => undefined)),
    );
  }

  /**
   * mode follow: while every table still running follows, the run's `MigrationStatus` is `following`,
   * so `MigrationStatus = "following"` finds the runs waiting for their cutover
   * (https://docs.temporal.io/search-attribute); `running` again while one is copied (again). Histories
   * recorded before had no such signal and replay without.
   */
  showFollowing(): void {
    // Once the last table has ended the run ends too, with its final status: no `running` in between.
    if (this.running.size === 0) return;
    const allFollow =
      this.state.nextTable >= this.state.tables.length &&
      [...this.running.keys()].every((index) => this.followingTables.has(index));
    const next =
      this.status === 'running' && allFollow
        ? 'following'
        : this.status === 'following' && !allFollow
          ? 'running'
          : undefined;
    if (next && patched('run-following-status')) this.setStatus(next);
  }

  shouldContinueAsNew(): boolean {
    return (
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength >= this.input.continueAsNewAfterEvents
    );
  }

  summary(
    finalStatus: RunStatus,
    outcomes: {
      rolledBack?: StepOutcome[];
      cleanupFailures?: StepOutcome[];
      foreignKeys?: ForeignKeyOutcome[];
      error?: ErrorInfo;
    },
  ): RunSummary {
    const { input, state } = this;
    return {
      workflowId: workflowInfo().workflowId,
      runTag: input.runTag,
      status: finalStatus,
      source: `${input.source.server}/${input.source.database}`,
      target: `${input.target.database}.${input.target.schema}`,
      loadMethod: input.loadMethod,
      startedAt: state.startedAt,
      finishedAt: Date.now(),
      tables: this.tablesShown(),
      continuedAsNew: state.continuedAsNew,
      outageRetries: this.outageRetries,
      pauses: state.pauses ?? [],
      workerHosts: state.workerHosts ?? [],
      config: input,
      rolledBack: [...(state.rolledBack ?? []), ...(outcomes.rolledBack ?? [])],
      cleanupFailures: outcomes.cleanupFailures ?? [],
      ...(outcomes.foreignKeys && { foreignKeys: outcomes.foreignKeys }),
      error: outcomes.error,
    };
  }
}
