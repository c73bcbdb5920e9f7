/**
 * Activities called one by one, as Temporal's own activity test environment runs them, with the deps a
 * worker of a config would have, against a migration environment's stand-ins through the real drivers.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type Activities, type ActivityDeps } from '../../src/activities';
import { buildRunInput } from '../../src/cli/run-input';
import { selectRunTables } from '../../src/cli/selected-tables';
import type { MigratorConfig } from '../../src/config/schema';
import { MigrationRunInputSchema, type ParsedRunInput } from '../../src/contracts/run-input';
import { type TableStepInput } from '../../src/contracts/activities';
import type { TableTask } from '../../src/contracts/table';
import { createActivityDeps } from '../../src/worker-runtime';
import { SECRETS_ENV } from './migration-env';

/** Runs one activity in Temporal's activity test environment, typed as the activity itself. */
export function runActivity<I, R>(
  activity: (input: I) => Promise<R>,
  input: I,
  environment = new MockActivityEnvironment(),
): Promise<R> {
  return environment.run(activity, input) as Promise<R>;
}

export interface ActivityHarness {
  activities: Activities;
  deps: ActivityDeps;
  /** The workflow input a run of the config would get. */
  run: ParsedRunInput;
  /** What every table step takes besides its task. */
  step(task: TableTask): TableStepInput;
  /** Analyses the run's first table, as the run's child would. */
  analyzeFirstTable(ifTargetExists: 'fail' | 'replace'): Promise<TableTask>;
  /** Closes the deps' connections. */
  close(): Promise<void>;
}

export async function activityHarness(config: MigratorConfig, runTag: string): Promise<ActivityHarness> {
  const deps = createActivityDeps(config, SECRETS_ENV);
  const activities = createActivities(deps);
  const run = MigrationRunInputSchema.parse(
    buildRunInput(config, runTag, await selectRunTables(config, SECRETS_ENV)),
  );
  return {
    activities,
    deps,
    run,
    step: (task) => ({
      task,
      target: run.target,
      metadataColumns: run.metadataColumns,
      validation: run.validation,
    }),
    async analyzeFirstTable(ifTargetExists) {
      const plan = await runActivity(activities.analyzeTable, {
        index: 0,
        runTag: run.runTag,
        table: run.tables[0]!,
        target: run.target,
        metadataColumns: run.metadataColumns,
        ifTargetExists,
        expectedSourceDatabase: run.source.database,
      });
      return plan.task;
    },
    async close() {
      await Promise.allSettled([deps.source.close(), deps.target.close()]);
    },
  };
}
