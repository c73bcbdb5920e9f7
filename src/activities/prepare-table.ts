/**
 * prepareTable: creates the database, schema and stage if they are missing (under target.schemas
 * perSource also the table's own schema), and this run's staging table for the table. Safe to run again after a crash (everything IF NOT EXISTS). What it creates
 * carries a comment naming the run, so that undo drops only what this run created (ownership.ts).
 *
 * The database and schema are only created when missing: a role that may create tables in an
 * existing schema often may not create databases, and Snowflake can refuse CREATE ... IF NOT EXISTS
 * for want of that privilege even when the object is there.
 */
import type { TableStepInput } from '../contracts/activities';
import { schemaExists } from '../snowflake/catalog';
import { execute } from '../snowflake/connection';
import { createDatabase, createSchema, createStage, createTable } from '../sql/snowflake/statements';
import { snowflakeNameFor } from '../names/snowflake-names';
import type { ActivityDeps } from './deps';
import { describedColumns } from '../mapping/descriptions';
import { createSequence, withIdentityDefault } from '../sql/snowflake/identity';
import { displayTableName } from '../names/sqlserver-names';

export function createPrepareTable(deps: ActivityDeps) {
  return async function prepareTable(input: TableStepInput): Promise<void> {
    const { shape, uniqueKeys, descriptions } = await deps.shapes.get(input.task, input.metadataColumns);
    const { database, schema, stage } = input.target;
    const { runTag } = input;
    await deps.target.use(async (session) => {
      if (!(await schemaExists(session, database, schema))) {
        await execute(session, createDatabase(database, runTag));
        await execute(session, createSchema(database, schema, runTag));
      }
      await execute(session, createStage(database, schema, stage, runTag));
      // target.schemas perSource: the table's own schema, marked like the others for undo
      // (CREATE SCHEMA IF NOT EXISTS ... COMMENT: https://docs.snowflake.com/en/sql-reference/sql/create-schema).
      const ownSchema = input.task.staging.schema;
      if (ownSchema !== schema && !(await schemaExists(session, database, ownSchema)))
        await execute(session, createSchema(database, ownSchema, runTag));
      // The identity column draws from a placeholder sequence until publication (sql/snowflake/identity.ts):
      // a column's default can later be switched only from one sequence to another.
      const { identity, identityPlaceholder: placeholder } = input.task;
      if (identity && placeholder) {
        const source = displayTableName(input.task.source);
        await execute(
          session,
          createSequence(placeholder, identity.seed, identity.increment, 'placeholder', source),
        );
      }
      const described = describedColumns(shape, descriptions);
      await execute(
        session,
        createTable(
          {
            table: input.task.staging,
            ...described,
            columns: withIdentityDefault(described.columns, identity, placeholder),
            isMigratedColumn: input.metadataColumns.isMigrated,
            migratedAtColumn: input.metadataColumns.migratedAt,
            primaryKey: input.task.declarePrimaryKey ? input.task.keyColumns.map(snowflakeNameFor) : [],
            uniqueKeys: uniqueKeys.map((k) => k.columns),
          },
          'staging',
        ),
      );
    });
  };
}
