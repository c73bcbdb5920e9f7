/**
 * A 1,000,000-row SELECT streams through `mssql` while the stand-in (in its own process, so that its
 * memory can be measured alone) stays flat: rows leave as the socket drains, never all at once.
 * It takes two minutes or more on 2 cores, so it runs under `npm run test:streaming`, not `npm test`
 * (fewer rows could not tell a stand-in that collects its result from one that streams).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import sql from 'mssql';
import { PASSWORD } from './support';

const ROWS = 1_000_000;
/**
 * DuckDB sorts the rows for ORDER BY before the first one leaves (as SQL Server sorts in tempdb): that is
 * the bump allowed at the start. After it, streaming must not grow at all beyond noise: a stand-in that
 * collected the result (about 150 MB of TDS for these rows) or its rows as objects would.
 */
const SORT_BUMP_LIMIT_MB = 300;
const STREAMING_GROWTH_LIMIT_MB = 60;

/**
 * Resident memory of another process: /proc on Linux, ps elsewhere; undefined once it has ended (a
 * sampler still running then must not throw from its timer, which would end the whole test run).
 */
function rssMb(pid: number): number | undefined {
  try {
    if (existsSync(`/proc/${pid}/status`)) {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return kb === undefined ? undefined : Number(kb) / 1024;
    }
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
  } catch {
    return undefined;
  }
}

async function startBigTableServer(): Promise<{ child: ChildProcess; port: number; loadMs: number }> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(__dirname, 'big-table-server.ts'), String(ROWS), PASSWORD],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the big-table server exited with ${code}`)));
  });
  const { port, loadMs } = JSON.parse(first) as { port: number; loadMs: number };
  return { child, port, loadMs };
}

const describeStreaming = process.env.MIGRATOR_STREAMING_TEST === '1' ? describe : describe.skip;

describeStreaming('streaming', () => {
  let child: ChildProcess | undefined;
  let sampler: NodeJS.Timeout | undefined;

  afterAll(() => {
    clearInterval(sampler);
    child?.stdin?.end();
    child?.kill();
  });

  // Loading a million rows into the stand-in, then reading them, on a loaded 2-core machine: the time
  // limit is a ceiling against a hang, not a measure of speed (npm run bench measures that).
  it(`streams ${ROWS.toLocaleString('en')} rows with flat memory and in key order`, async () => {
    const server = await startBigTableServer();
    child = server.child;
    const pid = child.pid!;
    const baseline = rssMb(pid)!;
    let peak = baseline;
    let rows = 0;
    /** RSS once a fifth of the rows has arrived, and the most after that. */
    let early: number | undefined;
    let latePeak = 0;
    sampler = setInterval(() => {
      const now = rssMb(pid);
      if (now === undefined) return;
      peak = Math.max(peak, now);
      if (rows >= ROWS / 5) {
        early ??= now;
        latePeak = Math.max(latePeak, now);
      }
    }, 50);

    const pool = await new sql.ConnectionPool({
      server: '127.0.0.1',
      port: server.port,
      user: 'sa',
      password: PASSWORD,
      database: 'shop',
      options: { encrypt: false, trustServerCertificate: true, packetSize: 32767 },
      requestTimeout: 0,
    }).connect();
    const started = Date.now();
    let inOrder = true;
    await new Promise<void>((resolve, reject) => {
      const request = pool.request();
      request.stream = true;
      request.on('row', (row: { id: number }) => {
        rows++;
        if (row.id !== rows) inOrder = false;
      });
      request.on('error', reject);
      request.on('done', () => resolve());
      void request.query(
        'SELECT [id], [name], CAST([amount] AS varchar(48)) AS [amount], CONVERT(varchar(27), [created], 121) AS [created], ' +
          '[flag], [qty], [ratio], [code], [note], CONVERT(char(36), [guid]) AS [guid] FROM [dbo].[big] ORDER BY [id]',
      );
    });
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    await pool.close();

    const bump = peak - baseline;
    const streamingGrowth = latePeak - (early ?? latePeak);
    process.stdout.write(
      `stand-in streaming: ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s through mssql); ` +
        `bulk load ${Math.round(ROWS / (server.loadMs / 1000))} rows/s; RSS ${baseline.toFixed(0)} MB loaded, ` +
        `${peak.toFixed(0)} MB at most (+${bump.toFixed(0)} MB), +${streamingGrowth.toFixed(0)} MB from 20% of the rows to the end\n`,
    );
    expect(rows).toBe(ROWS);
    expect(inOrder).toBe(true);
    expect(early).toBeDefined();
    expect(bump).toBeLessThan(SORT_BUMP_LIMIT_MB);
    expect(streamingGrowth).toBeLessThan(STREAMING_GROWTH_LIMIT_MB);
  }, 300_000);
});
