/**
 * declareForeignKeys: after every table of the run is published, declares in Snowflake the source's
 * foreign keys between published tables (src/mapping/foreign-keys.ts says which), and says which were
 * not carried and why. Snowflake does not enforce them
 * (https://docs.snowflake.com/en/sql-reference/constraints-overview).
 *
 * What each published table declares is read back from Snowflake (DESCRIBE TABLE), not assumed, and a
 * key the table already shows (SHOW IMPORTED KEYS: an earlier attempt declared it) is not added again,
 * so a retry after a crash finishes the job.
 */
import type { DeclareForeignKeysInput, DeclareForeignKeysResult } from '../contracts/foreign-keys';
import type { SnowflakeName } from '../contracts/table';
import {
  describeTable,
  foreignKeyVerdicts,
  sameTable,
  showImportedKeys,
  type PublishedTable,
} from '../mapping/foreign-keys';
import { execute, type Session } from '../snowflake/connection';
import { readForeignKeys } from '../sqlserver/foreign-keys';
import type { ActivityDeps } from './deps';
import { activityQueryTag } from './query-tag';

export function createDeclareForeignKeys(deps: ActivityDeps) {
  return async function declareForeignKeys(
    input: DeclareForeignKeysInput,
  ): Promise<DeclareForeignKeysResult> {
    const keys = await readForeignKeys(await deps.source.pool());
    const involved = input.tables.filter((t) =>
      keys.some((k) => [k.table, k.referenced].some((r) => r && sameTable(r, t.source))),
    );
    if (!involved.length) return { keys: [] };
    return deps.target.use(
      async (session) => {
        // One statement at a time on the session, as every activity here uses it.
        const published = [];
        for (const table of involved) published.push(await describe(session, table));
        const { declare, notCarried } = foreignKeyVerdicts(keys, published);
        const declared = [];
        for (const key of declare) {
          if (!(await importedKeyNames(session, key.table)).has(key.name)) await execute(session, key.sql);
          const child = published.find((t) => t.target === key.table)!;
          const table = `${child.source.schema}.${child.source.table}`;
          declared.push(
            key.renamedFrom
              ? { table, name: key.name, renamedFrom: key.renamedFrom }
              : { table, name: key.name },
          );
        }
        return {
          keys: [
            ...declared,
            ...notCarried.map((k) => ({ table: k.table, name: k.name, notCarried: k.why })),
          ],
        };
      },
      activityQueryTag({ tables: involved.length }),
    );
  };
}

async function describe(
  session: Session,
  table: DeclareForeignKeysInput['tables'][number],
): Promise<PublishedTable> {
  const rows = await execute<Record<string, string>>(session, describeTable(table.target));
  const flagged = (flag: string) => rows.filter((r) => r[flag] === 'Y').map((r) => r.name!);
  return {
    source: table.source,
    target: table.target,
    columns: rows.map((r) => r.name!),
    primaryKey: flagged('primary key'),
    uniqueColumns: flagged('unique key'),
  };
}

async function importedKeyNames(session: Session, table: SnowflakeName): Promise<Set<string>> {
  const rows = await execute<{ fk_name: string }>(session, showImportedKeys(table));
  return new Set(rows.map((r) => r.fk_name));
}
