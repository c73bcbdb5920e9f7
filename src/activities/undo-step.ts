/**
 * undoStep: one compensation or clean-up step. Each checks what exists first and treats "already
 * gone" as done, so running a step twice (a retry, a replay) is harmless.
 */
import type { RunStep } from '../contracts/run';
import { tableExists } from '../snowflake/catalog';
import { execute } from '../snowflake/connection';
import { isMissingObject } from '../snowflake/errors';
import {
  deleteRowsWithKeysOf,
  dropTable,
  removeStagedFiles,
  renameTable,
  stageLocation,
} from '../snowflake/sql';
import type { ActivityDeps } from './deps';
import { heartbeatWhile } from './heartbeat';

export function createUndoStep(deps: ActivityDeps) {
  return async function undoStep(step: RunStep): Promise<void> {
    await deps.target.use((session) =>
      heartbeatWhile(
        (async () => {
          switch (step.kind) {
            case 'dropTable':
              await execute(session, dropTable(step.table));
              return;
            case 'removeStagedFiles':
              try {
                const { database, schema, stage } = step.target;
                await execute(session, removeStagedFiles(stageLocation(database, schema, stage, step.path)));
              } catch (err) {
                if (!isMissingObject(err)) throw err; // no stage, no files
              }
              return;
            case 'restoreReplaced':
              if (await tableExists(session, step.replaced)) {
                await execute(session, dropTable(step.target));
                await execute(session, renameTable(step.replaced, step.target));
              }
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
