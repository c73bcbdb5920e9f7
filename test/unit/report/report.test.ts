import { TABLE_CANCELLED } from '../../../src/contracts/outcomes';
import { reportDocument, REPORT_SCHEMA_VERSION } from '../../../src/report/document';
import { escapeHtml, renderHtml } from '../../../src/report/html';
import { overviewLine, runTotals } from '../../../src/run-summary/overview';
import { pausedMs } from '../../../src/run-summary/figures';
import { renderMarkdown } from '../../../src/report/render';
import { failed, origin, succeeded, t0 } from '../../support/report-samples';

describe('the report overview', () => {
  it('says the result in one line, with rows per second over the unpaused time', () => {
    expect(overviewLine(succeeded)).toBe(
      'Succeeded: 2 of 2 tables published, 80,000 rows in 1m 40s (1,000 rows/s).',
    );
    expect(runTotals(succeeded)).toMatchObject({ pausedMs: 20_000, rowsPerSecond: 1_000, published: 2 });
  });

  it('names the failed batch, its key range and attempts', () => {
    expect(overviewLine(failed)).toBe(
      'FAILED at dbo.<script>alert(1)</script> batch #17 (120000, 130000], 8 attempt(s), last on worker 4242@worker-2: ' +
        'Value too long for column <b>note</b>; 1 table(s) rolled back.',
    );
  });

  it('names the table that stopped the run, not one in flight that was cancelled because of it', () => {
    const [inFlight, stopper] = failed.tables;
    const cancelledFirst = {
      ...failed,
      tables: [
        {
          ...inFlight!,
          source: 'dbo.t_008',
          error: { type: TABLE_CANCELLED, message: 'The run was cancelled.' },
        },
        { ...stopper!, source: 'dbo.t_009' },
      ],
    };
    expect(overviewLine(cancelledFirst)).toMatch(/^FAILED at dbo\.t_009 batch #17 /);
    const text = renderMarkdown(cancelledFirst);
    expect(text).toContain('Failed table: dbo.t_009');
    expect(text).not.toContain('Failed table: dbo.t_008');
  });

  it('counts an open pause until the end', () => {
    expect(pausedMs([{ from: t0 + 5_000 }], t0, t0 + 8_000)).toBe(3_000);
  });
});

describe('the Markdown report', () => {
  it('starts with the overview and shows pauses and the failed batch', () => {
    const text = renderMarkdown(failed);
    expect(text.split('\n').slice(0, 3)).toEqual([
      '# Migration report: migrate-20261124-abcd',
      '',
      overviewLine(failed),
    ]);
    expect(text).toContain(
      'Failed batch: dbo.<script>alert(1)</script> batch #17 (120000, 130000], 8 attempt(s), last on worker 4242@worker-2',
    );
    expect(renderMarkdown(succeeded)).toContain('- Paused 1 time(s), 20s in all');
  });
});

describe('the JSON report', () => {
  it('has a schema version, totals, versions and ISO-8601 times', () => {
    const doc = reportDocument(succeeded, origin);
    expect(doc).toMatchObject({
      schemaVersion: REPORT_SCHEMA_VERSION,
      generatedBy: { migratorVersion: '0.1.0', nodeVersion: 'v22.12.0', host: 'worker-1' },
      startedAt: '2026-11-24T10:00:00.000Z',
      finishedAt: '2026-11-24T10:01:40.000Z',
      pauses: [{ from: '2026-11-24T10:00:10.000Z', to: '2026-11-24T10:00:30.000Z' }],
      workerHosts: ['worker-1', 'worker-2'],
      totals: { rowsCopied: 80_000 },
    });
    expect(doc.tables[0]!.phases!.validate).toEqual({
      start: '2026-11-24T10:00:42.000Z',
      end: '2026-11-24T10:00:47.000Z',
    });
    expect(JSON.stringify(doc)).not.toMatch(/"(startedAt|finishedAt|start|end|from|to)":\d/);
  });
});

describe('the HTML report', () => {
  it('escapes every value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderHtml(failed, origin);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>note</b>');
    expect(html).toContain('<code>dbo.&lt;script&gt;alert(1)&lt;/script&gt;</code>');
    expect(html).toContain('Widen it &amp; retry.');
  });

  it('is self-contained: inline CSS, no scripts, no external resources', () => {
    const html = renderHtml(succeeded, origin);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(/i);
  });

  it('shows the overview, a timeline bar per phase, the failure, the config and the versions', () => {
    const html = renderHtml(failed, origin);
    expect(html).toContain(`<p class="overview">${escapeHtml(overviewLine(failed))}</p>`);
    expect(html.match(/class="bar"/g)).toHaveLength(4 + 2);
    // The copy of the failed table never ended: its bar runs to the end of the run.
    expect(html).toContain('title="copy: 2026-11-24T10:00:50.000Z to unfinished (10s)"');
    expect(html).toContain('<tr><th>Failed batch</th>');
    expect(html).toContain('<td class="bad">rolled back</td>');
    expect(html).toContain('<tr><th>Batch size</th><td>10,000</td></tr>');
    expect(html).toContain(
      '<tr><th>Migrator</th><td>0.1.0</td></tr><tr><th>Node.js</th><td>v22.12.0</td></tr>',
    );
    expect(html).toContain('<tr><th>Workers that copied batches</th><td>worker-1, worker-2</td></tr>');
  });

  it('has a Following section in mode follow: versions, rounds, changes, the check at cutover, the copies made again', () => {
    const [customers, orders] = succeeded.tables;
    const finalCheck = {
      rows: 10_000,
      scopes: 1,
      differingRows: 0,
      exact: true,
      reported: [],
      durationMs: 5,
    };
    const recopies = [{ afterVersion: '17', reason: 'its changes were lost', rowsCopied: 7, batchesDone: 1 }];
    const cutOver = {
      ...succeeded,
      status: 'cut over' as const,
      tables: [
        {
          ...customers!,
          follow: { startVersion: '3', appliedVersion: '41', rounds: 12, changesApplied: 1_500, finalCheck },
        },
        {
          ...orders!,
          follow: { startVersion: '5', appliedVersion: '40', rounds: 9, changesApplied: 2, recopies },
        },
      ],
    };
    const html = renderHtml(cutOver, origin);
    expect(html).toContain(
      '<h2>Following (mode follow)</h2>\n<table><tr><th>Source</th><th class="n">Start version</th><th class="n">Final version</th><th class="n">Rounds</th><th class="n">Changes applied</th><th>At cutover</th></tr>\n' +
        '<tr><td><code>dbo.customers</code></td><td class="n">3</td><td class="n">41</td><td class="n">12</td><td class="n">1,500</td><td>10,000 rows equal</td></tr>\n' +
        '<tr><td><code>dbo.orders</code></td><td class="n">5</td><td class="n">40</td><td class="n">9</td><td class="n">2</td><td>not cut over</td></tr>\n</table>\n' +
        '<ul><li>dbo.orders was copied again from the start after version 17 (replacing a copy of 7 rows in 1 batch(es); the table&#39;s rows and batches are its latest copy&#39;s): its changes were lost</li></ul>',
    );
    expect(renderHtml(succeeded, origin)).not.toContain('Following');
  });
});
