/**
 * The one-line summaries each activity carries into the Temporal Web UI, so its event list names the
 * table and batch ("copyBatch dbo.orders #17 (120000, 130000]") instead of a bare activity type.
 * Pure: they only format descriptors the workflow already holds.
 */
import type { RunStep } from '../contracts/steps';
import type { RunStatus } from '../contracts/outcomes';
import type { BatchRange, TablePlan } from '../contracts/table';
import { displaySnowflakeName } from '../names/snowflake-names';
import { displayTableName } from '../names/sqlserver-names';
import { batchRangeText, keyText } from '../run-summary/figures';
import { describeStep } from './run-state';

function source(plan: TablePlan): string {
  return displayTableName(plan.task.source);
}

export const activitySummaries = {
  analyzeTable: (table: string) => `analyzeTable ${table}`,
  analyzeTables: (firstIndex: number, count: number, total: number) =>
    `analyzeTables ${firstIndex + 1}-${firstIndex + count} of ${total}`,
  prepareTable: (plan: TablePlan) =>
    `prepareTable ${source(plan)}: staging table ${displaySnowflakeName(plan.task.staging)}`,
  planBatches: (plan: TablePlan, firstIndex: number, after: string[] | null) =>
    `planBatches ${source(plan)} from #${firstIndex}${after ? ` (key > ${keyText(after, '')})` : ''}`,
  copyBatch: (plan: TablePlan, batch: BatchRange) => `copyBatch ${source(plan)} ${batchRangeText(batch)}`,
  validateTable: (plan: TablePlan) => `validateTable ${source(plan)}`,
  publishTable: (plan: TablePlan, mode: string) =>
    `publishTable ${source(plan)} -> ${displaySnowflakeName(plan.task.target)} (${mode})`,
  applyChanges: (plan: TablePlan, round: number, after: string, cutover: boolean) =>
    `applyChanges ${source(plan)} round ${round} (changes after version ${after})${cutover ? ', cutover' : ''}`,
  undoStep: (step: RunStep, purpose: 'undo' | 'clean-up') => `${purpose}: ${describeStep(step)}`,
  declareForeignKeys: (tables: number) => `declareForeignKeys between ${tables} published table(s)`,
  writeReport: (status: RunStatus) => `writeReport (${status})`,
};
