/**
 * In-memory activities for the run's workflows on the real dev server: a fake warehouse that knows
 * which batches hold which rows, what was published and what was undone. Used by the orchestration
 * tests and the 2,000-table scale test, where the workflows, not the databases, are under test.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/client';
import type { Activities } from '../../src/activities';
import type { MigrationRunInput } from '../../src/contracts/run-input';
import type { RunStep } from '../../src/contracts/steps';
import type { TableStepInput } from '../../src/contracts/activities';
import type { BatchRange, TablePlan } from '../../src/contracts/table';
import { catalogFacts } from '../../src/selection/table-plan';
import { tableNames } from '../../src/names/target-names';

export interface FakeTable {
  name: string;
  rows: number;
}

/** A fake warehouse: which batches hold which rows, what was published, what was undone. */
export function fakeActivities(
  tables: FakeTable[],
  behaviour: {
    failBatch?: [table: number, batch: number];
    batchDelayMs?: number;
    failValidation?: number;
    /** Calls of analyzeTable that find SQL Server unreachable. */
    analysisOutages?: number;
    /** A table whose columns change after the run's preflight: its first prepareTable refuses it. */
    changedAfterPreflight?: number;
    /** Calls of one batch that find Snowflake unreachable (Infinity: it never comes back). */
    batchOutage?: { table: number; batch: number; calls: number };
  } = {},
) {
  const loaded = tables.map(() => new Map<number, number>());
  const log: string[] = [];
  const undone: RunStep[] = [];
  let copyCalls = 0;
  let analysisCalls = 0;
  /** earlierAttempts of every call of the batch with an outage. */
  const outageBatchCalls: (number | undefined)[] = [];
  const name = (plan: { task: { index: number } }) => tables[plan.task.index]!.name;
  const activities: Omit<Activities, 'describeWorker'> = {
    async analyzeTables({ firstIndex, tables: page, ...common }) {
      const plans = [];
      for (const [offset, table] of page.entries())
        plans.push(await activities.analyzeTable({ ...common, index: firstIndex + offset, table }));
      return plans.map((plan) => ({
        source: `dbo.${name(plan)}`,
        target: `DB.S.${plan.task.target.name}`,
        rowCountEstimate: plan.rowCountEstimate,
        keyed: true,
        warnings: [],
        ...(common.withFacts ? { facts: catalogFacts(plan) } : {}),
      }));
    },
    applyChanges() {
      return Promise.reject(new Error('the fake activities do not follow tables (mode follow)'));
    },
    async analyzeTable(input) {
      if (analysisCalls++ < (behaviour.analysisOutages ?? 0)) {
        throw ApplicationFailure.nonRetryable('Connection lost - read ECONNRESET', 'SourceUnavailable');
      }
      const table = tables[input.index]!;
      const names = tableNames({
        index: input.index,
        runTag: input.runTag,
        source: { schema: 'dbo', table: table.name },
        target: { database: 'DB', schema: 'S' },
      });
      return {
        task: {
          index: input.index,
          source: { schema: 'dbo', table: table.name },
          excludeColumns: [],
          keyColumns: ['id'],
          declarePrimaryKey: true,
          ...names,
          schemaFingerprint: 'f',
        },
        columnCount: 1,
        rowCountEstimate: table.rows,
        keySource: 'primaryKey',
        targetExists: input.ifTargetExists === 'replace',
        warnings: [],
      } satisfies TablePlan;
    },
    async prepareTable(input: TableStepInput) {
      if (input.task.index === behaviour.changedAfterPreflight && !log.includes(`refused ${name(input)}`)) {
        log.push(`refused ${name(input)}`);
        throw ApplicationFailure.nonRetryable(
          `The columns of dbo.${name(input)} changed since the run analysed the table.`,
          'SourceSchemaChanged',
        );
      }
      log.push(`prepare ${name(input)}`);
    },
    async planBatches(input) {
      const total = tables[input.task.index]!.rows;
      const start = input.after ? Number(input.after[0]) : 0;
      const batches: BatchRange[] = [];
      let lower = start;
      while (batches.length < input.maxBatches) {
        const upper = lower + input.batchSize;
        const index = input.firstIndex + batches.length;
        if (upper >= total) {
          batches.push({ index, lower: lower ? [String(lower)] : null, upper: null });
          return { batches, done: true };
        }
        batches.push({ index, lower: lower ? [String(lower)] : null, upper: [String(upper)] });
        lower = upper;
      }
      return { batches, done: false };
    },
    async copyBatch(input) {
      copyCalls += 1;
      if (behaviour.batchDelayMs) await sleep(behaviour.batchDelayMs);
      const outage = behaviour.batchOutage;
      if (outage && input.task.index === outage.table && input.batch.index === outage.batch) {
        outageBatchCalls.push(input.earlierAttempts);
        if (outageBatchCalls.length <= outage.calls) {
          throw ApplicationFailure.nonRetryable('connect ECONNREFUSED 10.0.0.1:443', 'TargetUnavailable');
        }
      }
      const [failTable, failBatch] = behaviour.failBatch ?? [-1, -1];
      if (input.task.index === failTable && input.batch.index === failBatch) {
        throw ApplicationFailure.nonRetryable(
          'Column dbo.orders.shape has type geography',
          'UnsupportedColumnType',
        );
      }
      const total = tables[input.task.index]!.rows;
      const lower = input.batch.lower ? Number(input.batch.lower[0]) : 0;
      const upper = input.batch.upper ? Number(input.batch.upper[0]) : total;
      loaded[input.task.index]!.set(input.batch.index, upper - lower);
      const attempt = (input.earlierAttempts ?? 0) + 1;
      return { rows: upper - lower, bytes: (upper - lower) * 10, attempt, durationMs: 1 };
    },
    async validateTable(input) {
      const rows = [...loaded[input.task.index]!.values()].reduce((a, b) => a + b, 0);
      const source = tables[input.task.index]!.rows;
      const target = behaviour.failValidation === input.task.index ? rows - 1 : rows;
      return {
        passed: source === target,
        sourceRows: source,
        targetRows: target,
        checks: [
          { name: 'row count', source: String(source), target: String(target), passed: source === target },
        ],
      };
    },
    async publishTable(input) {
      log.push(`publish ${name(input)} (${input.mode})`);
      return input.mode === 'replace'
        ? {
            published: 'replaced' as const,
            undo: {
              kind: 'restoreReplaced' as const,
              target: input.task.target,
              replaced: input.task.replaced,
            },
            cleanups: [{ kind: 'dropTable' as const, table: input.task.replaced, why: 'replaced table' }],
          }
        : {
            published: 'created' as const,
            undo: { kind: 'dropTable' as const, table: input.task.target, why: 'published table' },
            cleanups: [],
          };
    },
    async declareForeignKeys() {
      return { keys: [] };
    },
    async undoStep(step) {
      undone.push(step);
      return undefined;
    },
    async writeReport(summary) {
      log.push(`report ${summary.status}`);
      return [`/reports/${summary.workflowId}.json`];
    },
  };
  return {
    activities,
    loaded,
    log,
    undone,
    copyCalls: () => copyCalls,
    analysisCalls: () => analysisCalls,
    outageBatchCalls,
  };
}

export function runInput(tables: FakeTable[], overrides: Partial<MigrationRunInput> = {}): MigrationRunInput {
  return {
    runTag: 'abc123',
    source: { server: 'sql:1433', database: 'shop' },
    target: { database: 'DB', schema: 'S', stage: 'STAGE' },
    tables: tables.map((t) => ({ source: `dbo.${t.name}` })),
    batchSize: 10,
    batchesInFlight: 3,
    loadMethod: 'copy',
    ifTargetExists: 'fail',
    metadataColumns: { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' },
    heartbeatTimeoutSeconds: 10,
    ...overrides,
  };
}
