/**
 * `migrate check`: validates the config, then tries each connection (SQL Server, Snowflake, Temporal)
 * and the tables, with one clear line per finding, and runs the calibration probe over the Snowflake
 * types the tables use. Nothing is written that outlasts the check: the probe's temporary table and its
 * batch file are dropped at once.
 */
import { tmpdir } from 'node:os';
import { sourceAddress, sourceLogin } from '../config/source-address';
import { loadConfigFile } from '../config/load';
import { readSourceSecrets, readTargetSecrets } from '../config/secrets';
import type { MigratorConfig, TableConfig } from '../config/schema';
import { followVerdict } from '../follow/rules';
import { inspectSourceTable, readFollowFacts } from '../source/inspect-source';
import { tableNames } from '../names/target-names';
import { hintFor, MigrationError } from '../contracts/errors';
import { calibrate, distinctTypes } from '../snowflake/calibrate';
import { runningWarehouse, tableExists } from '../snowflake/catalog';
import { createTargetConnection, execute, type Session } from '../snowflake/connection';
import { unreachableReason } from '../snowflake/errors';
import { SERVER_INFO_QUERY as SNOWFLAKE_INFO } from '../sql/snowflake/statements';
import { displaySnowflakeName } from '../names/snowflake-names';
import { restrictionFindings } from '../source/read-restrictions';
import { kindRefusals, readsInSnapshot } from '../source/table-kinds';
import { permissionFinding, permissionStatuses, type PermissionStatus } from '../source/permissions';
import {
  compileFilter,
  readHeldPermissions,
  readReadRestrictions,
  readTableKind,
  readServerInfo,
  readSnapshotIsolation,
  readWriteAccess,
} from '../sqlserver/catalog';
import { createSourceConnection, type SourcePool } from '../sqlserver/pool';
import { displayTableName, isPattern, parseTableName, quoteIdentifier } from '../names/sqlserver-names';
import type { ProbeType } from '../validation/calibration';
import { MIGRATION_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { describeError } from './describe-error';
import { EXIT_CODES } from './exit-codes';
import { selectTables } from './selected-tables';
import {
  connectTemporal,
  missingSearchAttributes,
  registerSearchAttributesHint,
  workflowPollers,
} from './temporal-client';

/** true: in place; false: a problem (counted, exit 1); 'warn': works, but worth changing. */
type Report = (ok: boolean | 'warn', text: string) => void;

/** The migrator only reads; a login that could write is allowed, but is more than it needs. */
async function checkSourceLogin(config: MigratorConfig, pool: SourcePool, report: Report): Promise<void> {
  const login = sourceLogin(config.source);
  try {
    const access = await readWriteAccess(pool);
    if (access.length === 0) report(true, `${login} cannot write to the database`);
    else
      report(
        'warn',
        `${login} could write (${access.join('; ')}): the migrator only reads, so a login with CONNECT, SELECT (or db_datareader) and VIEW DEFINITION is enough and safer`,
      );
  } catch (err) {
    report('warn', `could not tell whether ${login} can write: ${describeError(err, 'source')}`);
  }
}

/**
 * One line per permission the migrator uses, held or not, with what lacking it costs; the same list goes
 * into `check --json` as `permissions`.
 */
async function checkPermissions(
  config: MigratorConfig,
  pool: SourcePool,
  tables: TableConfig[],
  report: Report,
  permissions: PermissionStatus[],
): Promise<void> {
  const login = sourceLogin(config.source);
  try {
    const held = await readHeldPermissions(
      pool,
      tables.map((t) => parseTableName(t.source)),
    );
    for (const status of permissionStatuses(held, config.migration.mode)) {
      permissions.push(status);
      report(...permissionFinding(login, status));
    }
  } catch (err) {
    report('warn', `could not read the permissions of ${login}: ${describeError(err, 'source')}`);
  }
}

/** sourceReadIsolation `snapshot` needs the database to allow SNAPSHOT transactions; the migrator never sets it. */
async function checkSnapshotIsolation(
  database: string,
  pool: SourcePool,
  report: Report,
  following: boolean,
): Promise<void> {
  // mode follow reads each round's changes in one SNAPSHOT transaction, whatever sourceReadIsolation says.
  const needs = following ? 'mode follow' : 'sourceReadIsolation: snapshot';
  try {
    const state = await readSnapshotIsolation(pool);
    if (state === 'ON') report(true, `database ${database} allows SNAPSHOT isolation (${needs})`);
    else
      report(
        false,
        `${following ? 'migration.mode is follow' : 'migration.sourceReadIsolation is snapshot'}, but database ${database} has ALLOW_SNAPSHOT_ISOLATION ${state}: ` +
          `have a DBA run ALTER DATABASE ${quoteIdentifier(database)} SET ALLOW_SNAPSHOT_ISOLATION ON (the migrator never changes the source), ` +
          (following
            ? 'or set migration.mode: snapshot'
            : 'or set migration.sourceReadIsolation: readCommitted'),
      );
  } catch (err) {
    report(
      false,
      `could not read whether database ${database} allows SNAPSHOT isolation: ${describeError(err, 'source')}`,
    );
  }
}

/**
 * Checks the source and each selected table; returns the selection, or undefined when it is unknown.
 * The Snowflake types the tables' columns load into are added to `types` (for the calibration probe).
 */
async function checkSource(
  config: MigratorConfig,
  types: ProbeType[],
  report: Report,
  permissions: PermissionStatus[],
): Promise<TableConfig[] | undefined> {
  const source = createSourceConnection(config.source, readSourceSecrets(config));
  try {
    const pool = await source.pool();
    const info = await readServerInfo(pool);
    report(
      true,
      `SQL Server ${info.productVersion} at ${sourceAddress(config.source)}, database ${info.databaseName}`,
    );
    await checkSourceLogin(config, pool, report);
    if (config.migration.sourceReadIsolation === 'snapshot' || config.migration.mode === 'follow')
      await checkSnapshotIsolation(info.databaseName, pool, report, config.migration.mode === 'follow');
    let tables: TableConfig[];
    try {
      tables = await selectTables(config, pool);
    } catch (err) {
      report(false, (err as Error).message);
      return undefined;
    }
    if (config.migration.tables.some(isPattern))
      report(
        true,
        `migration.tables selects ${tables.length} table(s): ${tables.map((t) => t.source).join(', ')}`,
      );
    await checkPermissions(config, pool, tables, report, permissions);
    for (const table of tables) {
      try {
        const ref = parseTableName(table.source);
        const { catalog, shape } = await inspectSourceTable(
          pool,
          { source: ref, keyColumns: table.keyColumns, excludeColumns: table.excludeColumns },
          config.migration.metadataColumns,
        );
        types.push(...shape.mappings.map((m) => ({ kind: m.kind, targetType: m.targetType })));
        const key = shape.keyColumns.length
          ? `key (${shape.keyColumns.map((k) => k.name).join(', ')})`
          : 'no key: one pass';
        report(
          true,
          `${displayTableName(ref)}: ${shape.mappings.length} columns, all types supported, ${key}`,
        );
        const kind = await readTableKind(pool, ref, catalog.type);
        for (const refusal of kindRefusals(displayTableName(ref), kind, {
          snapshotReads: readsInSnapshot(config.migration),
          excludeColumns: table.excludeColumns,
        }))
          report(false, refusal);
        const restrictions = await readReadRestrictions(pool, ref, catalog.type);
        for (const finding of restrictionFindings(displayTableName(ref), restrictions, table.excludeColumns))
          report(table.allowMaskedOrFiltered ? 'warn' : false, finding);
        if (config.migration.mode === 'follow') {
          const follow = followVerdict(
            await readFollowFacts(pool, info.databaseName, ref, shape, table.filter),
          );
          report(follow.ready, follow.message);
        }
        if (table.filter) {
          await compileFilter(pool, ref, table.filter);
          report(true, `${displayTableName(ref)}: the filter compiles (${table.filter})`);
        }
      } catch (err) {
        report(false, `${table.source}: ${describeError(err, 'source')}`);
      }
    }
    return tables;
  } catch (err) {
    report(false, `SQL Server at ${sourceAddress(config.source)}: ${describeError(err, 'source')}`);
    return undefined;
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** The service URL the driver uses: the explicit one, or the account's default. */
function snowflakeUrl(target: MigratorConfig['target']): string {
  return target.accessUrl ?? `https://${target.account}.snowflakecomputing.com`;
}

/**
 * The calibration probe (src/snowflake/calibrate.ts): one line, ok (naming the load paths it proved) or
 * the first mismatch, and a warning when the target schema does not exist yet for the COPY path.
 */
async function checkCalibration(
  session: Session,
  types: ProbeType[],
  target: MigratorConfig['target'],
  report: Report,
): Promise<void> {
  const distinct = distinctTypes(types);
  if (!distinct.length) return;
  try {
    const place = { database: target.database, schema: target.schema, workDir: tmpdir() };
    const copy = await calibrate(session, distinct, place);
    const paths = copy.proven ? 'bound by INSERT and loaded by PUT and COPY INTO' : 'bound by INSERT';
    report(
      true,
      `Snowflake prints the calibration values of ${distinct.map((t) => t.targetType).join(', ')} ${paths} as the content check expects`,
    );
    if (!copy.proven)
      report(
        'warn',
        `the calibration probe did not load its values by PUT and COPY INTO: ${copy.reason}\n` +
          "    Nor will a run's probe, which runs before the run creates the schema: there, each batch's content check compares every value after its load.",
      );
  } catch (err) {
    if (!(err instanceof MigrationError)) throw err;
    report(false, `${err.message}\n    What to do: ${hintFor(err.type)}`);
  }
}

/**
 * CURRENT_VERSION() runs without a warehouse; every load and check needs one. A statement that needs
 * one proves it runs, and names it; 000606, a suspended warehouse or a resource monitor at its quota
 * is reported with what to do.
 */
async function checkWarehouse(session: Session, report: Report): Promise<void> {
  try {
    const warehouse = await runningWarehouse(session);
    if (warehouse !== null) report(true, `warehouse ${warehouse} runs statements`);
    else
      report(
        false,
        `the session has no warehouse\n    What to do: ${hintFor('TargetWarehouseUnavailable')!}`,
      );
  } catch (err) {
    report(false, `no warehouse runs statements: ${describeError(err, 'target')}`);
  }
}

async function checkTarget(
  config: MigratorConfig,
  tables: TableConfig[],
  types: ProbeType[],
  report: Report,
): Promise<void> {
  // No login retries and a short request timeout: `check` answers in seconds, where a worker would wait.
  const target = createTargetConnection(config.target, readTargetSecrets(config), {
    sfRetryMaxLoginRetries: 0,
    timeout: 20_000,
  });
  try {
    await target.use(async (session) => {
      const [info] = await execute<Record<string, string>>(session, SNOWFLAKE_INFO);
      report(
        true,
        `Snowflake ${info!.VERSION} account ${info!.ACCOUNT}, user ${info!.USER_NAME}, role ${info!.ROLE_NAME ?? '(default)'}`,
      );
      await checkWarehouse(session, report);
      for (const [index, table] of tables.entries()) {
        const names = tableNames({
          index,
          runTag: 'check',
          source: parseTableName(table.source),
          targetOverride: table.target,
          target: config.target,
        });
        const exists = await tableExists(session, names.target);
        const where = displaySnowflakeName(names.target);
        const policy = config.migration.ifTargetExists;
        if (!exists) report(true, `${where} does not exist yet: it will be created`);
        else
          report(
            policy !== 'fail',
            `${where} exists: ${policy === 'fail' ? 'the run will refuse it (ifTargetExists: fail)' : `it will be ${policy === 'replace' ? 'replaced' : 'appended to'}`}`,
          );
      }
      await checkCalibration(session, types, config.target, report);
    });
  } catch (err) {
    const unreachable = unreachableReason(err);
    report(
      false,
      unreachable
        ? `cannot reach Snowflake at ${snowflakeUrl(config.target)}: ${unreachable}\n` +
            '    What to do: check target.account (or target.accessUrl) and that this machine may connect to it (firewall, proxy).'
        : `Snowflake account ${config.target.account}: ${describeError(err, 'target')}`,
    );
  } finally {
    await target.close().catch(() => undefined);
  }
}

async function checkTemporal(config: MigratorConfig, report: Report): Promise<void> {
  try {
    const connected = await connectTemporal(config.temporal);
    try {
      const { namespace, taskQueue } = config.temporal;
      report(true, `Temporal at ${config.temporal.address}, namespace ${namespace}`);
      // Some servers refuse the operator API to this identity: then say so and check the rest.
      const missing = await missingSearchAttributes(connected).catch((err: Error) => err);
      if (missing instanceof Error)
        report(false, `cannot list the search attributes of namespace ${namespace}: ${missing.message}`);
      else
        report(
          missing.length === 0,
          missing.length === 0
            ? `the search attributes runs set are registered (${MIGRATION_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')})`
            : `namespace ${namespace} lacks the search attributes ${missing.join(', ')}: a run cannot start. Register them:\n${registerSearchAttributesHint(namespace, missing)}`,
        );
      const count = await workflowPollers(connected, taskQueue);
      report(
        count > 0,
        count > 0
          ? `${count} worker(s) poll the task queue ${taskQueue}`
          : `no worker polls the task queue ${taskQueue}: start one with npm run worker -- --config <file>`,
      );
    } finally {
      await connected.close();
    }
  } catch (err) {
    report(false, (err as Error).message);
  }
}

export interface Finding {
  ok: boolean | 'warn';
  text: string;
}

/** Prints one line per finding as it comes (or, with --json, all of them at the end). */
export async function runCheck(
  configPath: string,
  options: { json?: boolean } = {},
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const findings: Finding[] = [];
  const permissions: PermissionStatus[] = [];
  const report: Report = (ok, text) => {
    findings.push({ ok, text });
    if (!options.json) out.write(`${ok === 'warn' ? 'WARN' : ok ? 'ok  ' : 'FAIL'} ${text}\n`);
  };
  const problems = () => findings.filter((f) => f.ok === false).length;
  const finish = (code: number) => {
    if (options.json) out.write(`${JSON.stringify({ ok: code === 0, findings, permissions }, null, 2)}\n`);
    else
      out.write(
        problems() ? `\n${problems()} problem(s) found.\n` : '\nEverything needed for a run is in place.\n',
      );
    return code;
  };
  let config: MigratorConfig;
  try {
    config = loadConfigFile(configPath);
    report(true, `config ${configPath} is valid`);
  } catch (err) {
    report(false, (err as Error).message);
    return finish(EXIT_CODES.invalidConfig);
  }
  const types: ProbeType[] = [];
  const tables = await checkSource(config, types, report, permissions).catch((err: Error) =>
    report(false, err.message),
  );
  // Without the source's catalog, only the explicit entries can be looked for in Snowflake.
  const explicit = config.migration.tables.filter((t): t is TableConfig => !isPattern(t));
  await checkTarget(config, tables ?? explicit, types, report).catch((err: Error) =>
    report(false, err.message),
  );
  await checkTemporal(config, report);
  return finish(problems() ? EXIT_CODES.failed : EXIT_CODES.succeeded);
}
