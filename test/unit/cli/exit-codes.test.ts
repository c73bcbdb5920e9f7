import { ConfigError } from '../../../src/config/load';
import type { RunSummary } from '../../../src/contracts/outcomes';
import {
  CannotConnectError,
  exitCodeFor,
  exitCodeForError,
  RunConflictError,
} from '../../../src/cli/exit-codes';
import { registerSearchAttributesHint } from '../../../src/cli/temporal-client';

function summary(
  status: RunSummary['status'],
  cleanupFailures: RunSummary['cleanupFailures'] = [],
): RunSummary {
  return {
    workflowId: 'migrate-x',
    runTag: 'abcd',
    status,
    source: 's',
    target: 't',
    loadMethod: 'copy',
    startedAt: 0,
    finishedAt: 1,
    tables: [],
    continuedAsNew: 0,
    rolledBack: [],
    cleanupFailures,
  };
}

describe('exit codes', () => {
  it('tell a run’s outcomes apart', () => {
    expect(exitCodeFor(summary('succeeded'))).toBe(0);
    expect(exitCodeFor(summary('failed'))).toBe(1);
    expect(exitCodeFor(summary('cancelled'))).toBe(4);
    expect(exitCodeFor(summary('succeeded', [{ description: 'drop X', ok: false, error: 'e' }]))).toBe(5);
  });

  it('tell an invalid config, an unreachable server and a refused start from other errors', () => {
    expect(exitCodeForError(new ConfigError('bad'))).toBe(2);
    expect(exitCodeForError(new CannotConnectError('down'))).toBe(3);
    expect(exitCodeForError(new RunConflictError('another run has the tables'))).toBe(7);
    expect(exitCodeForError(new Error('other'))).toBe(1);
  });
});

it('the search attribute hint is the temporal CLI command for each missing one', () => {
  expect(registerSearchAttributesHint('prod', ['MigrationTables', 'MigrationRowsCopied'])).toBe(
    '  temporal operator search-attribute create --namespace prod --name MigrationTables --type KeywordList\n' +
      '  temporal operator search-attribute create --namespace prod --name MigrationRowsCopied --type Int',
  );
});
