/**
 * One round trip of generated tables: create and seed them in the SQL Server stand-in, migrate them with
 * the real worker on the dev server (both load methods at once, tiny batches), then compare every value
 * read from SQL Server through `mssql` (with the migrator's exact read expressions) with the value read
 * from Snowflake through `snowflake-sdk`, under the one rule per type of src/validation/canonical.ts.
 * The comparison never looks at the load path, only at the two databases.
 */
import type { LOAD_METHODS } from '../../src/config/schema';
import type { RunSummary } from '../../src/contracts/outcomes';
import { mapColumn } from '../../src/mapping/type-map';
import type { ApplicationFailure } from '@temporalio/client';
import { quoteIdentifier as quoteSnowflake } from '../../src/names/snowflake-names';
import { snowflakeNameFor } from '../../src/names/snowflake-names';
import { createSourceConnection, type SourceConnection } from '../../src/sqlserver/pool';
import { sameValueRule, sameValueText } from '../../src/validation/canonical';
import { targetTextExpression } from '../../src/validation/target-text';
import { bracket, createTableSql, describeTable, type GeneratedTable } from './generated-tables';
import { SOURCE_PASSWORD, type MigrationEnvironment } from './migration-env';

export type LoadMethod = (typeof LOAD_METHODS)[number];

export interface RoundTripOptions {
  batchSize: number;
  batchesInFlight: number;
  methods?: LoadMethod[];
  /** Keep the tables after a passing case (to look at them); by default both sides drop them. */
  keep?: boolean;
}

let caseNumber = 0;

function mappingsOf(table: GeneratedTable) {
  return table.columns.map((c, i) =>
    mapColumn(table.name, {
      name: c.name,
      ordinal: i + 1,
      ...c.type.info,
      nullable: c.nullable,
      isIdentity: false,
      isComputed: false,
    }),
  );
}

/** Every row as one line of canonical texts, sorted: the comparison does not depend on row order. */
function canonicalRows(rules: ReturnType<typeof sameValueRule>[], rows: unknown[][]): string[] {
  return rows.map((row) => row.map((v, i) => sameValueText(rules[i]!, v)).join(' | ')).sort();
}

async function sourceRows(
  source: SourceConnection,
  schema: string,
  table: GeneratedTable,
): Promise<unknown[][]> {
  const list = mappingsOf(table).map(
    (m, i) => `${m.read.replaceAll('{c}', bracket(m.column.name))} AS [c${i}]`,
  );
  const pool = await source.pool();
  const result = await pool
    .request()
    .query(`SELECT ${list.join(', ')} FROM ${bracket(schema)}.${bracket(table.name)}`);
  return result.recordset.map((r: Record<string, unknown>) => table.columns.map((_, i) => r[`c${i}`]));
}

async function targetRows(
  env: MigrationEnvironment,
  targetSchema: string,
  table: GeneratedTable,
): Promise<unknown[][]> {
  const list = mappingsOf(table).map(
    (m, i) =>
      `${targetTextExpression(sameValueRule(m), quoteSnowflake(snowflakeNameFor(m.column.name)))} AS "C${i}"`,
  );
  const from = ['STEVE_MCP', targetSchema, snowflakeNameFor(table.name)].map(quoteSnowflake).join('.');
  const rows = await env.snowflakeRows(`SELECT ${list.join(', ')} FROM ${from}`);
  return rows.map((r) => table.columns.map((_, i) => r[`C${i}`]));
}

export interface RoundTrip {
  /**
   * Creates and seeds the tables, migrates them, and throws a readable error at the first difference.
   * Returns the target schema each method loaded.
   */
  run(tables: GeneratedTable[], options: RoundTripOptions): Promise<Partial<Record<LoadMethod, string>>>;
  close(): Promise<void>;
}

