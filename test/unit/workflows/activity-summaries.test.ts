import type { TablePlan } from '../../../src/contracts/table';
import { activitySummaries as summaries } from '../../../src/workflows/activity-summaries';

const target = { database: 'STEVE_MCP', schema: 'DATA_MIGRATION', name: 'ORDERS' };
const plan = {
  task: {
    source: { schema: 'dbo', table: 'orders' },
    target,
    staging: { ...target, name: 'ORDERS__MIGRATING_K3X9QA' },
  },
} as TablePlan;

describe('activity summaries in the Web UI', () => {
  it('name the table and the batch with its key range', () => {
    expect(summaries.copyBatch(plan, { index: 17, lower: ['120000'], upper: ['130000'] })).toBe(
      'copyBatch dbo.orders #17 (120000, 130000]',
    );
    expect(summaries.copyBatch(plan, { index: 0, lower: null, upper: ['10'] })).toBe(
      'copyBatch dbo.orders #0 (start, 10]',
    );
    expect(summaries.copyBatch(plan, { index: 3, lower: ['7', 'b'], upper: null })).toBe(
      'copyBatch dbo.orders #3 ((7, b), end]',
    );
    expect(summaries.planBatches(plan, 25, ['250000'])).toBe(
      'planBatches dbo.orders from #25 (key > 250000)',
    );
    expect(summaries.planBatches(plan, 0, null)).toBe('planBatches dbo.orders from #0');
  });

  it('name each step of a table and each undo', () => {
    expect(summaries.analyzeTable('dbo.orders')).toBe('analyzeTable dbo.orders');
    expect(summaries.prepareTable(plan)).toBe(
      'prepareTable dbo.orders: staging table STEVE_MCP.DATA_MIGRATION.ORDERS__MIGRATING_K3X9QA',
    );
    expect(summaries.validateTable(plan)).toBe('validateTable dbo.orders');
    expect(summaries.publishTable(plan, 'replace')).toBe(
      'publishTable dbo.orders -> STEVE_MCP.DATA_MIGRATION.ORDERS (replace)',
    );
    expect(
      summaries.undoStep({ kind: 'dropTable', table: plan.task.staging, why: 'staging table' }, 'undo'),
    ).toBe('undo: drop staging table STEVE_MCP.DATA_MIGRATION.ORDERS__MIGRATING_K3X9QA');
    expect(summaries.writeReport('cancelled')).toBe('writeReport (cancelled)');
    expect(summaries.declareForeignKeys(3)).toBe('declareForeignKeys between 3 published table(s)');
  });
});
