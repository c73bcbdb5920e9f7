/**
 * A whole schema in one run, end to end with the real drivers, the stand-ins and the dev server:
 * many small tables (one empty, some without a key, names with spaces, unicode and `]`) selected by a
 * pattern, several tables in flight, the run continuing as new on the way. Prints what the note on
 * scale needs: wall time, history lengths of the run and of its largest child, the process's peak RSS.
 */
import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import type { RunSummary } from '../../src/contracts/outcomes';
import { displayTableName } from '../../src/names/sqlserver-names';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';

const { HistoryEvent } = temporal.api.history.v1;

/** 20 in `npm test`; `npm run test:scale` runs 200 (MANY_TABLES=2000 for the big one). */
const TABLES = Number(process.env.MANY_TABLES ?? 20);

interface SeededTable {
  /** The name as SQL Server stores it. */
  name: string;
  rows: number;
  keyed: boolean;
}

/** Table i: empty for 0, without a key every 10th, awkward names every few. */
function seededTable(i: number): SeededTable {
  const n = String(i).padStart(4, '0');
  const name =
    i % 20 === 3
      ? `t ${n} with spaces`
      : i % 20 === 7
        ? `tä ${n} «ü» 🧦`
        : i % 20 === 11
          ? `t]${n}]x`
          : `t${n}`;
  return { name, rows: i === 0 ? 0 : 1 + (i % 4), keyed: i % 10 !== 5 };
}

const bracket = (name: string) => `[${name.replace(/]/g, ']]')}]`;

function seedScript(tables: SeededTable[]): string {
  return [
    'CREATE SCHEMA many;',
    ...tables.map((t, i) => {
      const table = `many.${bracket(t.name)}`;
      const key = t.keyed ? ' PRIMARY KEY' : '';
      const values = Array.from({ length: t.rows }, (_, r) => `(${r + 1}, N'row ${r + 1} of ${i} ü')`);
      return [
        `CREATE TABLE ${table} (id int NOT NULL${key}, label nvarchar(40) NULL);`,
        ...(values.length ? [`INSERT INTO ${table} (id, label) VALUES ${values.join(', ')};`] : []),
      ].join('\nGO\n');
    }),
  ].join('\nGO\n');
}

describe(`a whole schema: ${TABLES} tables in one run (stand-ins + real drivers + dev server)`, () => {
  let env: MigrationEnvironment;
  const tables = Array.from({ length: TABLES }, (_, i) => seededTable(i));
  beforeAll(async () => {
    env = await createMigrationEnvironment([seedScript(tables)]);
  });
  afterAll(() => env?.close());

  it(
    'migrates every table exactly, several at once, and keeps every history short',
    async () => {
      const config = env.config({
        target: { schema: 'MANY' },
        migration: { tables: ['many.*'], tablesInFlight: 6 },
        worker: { maxConcurrentActivities: 16 },
      });
      await env.startWorker(config);
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
      const began = Date.now();
      // Continues as new after a few events per table, so that every size of this test does.
      const workflowId = await env.startRun(config, { continueAsNewAfterEvents: Math.max(100, TABLES * 5) });
      const summary = (await env.outcome(workflowId)) as RunSummary;
      const wallMs = Date.now() - began;
      clearInterval(sampler);

      expect(summary.status).toBe('succeeded');
      // Rows exact per table, in the run's summary and in Snowflake.
      const expected = new Map(tables.map((t) => [displayTableName({ schema: 'many', table: t.name }), t]));
      expect(summary.tables.map((t) => [t.source, t.state, t.rowsCopied])).toEqual(
        summary.tables.map((t) => [t.source, 'published', expected.get(t.source)?.rows]),
      );
      expect(new Set(summary.tables.map((t) => t.source))).toEqual(new Set(expected.keys()));
      const targetRows: number[] = [];
      for (const t of summary.tables) {
        const [count] = await env.snowflakeRows<{ N: string }>(`SELECT COUNT(*) AS N FROM ${t.target}`);
        targetRows.push(Number(count!.N));
      }
      expect(targetRows).toEqual(summary.tables.map((t) => expected.get(t.source)!.rows));
      expect(summary.tables.filter((t) => t.rowsCopied === 0).map((t) => t.source)).toEqual(['many.t0000']);
      expect((await env.tablesIn('MANY')).length).toBe(TABLES);
      // Every table's checks, which the run does not keep, come back from its child for the report.
      expect(summary.tables.filter((t) => !t.validation?.passed || !t.validation.checks.length)).toEqual([]);
      const markdown = readFileSync(
        summary.reportFiles!.find((file) => file.endsWith('.md'))!,
        'utf8',
      );
      for (const t of summary.tables) expect(markdown).toContain(`### ${t.source} → ${t.target}: passed`);

      const handle = env.client.workflow.getHandle(workflowId);
      const run = await handle.describe();
      // The largest event of the run's last history (as Temporal stores it): its start (input and carried
      // state) or its end.
      const largestEvent = Math.max(
        ...((await handle.fetchHistory()).events ?? []).map((e) => HistoryEvent.encode(e).finish().length),
      );
      let largestChild = 0;
      for (let i = 0; i < TABLES; i += 1) {
        const child = await env.client.workflow.getHandle(`${workflowId}.t${i}`).describe();
        largestChild = Math.max(largestChild, child.historyLength);
      }
      expect(summary.continuedAsNew).toBeGreaterThanOrEqual(1);
      expect(run.historyLength).toBeLessThan(Math.max(100, TABLES * 5) + 200);
      expect(largestChild).toBeLessThan(200);
      process.stdout.write(
        `${TABLES} tables, 6 in flight: wall time ${(wallMs / 1000).toFixed(1)} s; run history ${run.historyLength} events ` +
          `in its last run after ${summary.continuedAsNew} continue-as-new, its largest event ${Math.round(largestEvent / 1024)} KB; largest table history ${largestChild} events; ` +
          `peak RSS of the test process (worker, stand-ins and jest together) ${Math.round(peakRss / 1_048_576)} MB\n`,
      );
    },
    Math.max(120_000, TABLES * 15_000),
  );
});
