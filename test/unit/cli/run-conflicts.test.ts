import { conflictingRun, openRunsQuery } from '../../../src/cli/run-conflicts';

describe('two runs on the same tables', () => {
  const open = [
    { workflowId: 'migrate-a', tables: ['dbo.customers'], tableCount: 1 },
    { workflowId: 'migrate-b', tables: ['dbo.Orders', 'dbo.lines'], tableCount: 2 },
  ];

  it('finds the open run that has one of the tables, case-insensitively', () => {
    expect(conflictingRun(open, ['dbo.orders', 'dbo.items'])).toEqual({
      workflowId: 'migrate-b',
      shared: ['dbo.Orders'],
    });
    expect(conflictingRun(open, ['dbo.items'])).toBeUndefined();
  });

  it('counts a run whose memo lists only some of its tables as a conflict', () => {
    const many = [{ workflowId: 'migrate-c', tables: ['dbo.t1'], tableCount: 500 }];
    expect(conflictingRun(many, ['dbo.t999'])).toEqual({ workflowId: 'migrate-c', shared: [] });
  });

  it('queries the open runs into the target, quoting it', () => {
    expect(openRunsQuery('STEVE_MCP.DATA_MIGRATION')).toBe(
      'ExecutionStatus = "Running" AND MigrationTarget = "STEVE_MCP.DATA_MIGRATION"',
    );
    expect(openRunsQuery('A"B.S')).toBe('ExecutionStatus = "Running" AND MigrationTarget = "A\\"B.S"');
  });
});
