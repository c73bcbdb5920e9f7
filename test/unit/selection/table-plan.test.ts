import { TableAnalysisSchema } from '../../../src/contracts/activities';
import { TableRunInputSchema } from '../../../src/contracts/run-input';
import { catalogFacts, tablePlan } from '../../../src/selection/table-plan';
import { tableNames } from '../../../src/names/target-names';
import { runInput } from '../../support/fake-activities';

const source = { schema: 'sales', table: 'orders' };
const names = tableNames({ index: 2, runTag: 'ab12', source, target: { database: 'DB', schema: 'S' } });
const table = {
  source: 'sales.orders',
  filter: 'region = 1',
  excludeColumns: ['notes'],
  sensitiveColumns: ['email'],
};
const found = {
  keyColumns: ['id'],
  keySource: 'primaryKey' as const,
  schemaFingerprint: '0123456789abcdef',
  objectIdentity: '901578250 2026-12-07T10:00:00.000Z',
  columnCount: 4,
  targetExists: true,
  rowCountEstimate: 1200,
  warnings: ['DB.S.ORDERS exists and will be replaced once sales.orders is validated.'],
};

describe('tablePlan: a table plan from its configuration, names and analysed facts', () => {
  it('puts the configuration, the names and the facts where the activities read them', () => {
    expect(tablePlan(table, { index: 2, source, names }, found)).toEqual({
      task: {
        index: 2,
        source,
        filter: 'region = 1',
        excludeColumns: ['notes'],
        sensitiveColumns: ['email'],
        keyColumns: ['id'],
        declarePrimaryKey: true,
        target: { database: 'DB', schema: 'S', name: 'ORDERS' },
        staging: { database: 'DB', schema: 'S', name: 'ORDERS__MIGRATING_AB12' },
        replaced: { database: 'DB', schema: 'S', name: 'ORDERS__REPLACED_AB12' },
        stagePath: 'ab12/t2',
        identitySequence: { database: 'DB', schema: 'S', name: 'ORDERS__IDENTITY_AB12' },
        identityPlaceholder: { database: 'DB', schema: 'S', name: 'ORDERS__IDENTITY_PLACEHOLDER_AB12' },
        schemaFingerprint: '0123456789abcdef',
        objectIdentity: '901578250 2026-12-07T10:00:00.000Z',
      },
      columnCount: 4,
      rowCountEstimate: 1200,
      keySource: 'primaryKey',
      targetExists: true,
      warnings: ['DB.S.ORDERS exists and will be replaced once sales.orders is validated.'],
    });
  });

  it('declares a primary key only when the key is the source primary key', () => {
    const plan = tablePlan(
      { source: 'sales.orders' },
      { index: 2, source, names },
      {
        ...found,
        keyColumns: ['order_no'],
        keySource: 'config',
      },
    );
    expect(plan.task).toMatchObject({
      keyColumns: ['order_no'],
      declarePrimaryKey: false,
      excludeColumns: [],
    });
    expect(plan.task).not.toHaveProperty('sensitiveColumns');
  });

  it("a child rebuilds the analysis's own plan from the facts the preflight hands over", () => {
    const analysed = tablePlan(table, { index: 2, source, names }, found);
    const facts = catalogFacts(analysed);
    // The row estimate and warnings travel in the preflight's analysis beside the facts.
    const handed = { ...facts, rowCountEstimate: analysed.rowCountEstimate, warnings: analysed.warnings };
    expect(tablePlan(table, { index: 2, source, names }, handed)).toEqual(analysed);
    // No column list, no rows: the facts are a few names and short strings.
    expect(Object.keys(facts).sort()).toEqual([
      'columnCount',
      'keyColumns',
      'keySource',
      'objectIdentity',
      'schemaFingerprint',
      'targetExists',
    ]);
  });

  it('the identity column found by the analysis reaches the child through the facts', () => {
    const identity = { column: 'ID', seed: '1000', increment: '5', setAt: 'publish' as const };
    const analysed = tablePlan(table, { index: 2, source, names }, { ...found, identity });
    expect(analysed.task.identity).toEqual(identity);
    const facts = catalogFacts(analysed);
    expect(facts.identity).toEqual(identity);
    const handed = { ...facts, rowCountEstimate: analysed.rowCountEstimate, warnings: analysed.warnings };
    expect(tablePlan(table, { index: 2, source, names }, handed)).toEqual(analysed);
    expect(
      TableAnalysisSchema.parse({ rowCountEstimate: 1, keyed: true, warnings: [], facts }).facts,
    ).toEqual(facts);
  });

  it('the contracts keep the facts on their way to the child (zod drops keys it does not know)', () => {
    const facts = catalogFacts(tablePlan(table, { index: 2, source, names }, found));
    const analysis = { rowCountEstimate: 1200, keyed: true, warnings: [], facts };
    expect(TableAnalysisSchema.parse(analysis).facts).toEqual(facts);
    const handed = { ...facts, rowCountEstimate: 1200, warnings: [], analysed: { start: 1, end: 2 } };
    const { tables, ...settings } = runInput([{ name: 'orders', rows: 1200 }]);
    const input = { settings, index: 0, table: tables[0]!, paused: false, analysis: handed };
    expect(TableRunInputSchema.parse(input).analysis).toEqual(handed);
  });
});
