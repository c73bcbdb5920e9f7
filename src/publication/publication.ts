/**
 * How a published table is undone, and what is dropped once the run has ended: one definition for the
 * publishTable activity, which reports it, and the run, which derives it from a table's record instead
 * of keeping 2,000 tables' steps in its state. Pure.
 */
import type { RunStep } from '../contracts/steps';
import type { SnowflakeName } from '../contracts/table';
import type { TableNames } from '../names/target-names';

export type Publication = 'created' | 'replaced' | 'appended';

export function publicationSteps(
  names: Pick<TableNames, 'target' | 'staging' | 'replaced'> &
    Partial<Pick<TableNames, 'identitySequence' | 'identityPlaceholder'>>,
  published: Publication,
  /** Snowflake names of the key columns the appended rows are deleted by (append only). */
  appendedKeyColumns: string[] = [],
): { undo: RunStep; cleanups: RunStep[] } {
  const sequences = identitySequences(names);
  switch (published) {
    case 'created':
      return {
        undo: { kind: 'dropTable', table: names.target, why: 'published table', ...sequences },
        cleanups: [],
      };
    case 'replaced':
      return {
        undo: { kind: 'restoreReplaced', target: names.target, replaced: names.replaced, ...sequences },
        cleanups: [{ kind: 'dropTable', table: names.replaced, why: 'replaced table' }],
      };
    case 'appended':
      return {
        undo: {
          kind: 'deleteAppended',
          target: names.target,
          staging: names.staging,
          keyColumns: appendedKeyColumns,
        },
        cleanups: [{ kind: 'dropTable', table: names.staging, why: 'staging table' }],
      };
  }
}

/**
 * The sequences a table of the run may draw from, dropped (if they exist) with it: whether the table has
 * an identity column is not in the run's record, and dropping a sequence that does not exist is a no-op
 * (DROP SEQUENCE IF EXISTS). The run's tag in their names makes them this run's own.
 */
export function identitySequences(
  names: Partial<Pick<TableNames, 'identitySequence' | 'identityPlaceholder'>>,
): { sequences?: SnowflakeName[] } {
  const { identitySequence, identityPlaceholder } = names;
  return identitySequence && identityPlaceholder
    ? { sequences: [identitySequence, identityPlaceholder] }
    : {};
}
