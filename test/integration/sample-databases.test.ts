/**
 * Microsoft's Northwind and pubs, installed on the SQL Server stand-in by their own scripts as written,
 * migrated whole (every table) and compared value by value: both stand-ins are read directly through the
 * real drivers (mssql, snowflake-sdk), not through the migrator's comparison code; then `migrate verify`.
 */
import sql from 'mssql';
import { mapCoordinates, parseWkb, toWkb } from '../../emulators/shared/spatial';
import { runVerify } from '../../src/cli/verify';
import type { MigratorConfig } from '../../src/config/schema';
import { capture } from '../support/capture';
import {
  createMigrationEnvironment,
  SECRETS_ENV,
  SOURCE_PASSWORD,
  type MigrationEnvironment,
} from '../support/migration-env';
import { rmSync } from 'node:fs';
import {
  ADVENTURE_WORKS_DESELECTED,
  adventureWorksDataFolder,
  describeWithSamples,
  runScript,
  sampleScript,
  sqlcmdVariables,
  withoutLoads,
} from '../support/sample-databases';
import { uniqueTaskQueue } from '../support/temporal';

/** A value as comparable text, by the source column's SQL Server type. */
const SPATIAL = new Set(['geography', 'geometry']);

/**
 * Snowflake "uses 14 decimal places to store GEOGRAPHY coordinates ... the coordinates are rounded"
 * (https://docs.snowflake.com/en/sql-reference/data-types-geospatial): both sides' WKB compared with
 * coordinates rounded so, half away from zero.
 */
function roundedWkb(hex: string): string {
  const round = (n: number) => Math.sign(n) * Number(Math.abs(n).toFixed(14)) || 0;
  return toWkb(mapCoordinates(parseWkb(Buffer.from(hex, 'hex')), round), { zm: false })
    .toString('hex')
    .toUpperCase();
}

function text(value: unknown, dataType: string): string | null {
  if (value === null || value === undefined) return null;
  if (SPATIAL.has(dataType))
    return roundedWkb(Buffer.isBuffer(value) ? value.toString('hex') : String(value));
  if (Buffer.isBuffer(value)) return value.toString('hex').toUpperCase();
  // mssql reads a time as a Date on 1970-01-01; Snowflake's TIME comes back as its text.
  if (value instanceof Date && dataType === 'time')
    return value
      .toISOString()
      .slice(11, 23)
      .replace(/\.000$/, '');
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  if (/int$|money$|decimal|numeric|real|float/.test(dataType)) return String(Number(value));
  if (dataType === 'bit') return String(value === true || value === 'true' || value === 1);
  if (/binary|image/.test(dataType)) return String(value).toUpperCase();
  return String(value);
}

/**
 * Installing Northwind (2,155 single-row INSERTs in one batch) and migrating it took 110 s on a quiet
 * machine; a loaded one (shared CI cores) needs more than the suites' 120 s default.
 */
const INSTALL_AND_MIGRATE_MS = 600_000;

const targetName = (name: string): string =>
  /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name.toUpperCase() : name;

