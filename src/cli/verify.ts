/**
 * `migrate verify`: a post-migration audit. Compares every value of each configured source table with
 * its published target, any time after the run, with the same canonical checksums a run uses per
 * batch (src/comparison/compare-content.ts). A published table has no batch column, so the scope is the
 * whole table and differences are bisected by key hash. Nothing is written anywhere.
 */
import { loadConfigFile } from '../config/load';
import { readSourceSecrets, readTargetSecrets } from '../config/secrets';
import type { MigratorConfig, TableConfig } from '../config/schema';
import type { ContentResult } from '../contracts/progress';
import { readAndCompareContent, rowDescription, targetQuery } from '../comparison/compare-content';
import { inspectSourceTable } from '../source/inspect-source';
import { tableNames } from '../names/target-names';
import { differenceLines } from '../report/render';
import { tableExists } from '../snowflake/catalog';
import { classifySnowflakeError } from '../snowflake/errors';
import { createTargetConnection, type TargetConnection } from '../snowflake/connection';
import { displaySnowflakeName } from '../names/snowflake-names';
import type { SourcePool } from '../sqlserver/pool';
import { createSourceConnection } from '../sqlserver/pool';
import { withSourceReads } from '../sqlserver/read-transaction';
import { streamRows } from '../sqlserver/reader';
import { selectBatchQuery } from '../sql/sqlserver/queries';
import { displayTableName, parseTableName } from '../names/sqlserver-names';
import { contentCheck } from '../validation/content';
import { describeError } from './describe-error';
import { selectRunTables } from './selected-tables';
import { EXIT_CODES, exitCodeForError } from './exit-codes';

export interface VerifyOptions {
  /** Source tables to verify (as in migration.tables); every configured table when absent. */
  tables?: string[];
  json?: boolean;
}

export interface TableVerification {
  source: string;
  target: string;
  passed: boolean;
  /** Absent when the target table does not exist. */
  content?: ContentResult;
  error?: string;
}

/** The selected tables (patterns resolved) that `--tables` names, matched by schema and table name. */
function pickTables(selected: TableConfig[], names: string[] | undefined): TableConfig[] {
  if (!names?.length) return selected;
  const key = (text: string) => displayTableName(parseTableName(text)).toLowerCase();
  const wanted = new Set(names.map(key));
  const chosen = selected.filter((t) => wanted.has(key(t.source)));
  const unknown = names.filter((n) => !chosen.some((t) => key(t.source) === key(n)));
  if (unknown.length)
    throw new Error(`--tables names ${unknown.join(', ')}, which migration.tables does not select.`);
  return chosen;
}

async function verifyTable(
  config: MigratorConfig,
  table: TableConfig,
  index: number,
  pool: SourcePool,
  target: TargetConnection,
): Promise<TableVerification> {
  const { migration } = config;
  const ref = parseTableName(table.source);
  const { shape } = await inspectSourceTable(
    pool,
    { source: ref, keyColumns: table.keyColumns, excludeColumns: table.excludeColumns },
    migration.metadataColumns,
  );
  const names = tableNames({
    index,
    runTag: 'verify',
    source: ref,
    targetOverride: table.target,
    target: config.target,
  });
  const result = { source: displayTableName(ref), target: displaySnowflakeName(names.target) };
  if (!(await target.use((session) => tableExists(session, names.target)))) {
    return { ...result, passed: false, error: 'the target table does not exist' };
  }
  const description = rowDescription(result.source, shape);
  const query = selectBatchQuery(
    ref,
    shape.mappings,
    shape.keyColumns,
    { lower: null, upper: null },
    table.filter,
  );
  // Under `snapshot` the checksum pass and the pinpointing passes read the same rows.
  const content = await withSourceReads(pool, migration.sourceReadIsolation, (reader) =>
    readAndCompareContent({
      description,
      targetColumns: shape.targetColumns.map((c) => c.name),
      sensitiveColumns: table.sensitiveColumns ?? [],
      sourceRows: () => streamRows(reader, query),
      target: {
        table: names.target,
        scope: { binds: [] },
        query: targetQuery(target),
      },
      maxReported: migration.validation.maxReportedDifferences,
      tolerated: migration.validation.toleratedDifferences,
    }),
  );
  const check = contentCheck(content, migration.validation.toleratedDifferences);
  return { ...result, passed: check.passed, content };
}

function describe(v: TableVerification): string[] {
  if (!v.content) return [`${v.source} -> ${v.target}: FAILED: ${v.error}`];
  const { rows, differingRows, exact, durationMs } = v.content;
  const seconds = (durationMs / 1000).toFixed(1);
  const head = differingRows
    ? `${v.passed ? 'passed (tolerated)' : 'FAILED'}: ${exact ? '' : 'at least '}${differingRows} of ${rows} row(s) differ`
    : `passed: all ${rows} row(s) equal in every column`;
  return [
    `${v.source} -> ${v.target}: ${head} (${seconds} s)`,
    ...differenceLines(v).map((l) => (l ? `  ${l}` : l)),
  ];
}

/**
 * Verifies the tables; exit code 0 when every one passed, 1 (failed) otherwise, 2 for an invalid config.
 * With --json only the JSON result goes to `out`; errors go to stderr.
 */
export async function runVerify(
  configPath: string,
  options: VerifyOptions = {},
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const notices = options.json ? err : out;
  let config: MigratorConfig;
  let selected: TableConfig[];
  let tables: TableConfig[];
  try {
    config = loadConfigFile(configPath);
    selected = await selectRunTables(config);
    tables = pickTables(selected, options.tables);
  } catch (error) {
    notices.write(`${(error as Error).message}\n`);
    return exitCodeForError(error);
  }
  const source = createSourceConnection(config.source, readSourceSecrets(config));
  const target = createTargetConnection(config.target, readTargetSecrets(config));
  const results: TableVerification[] = [];
  try {
    const pool = await source.pool();
    for (const table of tables) {
      const index = selected.indexOf(table);
      results.push(await verifyTable(config, table, index, pool, target));
    }
  } catch (error) {
    notices.write(`${describeError(error, classifySnowflakeError(error) ? 'target' : 'source')}\n`);
    return EXIT_CODES.failed;
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
  if (options.json) out.write(`${JSON.stringify(results, null, 2)}\n`);
  else for (const r of results) out.write(`${describe(r).join('\n')}\n`);
  return results.every((r) => r.passed) ? EXIT_CODES.succeeded : EXIT_CODES.failed;
}
