/**
 * How a published table is undone, and what is dropped once the run has ended: one definition for the
 * publishTable activity, which reports it, and the run, which derives it from a table's record instead
 * of keeping 2,000 tables' steps in its state. Pure.
 */
import type { RunStep } from '../contracts/steps';
import type { TableNames } from '../names/target-names';

export type Publication = 'created' | 'replaced' | 'appended';

export function publicationSteps(
  names: Pick<TableNames, 'target' | 'staging' | 'replaced'>,
  published: Publication,
  /** Snowflake names of the key columns the appended rows are deleted by (append only). */
  appendedKeyColumns: string[] = [],
): { undo: RunStep; cleanups: RunStep[] } {
  switch (published) {
    case 'created':
      return { undo: { kind: 'dropTable', table: names.target, why: 'published table' }, cleanups: [] };
    case 'replaced':
      return {
        undo: { kind: 'restoreReplaced', target: names.target, replaced: names.replaced },
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
