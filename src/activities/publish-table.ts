/**
 * publishTable: makes a validated staging table the target table, and says how to undo that.
 *
 *   create   staging is renamed to the target name; undo drops it.
 *   replace  the old target is renamed aside and staging takes its name; undo puts the old one back,
 *            and once the whole run has succeeded the old one is dropped.
 *   append   staging rows are inserted into the target in one transaction; undo deletes them by key.
 *   swap     (mode follow, a table copied again) staging and target exchange names in one statement,
 *            then the old rows, now under the staging name, are dropped; undo is the first copy's.
 *
 * Every step checks what already exists first, so a retry after a crash finishes the job instead of
 * doing it twice.
 */
import { MigrationError } from '../contracts/errors';
import type { PublishTableInput, PublishTableResult } from '../contracts/activities';
import { publicationSteps } from '../publication/publication';
import { createdAfter, tableColumns, tableExists } from '../snowflake/catalog';
import { execute, type Session } from '../snowflake/connection';
import { removeStagedFolder } from '../snowflake/load';
import { continueIdentity } from '../snowflake/identity';
import {
  appendRows,
  countKeyOverlap,
  countRows,
  dropStagingColumns,
  dropTable,
  renameTable,
  swapTables,
} from '../sql/snowflake/statements';
import { displaySnowflakeName } from '../names/snowflake-names';
import { snowflakeNameFor } from '../names/snowflake-names';
import type { ActivityDeps } from './deps';
import { heartbeatWhile } from './heartbeat';
import { activityQueryTag } from './query-tag';

export function createPublishTable(deps: ActivityDeps) {
  return async function publishTable(input: PublishTableInput): Promise<PublishTableResult> {
    const { task } = input;
    const tag = activityQueryTag({ table: displaySnowflakeName(task.target) });
    return deps.target.use(
      (session) =>
        heartbeatWhile(
          (async () => {
            const result = await publish(session);
            // The table is in place: staged files of every attempt, failed or killed ones too, can go.
            await removeStagedFolder(session, input.target, task.stagePath);
            return result;
          })(),
        ),
      tag,
    );

    async function publish(session: Session): Promise<PublishTableResult> {
      const stagingExists = await tableExists(session, task.staging);
      if (stagingExists) await execute(session, dropStagingColumns(task.staging));
      // Before the rename, so the table appears under its name with its identity continuing; a retry
      // after the rename finds it done. Following tables get theirs at cutover (applyChanges).
      if (stagingExists && task.identity?.setAt === 'publish' && input.mode !== 'append')
        await continueIdentity(session, task.staging, task);
      const targetExists = await tableExists(session, task.target);
      switch (input.mode) {
        case 'create':
          if (stagingExists && targetExists) {
            throw new MigrationError(
              'TargetTableExists',
              `${displaySnowflakeName(task.target)} was created by someone else while this run copied it.`,
            );
          }
          if (stagingExists) await execute(session, renameTable(task.staging, task.target));
          return created();
        case 'replace': {
          if (stagingExists) {
            if (targetExists && !(await tableExists(session, task.replaced))) {
              await execute(session, renameTable(task.target, task.replaced));
            }
            await execute(session, renameTable(task.staging, task.target));
          }
          // No old table put aside (there was no target to replace): undo is a plain drop. Asked after
          // the renames, so a retry after a crash gets the same answer as the attempt that renamed.
          if (!(await tableExists(session, task.replaced))) return created();
          return { published: 'replaced', ...publicationSteps(task, 'replaced') };
        }
        case 'append':
          return append(session);
        case 'swap':
          if (stagingExists) await swap(session);
          return created();
      }
    }

    /**
     * The fresh copy takes the target's place in one statement (SWAP WITH), so readers of the target
     * see its old rows or the new ones, never no table; the old rows, left under the staging name, are
     * dropped. SWAP is its own inverse, so a retry after a crash between the two statements must not
     * swap again: SWAP exchanges "all content and metadata", the tables are "essentially renamed"
     * (https://docs.snowflake.com/en/sql-reference/sql/alter-table), so each keeps its creation time
     * (INFORMATION_SCHEMA.TABLES.CREATED), and the copy, created after the target, is the younger one
     * until it is swapped in.
     */
    async function swap(session: Session): Promise<void> {
      if (!(await tableExists(session, task.target))) {
        throw new MigrationError(
          'TargetObjectMissing',
          `${displaySnowflakeName(task.target)} is gone: it was published and followed by this run, and someone dropped or renamed it.`,
        );
      }
      if (await createdAfter(session, task.staging, task.target)) {
        await execute(session, swapTables(task.staging, task.target));
      }
      await execute(session, dropTable(task.staging));
    }

    function created(): PublishTableResult {
      return { published: 'created', ...publicationSteps(task, 'created') };
    }

    async function append(session: Session): Promise<PublishTableResult> {
      const keys = task.keyColumns.map(snowflakeNameFor);
      const columns = await tableColumns(session, task.staging);
      await execute(session, 'BEGIN');
      try {
        const overlap = await count(session, countKeyOverlap(task.target, task.staging, keys));
        const staged = await count(session, countRows(task.staging));
        if (overlap !== '0' && overlap !== staged) {
          throw new MigrationError(
            'TargetKeyConflict',
            `${overlap} of the ${staged} rows to append already have their key in ${displaySnowflakeName(task.target)}.`,
          );
        }
        // overlap === staged: an earlier attempt appended them and committed; nothing left to do.
        if (overlap === '0') await execute(session, appendRows(task.target, task.staging, columns));
        await execute(session, 'COMMIT');
      } catch (err) {
        await execute(session, 'ROLLBACK').catch(() => undefined);
        throw err;
      }
      return { published: 'appended', ...publicationSteps(task, 'appended', keys) };
    }
  };
}

async function count(session: Session, query: string): Promise<string> {
  const [row] = await execute<{ N: string }>(session, query, undefined, { fetchAsString: ['Number'] });
  return row!.N;
}
