/**
 * mode follow under load (stand-ins + real drivers + dev server): a writer changes the source at a
 * steady rate while the table is copied and while it follows, round after round: inserts, updates,
 * deletes, primary-key updates, one key updated over and over, keys deleted then inserted again. Once the
 * writer stops and the cutover is asked, the run ends "cut over", and reads of both sides made apart from
 * the migrator (mssql on the source, snowflake-sdk on the target) find every row and value equal.
 * https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server
 */
import sql from 'mssql';
import snowflake from 'snowflake-sdk';
import { signal } from '../../src/cli/run-commands';
import { tableWorkflowId } from '../../src/run-summary/records';
import { progressQuery, tableProgressQuery, type TableLiveProgress } from '../../src/workflows/messages';
import { capture } from '../support/capture';
import { replayOrThrow } from '../support/replay';
import {
  createMigrationEnvironment,
  SOURCE_DATABASE,
  SOURCE_PASSWORD,
  TARGET_PASSWORD,
  TARGET_USER,
  type MigrationEnvironment,
} from '../support/migration-env';

const SEEDED = 3_000;
/** The key the writer updates over and over. */
const HOT = 1;

/** id, sku, qty, price, updated: each as text, NULL as null; what both sides are compared on. */
type Row = [string, string, string | null, string | null, string | null];

/** A small seeded generator (mulberry32), so a failing run can be repeated write for write. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A row's values for key `id`, the `rev`th time it is written. */
function rowValues(id: number, rev: number, next: () => number): Row {
  const ms = Math.floor(next() * 4e12);
  const updated = new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
  return [
    String(id),
    `sku-${id}-${rev} é€😀`,
    next() < 0.1 ? null : String(Math.floor(next() * 2e9) - 1e9),
    next() < 0.1 ? null : (Math.floor(next() * 1e10) / 100 - 5e7).toFixed(2),
    next() < 0.1 ? null : updated,
  ];
}

const literal = (v: string | null, quoted: boolean) =>
  v === null ? 'NULL' : quoted ? `N'${v.replace(/'/g, "''")}'` : v;
const valuesSql = (r: Row) =>
  `(${r[0]}, ${literal(r[1], true)}, ${literal(r[2], false)}, ${literal(r[3], false)}, ${literal(r[4], true)})`;

const seedRows = (() => {
  const next = random(7);
  return Array.from({ length: SEEDED }, (_, i) => rowValues(i + 1, 0, next));
})();

const SEED = [
  `CREATE TABLE dbo.stock (id int NOT NULL PRIMARY KEY, sku nvarchar(40) NOT NULL, qty int NULL,
  price decimal(12,2) NULL, updated datetime2(3) NULL);`,
  ...Array.from(
    { length: SEEDED / 500 },
    (_, i) =>
      `INSERT INTO dbo.stock VALUES ${seedRows
        .slice(i * 500, i * 500 + 500)
        .map(valuesSql)
        .join(', ')};`,
  ),
  `ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON;
ALTER DATABASE shop SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON);`,
  'ALTER TABLE dbo.stock ENABLE CHANGE_TRACKING;',
].join('\nGO\n');

type Operation = 'insert' | 'update' | 'delete' | 'keyUpdate' | 'hotUpdate' | 'deleteReinsert';

/**
 * The application: one write (its own transaction) every `pauseMs`, through its own connection, keeping
 * the rows it expects in `rows`.
 */
