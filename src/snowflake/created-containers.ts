/**
 * Undo of the database, schema or stage a run created: each is dropped, innermost first, only when it
 * carries this run's comment and holds nothing else at that moment (src/sql/snowflake/ownership.ts). What was
 * kept, and why, comes back as one line for the report.
 */
import type { TargetLocation } from '../contracts/run-input';
import type { TargetContainer } from '../contracts/table';
import { execute, type Session } from './connection';
import { isMissingObject } from './errors';
import {
  BUILT_IN_SCHEMAS,
  containersToUndo,
  dropVerdict,
  type ContainerFacts,
} from '../sql/snowflake/ownership';
import {
  dropContainer,
  listStage,
  SCHEMA_SEQUENCES_QUERY,
  SCHEMA_TABLES_QUERY,
  showDatabasesLike,
  showSchemasIn,
  showSchemasLike,
  showStagesIn,
  showStagesLike,
} from '../sql/snowflake/statements';

type Shown = { name?: unknown; comment?: unknown };

/** Rows of a SHOW or query; none when the database or schema itself is gone. */
async function rowsOrNone<T>(session: Session, sql: string, binds?: string[]): Promise<T[]> {
  try {
    return await execute<T>(session, sql, binds);
  } catch (err) {
    if (isMissingObject(err)) return [];
    throw err;
  }
}

/** SHOW ... LIKE matches case-insensitively and `_` as a wildcard: the name is compared exactly here. */
async function shownExactly(session: Session, sql: string, name: string): Promise<Shown | undefined> {
  return (await rowsOrNone<Shown>(session, sql)).find((r) => r.name === name);
}

/**
 * Tables, views, stages and sequences of one schema. The run's own sequences (identity columns) are
 * dropped with their tables before this is asked, so any sequence still there is someone else's.
 */
async function schemaContents(session: Session, database: string, schema: string): Promise<string[]> {
  const tables = await rowsOrNone<{ TABLE_NAME: string }>(session, SCHEMA_TABLES_QUERY(database), [schema]);
  const stages = await rowsOrNone<Shown>(session, showStagesIn(database, schema));
  const sequences = await rowsOrNone<{ SEQUENCE_NAME: string }>(session, SCHEMA_SEQUENCES_QUERY(database), [
    schema,
  ]);
  return [
    ...tables.map((t) => `the table ${database}.${schema}.${t.TABLE_NAME}`),
    ...stages.map((s) => `the stage ${database}.${schema}.${String(s.name)}`),
    ...sequences.map((s) => `the sequence ${database}.${schema}.${s.SEQUENCE_NAME}`),
  ];
}

async function factsOf(
  session: Session,
  object: TargetContainer,
  { database, schema, stage }: TargetLocation,
  runTag: string | undefined,
): Promise<ContainerFacts> {
  const facts = (shown: Shown | undefined, contents: () => Promise<string[]>) =>
    shown
      ? contents().then((c) => ({ exists: true, comment: String(shown.comment ?? ''), contents: c }))
      : { exists: false, comment: '', contents: [] };
  switch (object) {
    case 'stage':
      return facts(await shownExactly(session, showStagesLike(database, schema, stage), stage), async () => {
        // Files under the run's own folder (`<runTag>/t<index>/`) are the run's: they go with the stage.
        const own = new RegExp(`(^|/)${runTag ?? ''}/`);
        const files = await rowsOrNone<Shown>(session, listStage(database, schema, stage));
        const others = files.filter((f) => runTag === undefined || !own.test(String(f.name)));
        return others.length ? [`${others.length} staged file(s)`] : [];
      });
    case 'schema':
      return facts(await shownExactly(session, showSchemasLike(database, schema), schema), () =>
        schemaContents(session, database, schema),
      );
    case 'database':
      return facts(await shownExactly(session, showDatabasesLike(database), database), async () => {
        const schemas = (await rowsOrNone<Shown>(session, showSchemasIn(database))).map((s) =>
          String(s.name),
        );
        const others = schemas.filter((s) => !(BUILT_IN_SCHEMAS as readonly string[]).includes(s));
        const inPublic = schemas.includes('PUBLIC') ? await schemaContents(session, database, 'PUBLIC') : [];
        return [...others.map((s) => `the schema ${database}.${s}`), ...inPublic];
      });
  }
}

/** Drops what of `outermost` and the containers inside it this run created; says what it did. */
export async function undoCreatedContainers(
  session: Session,
  outermost: TargetContainer,
  target: TargetLocation,
  runTag: string | undefined,
): Promise<string> {
  const said: string[] = [];
  for (const object of containersToUndo(outermost)) {
    const verdict = dropVerdict(await factsOf(session, object, target, runTag), runTag);
    if (verdict.drop) {
      await execute(session, dropContainer(object, target));
      said.push(`${object} dropped`);
    } else if (!verdict.absent) {
      said.push(`${object} ${verdict.why}`);
    }
  }
  return said.length ? said.join('; ') : 'nothing to drop: the run had not created it';
}
