/**
 * analyzeTable: everything the run needs to know about one table before anything is created, so bad
 * input (missing table, unsupported type, existing target under `fail`) stops the run before any DDL.
 */
import { Context } from '@temporalio/activity';
import { hintFor, MigrationError, TABLE_REFUSALS } from '../contracts/errors';
import type { AnalyzeTableInput, AnalyzeTablesInput, TableAnalysis } from '../contracts/activities';
import type { TablePlan } from '../contracts/table';
import { tableNames } from '../names/target-names';
import { catalogFacts, tablePlan } from '../selection/table-plan';
import { inspectSourceTable, readFollowFacts } from '../source/inspect-source';
import { calibrate, distinctTypes } from '../snowflake/calibrate';
import { missingContainer, schemaExists, tableColumns, tableExists } from '../snowflake/catalog';
import { displaySnowflakeName } from '../names/snowflake-names';
import { checkReadRestrictions } from '../source/read-restrictions';
import { checkTableKind } from '../source/table-kinds';
import { followRefusal } from '../follow/rules';
import { readCurrentVersion } from '../sqlserver/change-tracking-reads';
import {
  countRows,
  readReadRestrictions,
  readServerInfo,
  readSnapshotIsolation,
  readTableKind,
} from '../sqlserver/catalog';
import { displayTableName, parseTableName, quoteIdentifier } from '../names/sqlserver-names';
import type { ProbeType } from '../validation/calibration';
import type { ActivityDeps } from './deps';

/** `onTypes`: the Snowflake column types the table's values load into (for the calibration probe). */
export function createAnalyzeTable(deps: ActivityDeps, onTypes?: (types: ProbeType[]) => void) {
  return async function analyzeTable(input: AnalyzeTableInput): Promise<TablePlan> {
    const pool = await deps.source.pool();
    const server = await readServerInfo(pool);
    if (server.databaseName.toLowerCase() !== input.expectedSourceDatabase.toLowerCase()) {
      throw new MigrationError(
        'InvalidConfig',
        `The worker is connected to the database ${server.databaseName}, but the run was started for ` +
          `${input.expectedSourceDatabase}: start the worker and the run with the same config.`,
      );
    }
    let source: ReturnType<typeof parseTableName>;
    try {
      source = parseTableName(input.table.source);
    } catch (err) {
      throw new MigrationError(
        'InvalidConfig',
        `migration.tables[${input.index}].source: ${(err as Error).message}`,
      );
    }
    const tableName = displayTableName(source);
    const { catalog, shape, fingerprint } = await inspectSourceTable(
      pool,
      { source, keyColumns: input.table.keyColumns, excludeColumns: input.table.excludeColumns },
      input.metadataColumns,
    );
    // Masked columns and security policies: refused before any DDL unless the table opts in.
    /**
     * mode follow: the table can be followed, and the version its changes are read after. Read here,
     * before any batch reads a row, so that every change a batch may have missed comes after it.
     */
    async function followVersion(): Promise<string> {
      const refusal = followRefusal(
        await readFollowFacts(pool, server.databaseName, source, shape, input.table.filter),
      );
      if (refusal) throw new MigrationError(refusal.type, refusal.message);
      // Each round reads the changes and the rows in one SNAPSHOT transaction.
      if ((await readSnapshotIsolation(pool)) !== 'ON') {
        throw new MigrationError(
          'SourceSnapshotNotAllowed',
          `mode follow reads the changes of ${tableName} in SNAPSHOT transactions, which ${server.databaseName} does not allow: have a DBA run ALTER DATABASE ${quoteIdentifier(server.databaseName)} SET ALLOW_SNAPSHOT_ISOLATION ON.`,
        );
      }
      const version = await readCurrentVersion(pool);
      if (version === null)
        throw new MigrationError('ChangeTrackingOff', `Change Tracking is off for ${server.databaseName}.`);
      return version;
    }
    const readWarnings = checkReadRestrictions(
      tableName,
      await readReadRestrictions(pool, source, catalog.type),
      {
        excludeColumns: input.table.excludeColumns,
        allowMaskedOrFiltered: input.table.allowMaskedOrFiltered,
      },
    );
    // Memory-optimized tables under SNAPSHOT reads, Always Encrypted columns: refused; temporal: said.
    const kindWarnings = checkTableKind(tableName, await readTableKind(pool, source, catalog.type), {
      snapshotReads: Boolean(input.snapshotReads || input.follow),
      excludeColumns: input.table.excludeColumns,
    });
    const followFrom = input.follow ? await followVersion() : undefined;
    onTypes?.(shape.mappings.map((m) => ({ kind: m.kind, targetType: m.targetType })));
    const names = tableNames({
      index: input.index,
      runTag: input.runTag,
      source,
      targetOverride: input.table.target,
      target: input.target,
    });
    const expectedColumns = [
      ...shape.targetColumns.map((c) => c.name),
      input.metadataColumns.isMigrated,
      input.metadataColumns.migratedAt,
    ];
    const targetExists = await deps.target.use(async (session) => {
      const exists = await tableExists(session, names.target);
      if (!exists) return false;
      const where = displaySnowflakeName(names.target);
      if (input.ifTargetExists === 'fail') {
        throw new MigrationError(
          'TargetTableExists',
          `The target table ${where} already exists (ifTargetExists: fail).`,
        );
      }
      if (input.ifTargetExists === 'append') {
        const actual = await tableColumns(session, names.target);
        if (actual.join('\u0000') !== expectedColumns.join('\u0000')) {
          throw new MigrationError(
            'TargetShapeMismatch',
            `${where} has the columns (${actual.join(', ')}); appending ${tableName} needs (${expectedColumns.join(', ')}).`,
          );
        }
        if (!shape.keyColumns.length) {
          throw new MigrationError(
            'InvalidKey',
            `Appending to ${where} needs key columns to undo the append on failure; ${tableName} has none usable.`,
          );
        }
      }
      return true;
    });
    const creates = await deps.target.use((session) => missingContainer(session, input.target));
    // perSource: the table's own schema (when not the stage's), which prepareTable creates if missing.
    const ownSchema = names.target.schema;
    const createsSchema =
      ownSchema !== input.target.schema &&
      !(await deps.target.use((session) => schemaExists(session, input.target.database, ownSchema)))
        ? ownSchema
        : undefined;

    const rowCountEstimate = await countRows(pool, source, input.table.filter);
    const plan = tablePlan(
      input.table,
      { index: input.index, source, names },
      {
        keyColumns: shape.keyColumns.map((k) => k.name),
        keySource: shape.keySource,
        schemaFingerprint: fingerprint,
        objectIdentity: catalog.objectIdentity,
        // Appending keeps the existing target's columns as they are: its defaults are not the run's to change.
        ...(shape.identity && !(targetExists && input.ifTargetExists === 'append')
          ? {
              identity: {
                ...shape.identity,
                // mode follow: rows keep arriving after publication, so the sequence waits for cutover.
                setAt: input.follow ? ('cutover' as const) : ('publish' as const),
              },
            }
          : {}),
        columnCount: shape.mappings.length,
        targetExists,
        rowCountEstimate,
        warnings: [
          ...readWarnings,
          ...kindWarnings,
          ...shape.warnings,
          ...(catalog.type === 'VIEW'
            ? [`${tableName} is a view: its rows are copied as the view returns them.`]
            : []),
          ...(targetExists && input.ifTargetExists === 'replace'
            ? [
                `${displaySnowflakeName(names.target)} exists and will be replaced once ${tableName} is validated.`,
              ]
            : []),
        ],
      },
    );
    return {
      ...plan,
      ...(creates ? { creates } : {}),
      ...(createsSchema ? { createsSchema } : {}),
      ...(followFrom !== undefined ? { followFrom } : {}),
    };
  };
}