class Writer {
  readonly rows = new Map<string, Row>(seedRows.map((r) => [r[0], r]));
  readonly counts: Record<Operation, number> = {
    insert: 0,
    update: 0,
    delete: 0,
    keyUpdate: 0,
    hotUpdate: 0,
    deleteReinsert: 0,
  };
  private readonly next = random(42);
  private nextId = SEEDED + 1;
  private rev = 1;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly pool: sql.ConnectionPool,
    private readonly pauseMs: number,
  ) {}

  get writes(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        await this.step();
        await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      }
    })();
  }

  /** Stops after the write in flight; a write that failed fails the test here. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** A key the writer holds, the hot one aside (it is never deleted). */
  private anyKey(): string {
    const keys = [...this.rows.keys()];
    for (;;) {
      const key = keys[Math.floor(this.next() * keys.length)]!;
      if (key !== String(HOT)) return key;
    }
  }

  private async exec(text: string): Promise<void> {
    await this.pool.request().batch(text);
  }

  private async step(): Promise<void> {
    const dice = this.next();
    const rev = this.rev++;
    if (dice < 0.25) {
      const row = rowValues(this.nextId++, rev, this.next);
      await this.exec(`INSERT INTO dbo.stock VALUES ${valuesSql(row)}`);
      this.rows.set(row[0], row);
      this.counts.insert++;
    } else if (dice < 0.45) {
      await this.update(this.anyKey(), rev);
      this.counts.update++;
    } else if (dice < 0.6) {
      await this.update(String(HOT), rev);
      this.counts.hotUpdate++;
    } else if (dice < 0.75) {
      const key = this.anyKey();
      await this.exec(`DELETE FROM dbo.stock WHERE id = ${key}`);
      this.rows.delete(key);
      this.counts.delete++;
    } else if (dice < 0.87) {
      // Change Tracking reports it as a delete of the old key and an insert of the new one.
      const key = this.anyKey();
      const to = String(this.nextId++);
      await this.exec(`UPDATE dbo.stock SET id = ${to} WHERE id = ${key}`);
      const row = this.rows.get(key)!;
      this.rows.delete(key);
      this.rows.set(to, [to, ...row.slice(1)] as Row);
      this.counts.keyUpdate++;
    } else {
      // Two transactions: a round may fall between them, or take both (a net update).
      const key = this.anyKey();
      await this.exec(`DELETE FROM dbo.stock WHERE id = ${key}`);
      this.rows.delete(key);
      const row = rowValues(Number(key), rev, this.next);
      await this.exec(`INSERT INTO dbo.stock VALUES ${valuesSql(row)}`);
      this.rows.set(key, row);
      this.counts.deleteReinsert++;
    }
  }

  private async update(key: string, rev: number): Promise<void> {
    const [, sku, qty, price, updated] = rowValues(Number(key), rev, this.next);
    await this.exec(
      `UPDATE dbo.stock SET sku = ${literal(sku, true)}, qty = ${literal(qty, false)}, price = ${literal(price, false)}, updated = ${literal(updated, true)} WHERE id = ${key}`,
    );
    this.rows.set(key, [key, sku, qty, price, updated]);
  }
}

/** The source as the application sees it, read through mssql (datetime2 read as UTC, mssql's default). */
async function sourceRows(pool: sql.ConnectionPool): Promise<Row[]> {
  const { recordset } = await pool
    .request()
    .query<{ id: number; sku: string; qty: number | null; price: number | null; updated: Date | null }>(
      'SELECT id, sku, qty, price, updated FROM dbo.stock ORDER BY id',
    );
  return recordset.map((r) => [
    String(r.id),
    r.sku,
    r.qty === null ? null : String(r.qty),
    r.price === null ? null : r.price.toFixed(2),
    r.updated === null ? null : r.updated.toISOString().replace('T', ' ').slice(0, 23),
  ]);
}

function snowflakeQuery(connection: snowflake.Connection, sqlText: string) {
  return new Promise<Record<string, string | null>[]>((resolve, reject) =>
    connection.execute({
      sqlText,
      fetchAsString: ['Number', 'Boolean', 'Date'],
      complete: (err, _statement, rows) =>
        err ? reject(err) : resolve((rows ?? []) as Record<string, string | null>[]),
    }),
  );
}