describeWithSamples(
  "Microsoft's sample databases migrated whole (stand-ins + real drivers + dev server)",
  () => {
    let env: MigrationEnvironment;
    const saved = { ...process.env };
    beforeAll(async () => {
      // `migrate verify` reads secrets from its own environment, as it would in a shell.
      Object.assign(process.env, SECRETS_ENV);
      env = await createMigrationEnvironment([]);
    });
    afterAll(async () => {
      process.env = saved;
      await env?.close();
    });

    function source(database: string): Promise<sql.ConnectionPool> {
      const pool = new sql.ConnectionPool({
        server: env.sqlserver.host,
        port: env.sqlserver.port,
        user: 'sa',
        password: SOURCE_PASSWORD,
        database,
        requestTimeout: 120_000,
        options: { encrypt: false, trustServerCertificate: true },
        pool: { max: 1 },
      });
      return pool.connect();
    }

    /** Installs a script, migrates every table of the schemas named, compares every value, and verifies. */
    async function installAndMigrate(
      script: string,
      connectTo: string,
      database: string,
      schema: string,
      sourceSchemas = ['dbo'],
      exclude: string[] = [],
    ): Promise<{ tables: number; values: number }> {
      const pool = await source(connectTo);
      try {
        await runScript(pool, script);
      } finally {
        await pool.close();
      }
      const config: MigratorConfig = env.config({
        source: { database },
        target: { schema },
        temporal: { taskQueue: uniqueTaskQueue(schema.toLowerCase()) },
        migration: { tables: sourceSchemas.map((s) => `${s}.*`), exclude, tablesInFlight: 4 },
      });
      await env.startWorker(config);
      const summary = await env.summary(await env.startRun(config));
      expect(summary.tables.filter((t) => t.state !== 'published')).toEqual([]);
      expect(summary.status).toBe('succeeded');

      const reader = await source(database);
      let values = 0;
      try {
        for (const table of summary.tables) {
          // The report's name: dbo.Orders, dbo.[Order Details], Person.CountryRegion.
          const [owner, name] = /^([^.]+)\.(.*)$/
            .exec(table.source)!
            .slice(1)
            .map((n) => n.replace(/^\[(.*)\]$/, (_, q: string) => q.replace(/]]/g, ']'))) as [string, string];
          const columns = (
            await reader
              .request()
              .input('s', sql.NVarChar, owner)
              .input('t', sql.NVarChar, name)
              .query<{ COLUMN_NAME: string; DATA_TYPE: string }>(
                'SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION',
              )
          ).recordset;
          const quoted = (n: string) => `[${n.replace(/]/g, ']]')}]`;
          // hierarchyid is a CLR type on the wire: read as its path text, as ToString gives it
          // (https://learn.microsoft.com/en-us/sql/t-sql/data-types/tostring-database-engine).
          // geography and geometry likewise: read as their OGC WKB (STAsBinary,
          // https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/stasbinary-geography-data-type).
          const sourceList = columns
            .map(({ COLUMN_NAME: c, DATA_TYPE: t }) =>
              t === 'hierarchyid'
                ? `CAST(${quoted(c)} AS nvarchar(4000)) AS ${quoted(c)}`
                : SPATIAL.has(t)
                  ? `${quoted(c)}.STAsBinary() AS ${quoted(c)}`
                  : quoted(c),
            )
            .join(', ');
          const sourceRows = (
            await reader.request().query(`SELECT ${sourceList} FROM ${quoted(owner)}.${quoted(name)}`)
          ).recordset as Record<string, unknown>[];
          const list = columns
            .map(({ COLUMN_NAME: c, DATA_TYPE: t }) =>
              t === 'datetime'
                ? `TO_VARCHAR("${targetName(c)}", 'YYYY-MM-DD HH24:MI:SS.FF3') AS "${c}"`
                : SPATIAL.has(t)
                  ? `HEX_ENCODE(ST_ASWKB("${targetName(c)}")) AS "${c}"`
                  : `"${targetName(c)}" AS "${c}"`,
            )
            .join(', ');
          const targetRows = await env.snowflakeRows(
            `SELECT ${list} FROM "STEVE_MCP"."${schema}"."${targetName(name)}"`,
          );
          const canonical = (rows: Record<string, unknown>[]) =>
            rows
              .map((row) => JSON.stringify(columns.map((c) => text(row[c.COLUMN_NAME], c.DATA_TYPE))))
              .sort();
          expect([table.source, canonical(targetRows)]).toEqual([table.source, canonical(sourceRows)]);
          values += sourceRows.length * columns.length;
        }
      } finally {
        await reader.close();
      }
      const out = capture();
      expect(await runVerify(env.configFile(config), {}, out.out)).toBe(0);
      expect(out.text()).not.toMatch(/FAILED/);
      return { tables: summary.tables.length, values };
    }

    it(
      'Northwind: all 13 tables published, every value equal on both sides, verify passes',
      async () => {
        // instnwnd.sql creates no database: it runs in the current one.
        const { tables, values } = await installAndMigrate(
          sampleScript('instnwnd.sql.gz'),
          'shop',
          'shop',
          'NORTHWIND',
        );
        expect(tables).toBe(13);
        expect(values).toBe(24_982);
      },
      INSTALL_AND_MIGRATE_MS,
    );

    it(
      'pubs: all 11 tables published, every value equal on both sides, verify passes',
      async () => {
        // instpubs.sql creates the pubs database itself, from master.
        const { tables, values } = await installAndMigrate(
          sampleScript('instpubs.sql.gz'),
          'master',
          'pubs',
          'PUBS',
        );
        expect(tables).toBe(11);
        expect(values).toBe(1_472);
      },
      INSTALL_AND_MIGRATE_MS,
    );

    // Over the suites' budget (about 280,000 rows): `npm run test:adventureworks`. Its switch is named
    // outside MIGRATOR_: `migrate verify` reads its config through the environment overrides, where
    // MIGRATOR_ADVENTUREWORKS=1 set an unknown field `adventureworks` and verify exited 2 (invalid config).
    (process.env.SAMPLES_ADVENTUREWORKS ? it : it.skip)(
      'AdventureWorks: every table the stand-in creates and loads published, every value equal, verify passes',
      async () => {
        const folder = adventureWorksDataFolder();
        try {
          // instawdb.sql creates AdventureWorks itself, from master; loads the stand-in cannot run are
          // deselected (ADVENTURE_WORKS_DESELECTED says why) and their tables migrate empty or not at all.
          const script = withoutLoads(
            sqlcmdVariables(sampleScript('instawdb.sql.gz'), { SqlSamplesSourceDataPath: folder }),
            ADVENTURE_WORKS_DESELECTED,
          );
          const { tables, values } = await installAndMigrate(
            script,
            'master',
            'AdventureWorks',
            'ADVENTUREWORKS',
            ['dbo', 'HumanResources', 'Person', 'Production', 'Purchasing', 'Sales'],
          );
          // Every table: the 64 of before (1,017,136 values) and, now that the stand-in creates them,
          // Employee (290 rows x 16 columns), Customer (19,820 x 7), Store (701 x 6), ProductModel
          // (128 x 6), JobCandidate (13 x 4) and the empty Person.Person; Document (12 x 14) and
          // ProductDocument (32 x 3) load their hierarchyid nodes, and Person.Address (19,614 x 9) its
          // geography points (SpatialLocation, mapped to GEOGRAPHY). Counted from the source by the
          // comparison above, not by the migrator.
          expect(tables).toBe(71);
          expect(values).toBe(1_342_332);
        } finally {
          rmSync(folder, { recursive: true, force: true });
        }
      },
      // 20 minutes did not suffice on 2 cores shared with other work (load average 13): the run timed out
      // while migrating; the next passed in 957 s at load average 11, and with Person.Address in 1,097 s at
      // load average 10.
      INSTALL_AND_MIGRATE_MS * 4,
    );
  },
);
