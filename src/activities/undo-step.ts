/**
 * undoStep: one compensation or clean-up step. Each checks what exists first and treats "already
 * gone" as done, so running a step twice (a retry, a replay) is harmless.
 */
import type { RunStep } from '../contracts/steps';
import { tableExists } from '../snowflake/catalog';
import { execute } from '../snowflake/connection';
import { removeStagedFolder } from '../snowflake/load';
import { undoCreatedContainers } from '../snowflake/created-containers';
import { deleteRowsWithKeysOf, dropTable, renameTable } from '../sql/snowflake/statements';
import { dropSequence } from '../sql/snowflake/identity';
import type { ActivityDeps } from './deps';
import { heartbeatWhile } from './heartbeat';

export function createUndoStep(deps: ActivityDeps) {
  /** Returns what the step found, when there is more to say than that it was done. */
  return async function undoStep(step: RunStep): Promise<string | undefined> {
    return deps.target.use((session) =>
      heartbeatWhile(
        (async (): Promise<string | undefined> => {
          switch (step.kind) {
            case 'dropTable':
              await execute(session, dropTable(step.table));
              for (const sequence of step.sequences ?? []) await execute(session, dropSequence(sequence));
              return;
            case 'removeStagedFiles':
              await removeStagedFolder(session, step.target, step.path);
              return;
            case 'dropCreated':
              return undoCreatedContainers(session, step.object, step.target, step.runTag);
            case 'restoreReplaced':
              if (await tableExists(session, step.replaced)) {
                await execute(session, dropTable(step.target));
                await execute(session, renameTable(step.replaced, step.target));
              }
              // Only the run's own (named with its tag): the restored table keeps whatever it drew from.
              for (const sequence of step.sequences ?? []) await execute(session, dropSequence(sequence));
              return;
            case 'deleteAppended':
              if (await tableExists(session, step.staging)) {
                await execute(session, deleteRowsWithKeysOf(step.target, step.staging, step.keyColumns));
              }
              return;
          }
        })(),
      ),
    );
  };
}