/** Types already calibrated, per run: a page of tables probes only the types earlier pages did not. */
const MAX_REMEMBERED = 10_000;

/**
 * analyzeTables: a page of the run's tables analysed one after the other, each as analyzeTable does;
 * a table that cannot be migrated as configured is returned as refused (refuseTablesAlone), or fails the
 * call. Then the calibration probe of the Snowflake types the page uses, through INSERT binds and, where
 * the target schema exists, PUT and COPY INTO a temporary table (src/snowflake/calibrate.ts): a mismatch
 * fails the run before anything is created. Returns only what the run needs of each: its size and
 * warnings, and (withFacts) the few catalog facts the table's child builds its plan from instead of
 * analysing the table again; never the table's columns, so the run's history stays small.
 */
export function createAnalyzeTables(deps: ActivityDeps) {
  const calibrated = new Set<string>();
  return async function analyzeTables(input: AnalyzeTablesInput): Promise<TableAnalysis[]> {
    const { firstIndex, tables, ...common } = input;
    const analyses: TableAnalysis[] = [];
    const types: ProbeType[] = [];
    const analyzeTable = createAnalyzeTable(deps, (t) => types.push(...t));
    for (const [offset, table] of tables.entries()) {
      let plan: TablePlan;
      try {
        plan = await analyzeTable({ ...common, index: firstIndex + offset, table });
      } catch (err) {
        if (!(input.refuseTablesAlone && err instanceof MigrationError && TABLE_REFUSALS.has(err.type)))
          throw err;
        analyses.push({
          rowCountEstimate: 0,
          keyed: false,
          warnings: [],
          refused: { type: err.type, message: err.message, hint: hintFor(err.type) },
        });
        continue;
      }
      analyses.push({
        rowCountEstimate: plan.rowCountEstimate,
        keyed: plan.task.keyColumns.length > 0,
        ...(plan.creates ? { creates: plan.creates } : {}),
        ...(plan.createsSchema ? { createsSchema: plan.createsSchema } : {}),
        warnings: plan.warnings,
        ...(input.withFacts ? { facts: catalogFacts(plan) } : {}),
      });
    }
    // Before anything is created: Snowflake prints each type's sentinels as the content check expects.
    const key = (t: ProbeType) => `${input.runTag}|${t.kind} ${t.targetType}`;
    const fresh = distinctTypes(types).filter((t) => !calibrated.has(key(t)));
    if (fresh.length) {
      const place = { database: input.target.database, schema: input.target.schema, workDir: deps.workDir };
      const copy = await deps.target.use((session) => calibrate(session, fresh, place));
      if (!copy.proven)
        Context.current().log.warn(
          `The calibration probe checked the INSERT path only: ${copy.reason}. The content check of every batch still compares each value.`,
        );
      if (calibrated.size > MAX_REMEMBERED) calibrated.clear();
      for (const t of fresh) calibrated.add(key(t));
    }
    return analyses;
  };
}
