/**
 * What a user sees of runs in the Temporal Web UI, in headless Chromium (Debian's `chromium` through
 * playwright-core): the demo's local stack (a dev server with its UI), a worker, and a succeeded, a failed
 * and a cancelled run, each opened at its workflow page. The screenshots are kept in a folder this test
 * prints, to look at. Skipped, saying so, where no Chromium is installed.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../scripts/local-stack';
import { seedSampleData } from '../../scripts/sample-data';
import { queryRunProgress } from '../../src/cli/live-progress';
import { cancel, signal, startRun, type Io } from '../../src/cli/run-commands';
import { loadConfigFile } from '../../src/config/load';
import { hintFor } from '../../src/contracts/errors';
import { createLogger } from '../../src/logging';
import { startWorker, type RunningWorker } from '../../src/worker-runtime';
import { capture } from '../support/capture';
import { workflowBundle } from '../support/temporal';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const found = existsSync(executablePath);
if (!found) {
  console.warn(`Skipping the Web UI checks: no Chromium at ${executablePath} (apt-get install chromium).`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A command's streams, with stdout kept (for the workflow id it prints). */
function commandIo(): { io: Io; out: () => string } {
  const out = capture();
  return { io: { out: out.out, err: capture().out }, out: out.text };
}

(found ? describe : describe.skip)('runs in the Temporal Web UI (headless Chromium)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'web-ui-stack-'));
  const screenshots = mkdtempSync(join(tmpdir(), 'web-ui-screenshots-'));
  let stack: LocalStack;
  let worker: RunningWorker;
  let browser: Browser;
  /** Each run's Web UI link, as `start` printed it. */
  const links = { succeeded: '', failed: '', cancelled: '' };
  let client: Client;
  /** The run on dbo.orders: paused while it copies, then cancelled. */
  const orders = { workflowId: '', config: '' };

  beforeAll(async () => {
    stack = await startLocalStack({
      dataDir,
      log: () => undefined,
      temporal: { port: await freePort(), uiPort: await freePort(), ui: true },
    });
    await seedSampleData(stack.sqlserver, { customers: 300, orders: 2_000 });
    const customers = stack.writeConfig('customers', { tables: ['dbo.customers'], batchSize: 100 });
    worker = await startWorker(loadConfigFile(customers), {
      workflowBundle: workflowBundle(),
      logger: createLogger('warn'),
    });
    const link = (out: string) => /^Web UI: (\S+)$/m.exec(out)![1]!;
    const succeeded = commandIo();
    expect(await startRun({ config: customers, wait: true }, succeeded.io)).toBe(0);
    links.succeeded = link(succeeded.out());
    const failed = commandIo(); // CUSTOMERS exists now, and ifTargetExists is fail
    expect(await startRun({ config: customers, wait: true }, failed.io)).toBe(1);
    links.failed = link(failed.out());

    // Paused while copying, then cancelled, so that there is something to roll back.
    orders.config = stack.writeConfig('orders', {
      tables: ['dbo.orders'],
      batchSize: 100,
      batchesInFlight: 1,
    });
    const started = commandIo();
    expect(await startRun({ config: orders.config, json: true }, started.io)).toBe(0);
    const { workflowId, webUi } = JSON.parse(started.out()) as { workflowId: string; webUi: string };
    [orders.workflowId, links.cancelled] = [workflowId, webUi];
    client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
    const handle = client.workflow.getHandle(workflowId);
    // The table's own workflow answers for its batches while it runs.
    while (!(await queryRunProgress(client, handle))?.tables[0]?.batchesDone) await sleep(100);
    expect(await signal(workflowId, 'pause', { config: orders.config }, commandIo().io)).toBe(0);

    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await client?.connection.close();
    worker?.worker.shutdown();
    await worker?.finished;
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`Web UI screenshots: ${screenshots}\n`);
  });

  /** The run's page, opened from the link `start` printed. */
  async function openRun(link: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    await page.goto(link);
    return page;
  }

  /** The page of the run's first table: a child workflow `<workflow id>.t0`, its latest run. */
  async function openFirstTable(link: string): Promise<Page> {
    const workflowId = decodeURIComponent(/workflows\/([^/]+)\//.exec(link)![1]!);
    return openRun(
      `${stack.webUiUrl}/namespaces/default/workflows/${encodeURIComponent(`${workflowId}.t0`)}`,
    );
  }

  /** Waits until the text is shown (the UI renders after its API calls), failing after 15 s. */
  async function shows(page: Page, text: string | RegExp, where: Page | FrameLocator = page): Promise<void> {
    await where
      .getByText(text)
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 })
      .catch(async (err: Error) => {
        const shot = join(screenshots, `missing-${Date.now()}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        writeFileSync(`${shot}.txt`, await page.locator('body').innerText());
        throw new Error(`${err.message}\nThe page as it was: ${shot} (its text: ${shot}.txt)`);
      });
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  /**
   * The tab with the run's summary, its current details and the activities' summaries; returns the
   * current details, which the UI renders from Markdown in a frame of their own (the last one).
   */
  async function openUserMetadata(page: Page): Promise<FrameLocator> {
    await page.getByText('User Metadata', { exact: true }).click();
    await shows(page, 'Current Details');
    return page.frameLocator('iframe').last();
  }

  it('a succeeded run: each activity names its table and batch, and the details say how it ended', async () => {
    const page = await openRun(links.succeeded);
    await shows(page, 'Completed');
    // The run's timeline names its activities and its tables' child workflows by their summaries ...
    await shows(page, 'analyzeTables 1-1 of 1');
    await shows(page, 'Migrate dbo.customers -> STEVE_MCP.DATA_MIGRATION.CUSTOMERS (table 1 of 1)');
    await screenshot(page, 'succeeded');
    // ... and each table's own page its batches and steps.
    const table = await openFirstTable(links.succeeded);
    await shows(table, 'Completed');
    await shows(table, 'copyBatch dbo.customers #0 (start, 100]');
    await shows(table, /copyBatch dbo\.customers #1 \(100, 200\]/);
    await shows(table, 'publishTable dbo.customers -> STEVE_MCP.DATA_MIGRATION.CUSTOMERS (create)');
    await screenshot(table, 'succeeded-table');
    const details = await openUserMetadata(page);
    await shows(
      page,
      'Migrate dbo.customers from shop to STEVE_MCP.DATA_MIGRATION (copy)',
      page.frameLocator('iframe').first(),
    );
    await shows(page, /^Succeeded: 1 of 1 tables published, 300 rows in/, details);
    await shows(page, 'Tables (1): dbo.customers', page.frameLocator('iframe').nth(1));
    await screenshot(page, 'succeeded-details');
  });

  it('a failed run shows the hint with its error, in the result and in the details', async () => {
    const page = await openRun(links.failed);
    await shows(page, 'Failed');
    const hint = hintFor('TargetTableExists')!;
    // The Result panel (the failure as JSON) is what the page shows first.
    await shows(page, `What to do: ${hint}`);
    await screenshot(page, 'failed');
    const details = await openUserMetadata(page);
    await shows(
      page,
      'FAILED at dbo.customers: The target table STEVE_MCP.DATA_MIGRATION.CUSTOMERS already exists (ifTargetExists: fail); 0 table(s) rolled back.',
      details,
    );
    await shows(page, `What to do: ${hint}`, details);
    await screenshot(page, 'failed-details');
  });

  /** Waits until Temporal's list of runs (which lags) finds the run by the query. */
  async function listed(query: string, workflowId: string): Promise<void> {
    for (;;) {
      for await (const run of client.workflow.list({ query })) if (run.workflowId === workflowId) return;
      await sleep(200);
    }
  }

  it('a paused run shows where it is, and the list of runs finds runs by their search attributes', async () => {
    const page = await openRun(links.cancelled);
    await shows(page, 'Running');
    const details = await openUserMetadata(page);
    await shows(page, /^Paused\. 1 table\(s\) in flight: dbo\.orders; 0 of 1 tables published\.$/, details);
    await screenshot(page, 'paused-details');
    const table = await openFirstTable(links.cancelled);
    const tableDetails = await openUserMetadata(table);
    await shows(
      table,
      /^Paused\. copying dbo\.orders -> STEVE_MCP\.DATA_MIGRATION\.ORDERS: \d+ of 21 batches, [\d,]+ rows \([\d,]+ rows\/s\); 0 of 1 tables published\.$/,
      tableDetails,
    );
    await screenshot(table, 'paused-table-details');

    // As the README's example: the failed runs.
    const failedId = decodeURIComponent(/workflows\/([^/]+)\//.exec(links.failed)![1]!);
    const query = 'MigrationStatus = "failed"';
    await listed(query, failedId);
    await page.goto(`${stack.webUiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    await shows(page, failedId);
    expect(await page.getByText(orders.workflowId).count()).toBe(0);
    await screenshot(page, 'failed-runs');

    expect(await cancel(orders.workflowId, { config: orders.config, wait: true }, commandIo().io)).toBe(4);
  });

  it('a cancelled run records what was rolled back', async () => {
    const page = await openRun(links.cancelled);
    await shows(page, 'Canceled');
    await screenshot(page, 'cancelled');
    // The table shows as cancelled, not failed: its status badge says exactly "Canceled" (its events say
    // "Activity Task Canceled" either way).
    const table = await openFirstTable(links.cancelled);
    await table
      .getByText('Canceled', { exact: true })
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: 15_000 });
    // The table undid its own steps, named in its timeline.
    await shows(table, /^undo: drop staging table STEVE_MCP\.DATA_MIGRATION\.ORDERS__MIGRATING_\w+$/);
    await screenshot(table, 'cancelled-table');
    const details = await openUserMetadata(page);
    await shows(
      page,
      /^Cancelled: 1 table\(s\) rolled back, [\d,]+ rows in .* copied before the cancel\.$/,
      details,
    );
    await shows(page, 'Rolled back (undo steps, last created first):', details);
    await shows(page, /^drop staging table STEVE_MCP\.DATA_MIGRATION\.ORDERS__MIGRATING_\w+: done$/, details);
    await screenshot(page, 'cancelled-details');
  });
});