describe('mode follow under a steady writer (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  let source: sql.ConnectionPool;
  beforeAll(async () => {
    env = await createMigrationEnvironment([SEED]);
    source = await new sql.ConnectionPool({
      server: env.sqlserver.host,
      port: env.sqlserver.port,
      user: 'sa',
      password: SOURCE_PASSWORD,
      database: SOURCE_DATABASE,
      options: { encrypt: false, trustServerCertificate: true },
      pool: { max: 1 },
    }).connect();
  });
  afterAll(async () => {
    await source?.close();
    await env?.close();
  });

  it('copies and follows while the source is written to, and cuts over with every row and value equal', async () => {
    const writer = new Writer(source, 15);
    const config = env.config({
      migration: {
        tables: ['dbo.stock'],
        mode: 'follow',
        follow: { intervalSeconds: 1 },
        batchSize: 250,
        batchesInFlight: 2,
      },
    });
    await env.startWorker(config);
    writer.start();
    const workflowId = await env.startRun(config);
    const table = env.client.workflow.getHandle(tableWorkflowId(workflowId, 0));
    const progress = () => table.query(tableProgressQuery) as Promise<TableLiveProgress | undefined>;
    /** Found by its MigrationStatus (visibility follows a moment behind). */
    const listedAs = async (id: string, migrationStatus: string) => {
      const query = `WorkflowId = "${id}" AND MigrationStatus = "${migrationStatus}"`;
      const deadline = Date.now() + 20_000;
      for (;;) {
        let found = 0;
        for await (const w of env.client.workflow.list({ query })) if (w.workflowId === id) found += 1;
        if (found === 1) return;
        if (Date.now() > deadline) throw new Error(`${id} not found by ${query}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    };
    const until = async (what: string, ok: (p: TableLiveProgress) => boolean) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const p = await progress().catch(() => undefined);
        if (p && ok(p)) return p;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(p)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };

    // The first round applies what was written while the table was copied (after the version it took).
    const first = await until('the first round', (p) => (p.table.follow?.rounds ?? 0) >= 1);
    expect(first.table.follow!.changesApplied).toBeGreaterThan(0);
    const writesAtFirstRound = writer.writes;
    // Several rounds while the writer goes on.
    const rounds = first.table.follow!.rounds;
    const followed = await until('more rounds', (p) => (p.table.follow?.rounds ?? 0) >= rounds + 5);
    // Its only table follows: the run's own MigrationStatus says so, as its status query does.
    const run = env.client.workflow.getHandle(workflowId);
    expect((await run.query(progressQuery)).status).toBe('following');
    await listedAs(workflowId, 'following');
    await writer.stop();
    expect(writer.writes).toBeGreaterThan(writesAtFirstRound);
    for (const [operation, n] of Object.entries(writer.counts)) {
      expect([operation, n > 0]).toEqual([operation, true]);
    }

    const sent = capture();
    const flags = { config: env.configFile(config) };
    expect(await signal(workflowId, 'cutover', flags, { out: sent.out, err: sent.out })).toBe(0);
    const summary = await env.summary(workflowId);
    expect(summary.status).toBe('cut over');
    await listedAs(workflowId, 'cut over');
    // The run's history, with its tables' signals, and the table's (its last run) replay.
    await expect(
      replayOrThrow(
        await Promise.all(
          [workflowId, table.workflowId].map(async (id) => ({
            workflowId: id,
            history: await env.client.workflow.getHandle(id).fetchHistory(),
          })),
        ),
      ),
    ).resolves.toBe(2);
    const [stock] = summary.tables;
    expect(stock).toMatchObject({ state: 'published', published: 'created' });
    expect(stock!.follow!.rounds).toBeGreaterThan(followed.table.follow!.rounds);
    expect(stock!.follow!.finalCheck).toMatchObject({ differingRows: 0, exact: true });

    // The source holds what the writer wrote: the writes did land, and the comparison below means it.
    const expected = [...writer.rows.values()].sort((a, b) => Number(a[0]) - Number(b[0]));
    const onSource = await sourceRows(source);
    expect(onSource.length).toBe(expected.length);
    expect(onSource).toEqual(expected);

    const target = snowflake.createConnection({
      account: env.snowflake.account,
      accessUrl: env.snowflake.url,
      username: TARGET_USER,
      password: TARGET_PASSWORD,
      warehouse: 'COMPUTE_WH',
    } as snowflake.ConnectionOptions);
    await new Promise<void>((resolve, reject) => target.connect((err) => (err ? reject(err) : resolve())));
    try {
      const rows = await snowflakeQuery(
        target,
        `SELECT "ID", "SKU", "QTY", "PRICE", TO_VARCHAR("UPDATED", 'YYYY-MM-DD HH24:MI:SS.FF3') AS "UPDATED",
           "IS_MIGRATED", "MIGRATED_AT" IS NOT NULL AS "STAMPED"
         FROM "STEVE_MCP"."DATA_MIGRATION"."STOCK" ORDER BY "ID"`,
      );
      const onTarget: Row[] = rows.map((r) => [r.ID!, r.SKU!, r.QTY!, r.PRICE!, r.UPDATED!]);
      expect(onTarget.length).toBe(onSource.length);
      expect(onTarget).toEqual(onSource);
      expect(rows.filter((r) => r.IS_MIGRATED !== 'TRUE' || r.STAMPED !== 'TRUE')).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => target.destroy(() => resolve()));
    }
  });
});