export function roundTrip(env: MigrationEnvironment): RoundTrip {
  const source = createSourceConnection(env.config().source, { password: SOURCE_PASSWORD });

  async function seed(schema: string, tables: GeneratedTable[]): Promise<void> {
    await env.sqlserver.exec(`CREATE SCHEMA ${bracket(schema)}`);
    for (const table of tables) {
      await env.sqlserver.exec(createTableSql(schema, table));
      await env.sqlserver.bulkInsert(
        `${bracket(schema)}.${bracket(table.name)}`,
        table.columns.map((c) => c.name),
        table.rows,
      );
    }
  }

  async function migrate(
    schema: string,
    tables: GeneratedTable[],
    method: LoadMethod,
    options: RoundTripOptions,
  ) {
    const targetSchema = `${schema} ${method}`;
    const config = env.config({
      target: { schema: targetSchema },
      migration: {
        tables: tables.map((t) => `${bracket(schema)}.${bracket(t.name)}`),
        loadMethod: method,
        batchSize: options.batchSize,
        batchesInFlight: options.batchesInFlight,
      },
    });
    const outcome = await env.outcome(await env.startRun(config));
    if (!('status' in outcome) || outcome.status !== 'succeeded') {
      const failure = outcome as ApplicationFailure;
      throw new Error(`${method}: the run failed: ${failure.type ?? ''} ${failure.message}`);
    }
    const summary = outcome as RunSummary;
    for (const [i, table] of tables.entries()) {
      if (summary.tables[i]!.rowsCopied !== table.rows.length)
        throw new Error(
          `${method}: ${table.name}: ${summary.tables[i]!.rowsCopied} rows copied of ${table.rows.length}`,
        );
    }
    return targetSchema;
  }

  async function compare(schema: string, targetSchema: string, method: LoadMethod, table: GeneratedTable) {
    const rules = mappingsOf(table).map(sameValueRule);
    const expected = canonicalRows(rules, await sourceRows(source, schema, table));
    const actual = canonicalRows(rules, await targetRows(env, targetSchema, table));
    const missing = expected.filter((row) => !actual.includes(row));
    const extra = actual.filter((row) => !expected.includes(row));
    if (missing.length || extra.length || expected.length !== actual.length) {
      throw new Error(
        `${method}: ${table.name} differs (columns: ${table.columns.map((c, i) => `${c.name} ${c.type.sql} [${rules[i]}]`).join(', ')})\n` +
          `  in SQL Server, not in Snowflake:\n    ${missing.join('\n    ')}\n` +
          `  in Snowflake, not in SQL Server:\n    ${extra.join('\n    ')}`,
      );
    }
  }

  /** Keeps the stand-ins' catalogs small over thousands of cases. */
  async function drop(schema: string, tables: GeneratedTable[], targets: string[]): Promise<void> {
    for (const table of tables)
      await env.sqlserver.exec(`DROP TABLE ${bracket(schema)}.${bracket(table.name)}`);
    await env.sqlserver.exec(`DROP SCHEMA ${bracket(schema)}`);
    for (const target of targets)
      await env.snowflakeRows(`DROP SCHEMA "STEVE_MCP".${quoteSnowflake(target)} CASCADE`);
  }

  return {
    async run(tables, options) {
      caseNumber += 1;
      const schema = `fuzz ${caseNumber} ü`;
      const started = Date.now();
      try {
        await seed(schema, tables);
        const methods = options.methods ?? ['copy', 'insert'];
        // Both runs end before anything throws: a run left in flight would still be polling Temporal
        // when the environment closes its connection (grpc-js then throws from a retry timer).
        const settled = await Promise.allSettled(methods.map((m) => migrate(schema, tables, m, options)));
        const failed = settled.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
        const targets = settled.map((r) => (r as PromiseFulfilledResult<string>).value);
        for (const [i, method] of methods.entries()) {
          for (const table of tables) await compare(schema, targets[i]!, method, table);
        }
        if (!options.keep) await drop(schema, tables, targets);
        if (process.env.FUZZ_PROGRESS)
          process.stderr.write(
            `case ${caseNumber}: ${Date.now() - started} ms, ${tables.length} tables, ${tables.map((t) => t.rows.length).join('/')} rows\n`,
          );
        return Object.fromEntries(methods.map((m, i) => [m, targets[i]!]));
      } catch (e) {
        const detail = tables.map(describeTable).join('\n');
        throw new Error(
          `${(e as Error).message}\nbatchSize ${options.batchSize}, batchesInFlight ${options.batchesInFlight}; tables:\n${detail}`,
          { cause: e },
        );
      }
    },
    close: () => source.close(),
  };
}
