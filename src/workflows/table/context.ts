/**
 * What every step of a table's child workflow (migrateTable) shares: its input, activity proxies, carried
 * state and the outage rider, in one object the steps take explicitly instead of closing over them.
 * Workflow code: it imports only @temporalio/workflow, contracts and pure helpers.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import type { TableConfig } from '../../config/schema';
import type { TableRunInput, TableRunSettings } from '../../contracts/run-input';
import type { TableProgress } from '../../contracts/progress';
import type { StepOutcome } from '../../contracts/steps';
import type { TableRunState } from '../../contracts/carried-state';
import type { TableOutcome } from '../../contracts/outcomes';
import type { TableStepInput } from '../../contracts/activities';
import type { TablePlan } from '../../contracts/table';
import { currentLine } from '../run-state';
import { activityProxies, outageRider, type ActivityProxies, type OutageRider } from '../workflow-steps';

/** migrateTable's signature, for continue-as-new (named here so the steps need not import the workflow). */
type MigrateTable = (input: TableRunInput, resumed?: TableRunState) => Promise<TableOutcome>;

export class TableRun {
  readonly acts: ActivityProxies;
  readonly following: boolean;
  readonly rider: OutageRider;

  constructor(
    readonly rawInput: TableRunInput,
    readonly settings: TableRunSettings,
    readonly index: number,
    readonly table: TableConfig,
    readonly state: TableRunState,
  ) {
    this.acts = activityProxies(settings);
    this.following = settings.mode === 'follow';
    this.rider = outageRider(settings.outageToleranceMinutes, state.outageRetries, () =>
      this.refreshDetails(),
    );
  }

  /** The table's line for the Web UI's current details and the CLI. */
  line(): string {
    return this.state.progress
      ? currentLine([this.state.progress], this.state.paused, Date.now(), this.rider.waiting())
      : `Analysing ${this.table.source}.`;
  }

  refreshDetails(): void {
    setCurrentDetails(this.line());
  }

  shouldContinueAsNew(): boolean {
    return (
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength >= this.settings.continueAsNewAfterEvents
    );
  }

  async continueAsNewNow(): Promise<never> {
    await condition(allHandlersFinished);
    this.state.continuedAsNew += 1;
    log.info('continuing as new', { historyLength: workflowInfo().historyLength, table: this.index });
    return continueAsNew<MigrateTable>({ ...this.rawInput, paused: this.state.paused }, this.state);
  }

  /** The input of the steps that work on the whole table (prepare, validate, publish). */
  stepInput(plan: TablePlan): Omit<TableStepInput, 'copied'> {
    const { settings } = this;
    return {
      task: plan.task,
      runTag: settings.runTag,
      target: settings.target,
      metadataColumns: settings.metadataColumns,
      // Following applies what changed during the copy afterwards, and verifies every row at cutover.
      validation: this.following
        ? { ...settings.validation, sourceChanges: 'warn' as const }
        : settings.validation,
      sourceReadIsolation: settings.sourceReadIsolation,
    };
  }

  outcome(progress: TableProgress | undefined, rolledBack: StepOutcome[]): TableOutcome {
    return {
      progress,
      rolledBack,
      outageRetries: this.state.outageRetries,
      workerHosts: this.state.workerHosts,
      continuedAsNew: this.state.continuedAsNew,
    };
  }
}
