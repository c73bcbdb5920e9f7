/**
 * The report as one self-contained HTML page (reports/<id>.html): inline CSS, no scripts, no external
 * assets, so it can be mailed or attached as it is. Every value from the run (table names, messages,
 * config) goes through `escapeHtml`, since a table may be named `<script>`. Pure.
 */
import { TABLE_PHASES, type TablePhase, type TableProgress } from '../contracts/progress';
import { type RunSummary } from '../contracts/outcomes';
import { rowsPerSecond } from '../run-summary/figures';
import {
  failedBatchText,
  formatDuration,
  formatNumber,
  overviewLine,
  runTotals,
  type ReportOrigin,
} from '../run-summary/overview';
import { FOLLOW_COLUMNS, followSection } from './render';
import { foreignKeyLine } from './foreign-keys';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;
const iso = (ms: number) => new Date(ms).toISOString();
const PHASE_COLOURS: Record<TablePhase, string> = {
  analyse: '#8e9aaf',
  copy: '#3d7dd8',
  validate: '#d89a3d',
  publish: '#3da66b',
};
const STATUS_COLOURS: Record<RunSummary['status'], string> = {
  succeeded: '#2e8b57',
  'cut over': '#2e8b57',
  'completed with failures': '#b9770e',
  failed: '#c0392b',
  cancelled: '#7f6a00',
  running: '#3d7dd8',
  following: '#3d7dd8',
  paused: '#7f6a00',
};

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d2330}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:2rem 0 .6rem;border-bottom:1px solid #dde2ea;padding-bottom:.2rem}
.status{display:inline-block;color:#fff;border-radius:4px;padding:.1rem .5rem;font-weight:600;text-transform:uppercase;font-size:.8rem}
.overview{font-size:1.05rem;margin:.6rem 0 1rem}
.totals{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:.6rem}
.totals div{background:#f3f5f9;border-radius:6px;padding:.5rem .7rem}.totals b{display:block;font-size:1.15rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e6e9ef;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.timeline .lane{position:relative;height:18px;background:#f3f5f9;border-radius:3px;min-width:300px}
.timeline .bar{position:absolute;top:0;height:18px;border-radius:3px;min-width:2px}
.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
.bad{color:#c0392b;font-weight:600}.ok{color:#2e8b57}.muted{color:#6b7385}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:break-word}
`;

function stateCell(t: TableProgress): string {
  // A rolled-back table was published once, but is no more: only its state counts.
  const label = t.state === 'published' && t.published ? `${t.state} (${t.published})` : t.state;
  const css = t.state === 'published' ? 'ok' : t.state === 'failed' || t.state === 'rolled back' ? 'bad' : '';
  return `<td class="${css}">${e(label)}</td>`;
}

function phaseDuration(t: TableProgress, phase: TablePhase): string {
  const times = t.phases?.[phase];
  return times?.end === undefined ? '' : formatDuration(times.end - times.start);
}

function timelineRow(t: TableProgress, start: number, span: number): string {
  const bars = TABLE_PHASES.flatMap((phase) => {
    const times = t.phases?.[phase];
    if (!times) return [];
    const end = times.end ?? start + span;
    const left = ((times.start - start) / span) * 100;
    const width = ((end - times.start) / span) * 100;
    const title = `${phase}: ${iso(times.start)} to ${times.end === undefined ? 'unfinished' : iso(times.end)} (${formatDuration(end - times.start)})`;
    return [
      `<div class="bar" title="${e(title)}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%;background:${PHASE_COLOURS[phase]}"></div>`,
    ];
  });
  return `<tr><td><code>${e(t.source)}</code></td>${stateCell(t)}<td style="width:65%"><div class="lane">${bars.join('')}</div></td></tr>`;
}

function keyValues(rows: [string, string][]): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>`;
}

export function renderHtml(summary: RunSummary, origin: ReportOrigin): string {
  const totals = runTotals(summary);
  const span = Math.max(1, summary.finishedAt - summary.startedAt);
  const parts: string[] = [];
  parts.push(
    `<h1>Migration report: ${e(summary.workflowId)}</h1>`,
    `<span class="status" style="background:${STATUS_COLOURS[summary.status]}">${e(summary.status)}</span>`,
    `<p class="overview">${e(overviewLine(summary))}</p>`,
    '<div class="totals">',
    ...(
      [
        ['tables published', `${totals.published} of ${totals.tables}`],
        ['rows copied', formatNumber(totals.rowsCopied)],
        ['MB copied', (totals.bytesCopied / 1_000_000).toFixed(1)],
        ['duration', formatDuration(totals.durationMs)],
        ['paused', formatDuration(totals.pausedMs)],
        ['rows/s (unpaused)', formatNumber(totals.rowsPerSecond)],
      ] as const
    ).map(([label, value]) => `<div><span class="muted">${e(label)}</span><b>${e(value)}</b></div>`),
    '</div>',
    keyValues([
      ['Source', summary.source],
      ['Target', summary.target],
      ['Started', iso(summary.startedAt)],
      ['Finished', iso(summary.finishedAt)],
    ]),
  );
  if (summary.error) {
    parts.push('<h2>Failure</h2>');
    const rows: [string, string][] = [
      ['Error', `${summary.error.type ? `${summary.error.type}: ` : ''}${summary.error.message}`],
    ];
    if (summary.error.hint) rows.push(['What to do', summary.error.hint]);
    for (const t of summary.tables.filter((t) => t.error)) {
      rows.push(['Failed table', t.source]);
      const batch = failedBatchText(t);
      if (batch) rows.push(['Failed batch', batch]);
    }
    parts.push(keyValues(rows));
  }
  parts.push(
    '<h2>Timeline</h2>',
    `<p class="legend">${TABLE_PHASES.map((p) => `<span><i style="background:${PHASE_COLOURS[p]}"></i>${p}</span>`).join('')}<span class="muted">${e(iso(summary.startedAt))} to ${e(iso(summary.finishedAt))}</span></p>`,
    `<table class="timeline">${summary.tables.map((t) => timelineRow(t, summary.startedAt, span)).join('')}</table>`,
    '<h2>Tables</h2>',
    '<table><tr><th>Source</th><th>Target</th><th>State</th><th class="n">Rows (source → target)</th><th class="n">Batches</th><th class="n">Retried</th><th class="n">Rows/s</th>',
    ...TABLE_PHASES.map((p) => `<th class="n">${p}</th>`),
    '</tr>',
    ...summary.tables.map((t) => {
      const rows = t.validation
        ? `${formatNumber(t.validation.sourceRows)} → ${formatNumber(t.validation.targetRows)}`
        : formatNumber(t.rowsCopied);
      const cells = [
        rows,
        String(t.batchesDone),
        String(t.retriedBatches),
        formatNumber(rowsPerSecond(t, summary.finishedAt, summary.pauses)),
      ];
      return `<tr><td><code>${e(t.source)}</code></td><td><code>${e(t.target)}</code></td>${stateCell(t)}${[
        ...cells,
        ...TABLE_PHASES.map((p) => phaseDuration(t, p)),
      ]
        .map((c) => `<td class="n">${e(c)}</td>`)
        .join('')}</tr>`;
    }),
    '</table>',
  );
  const validated = summary.tables.filter((t) => t.validation);
  if (validated.length) {
    parts.push(
      '<h2>Validation</h2><table><tr><th>Table</th><th>Check</th><th>Source</th><th>Target</th><th>Result</th></tr>',
    );
    for (const t of validated) {
      for (const c of t.validation!.checks) {
        parts.push(
          `<tr><td><code>${e(t.source)}</code></td><td>${e(c.name)}</td><td>${e(c.source)}</td><td>${e(c.target)}</td><td class="${c.passed ? 'ok' : 'bad'}">${c.passed ? 'ok' : 'MISMATCH'}</td></tr>`,
        );
      }
    }
    parts.push('</table>');
  }
  const follow = followSection(summary.tables);
  if (follow.rows.length) {
    // Versions, rounds and changes are numbers; the source and the check at cutover are text.
    const numeric = (column: number) => column > 0 && column < FOLLOW_COLUMNS.length - 1;
    const td = (text: string, column: number) =>
      column === 0
        ? `<td><code>${e(text)}</code></td>`
        : `<td${numeric(column) ? ' class="n"' : ''}>${e(text)}</td>`;
    parts.push(
      '<h2>Following (mode follow)</h2>',
      `<table><tr>${FOLLOW_COLUMNS.map((c, i) => `<th${numeric(i) ? ' class="n"' : ''}>${e(c)}</th>`).join('')}</tr>`,
      ...follow.rows.map((cells) => `<tr>${cells.map(td).join('')}</tr>`),
      '</table>',
    );
    if (follow.recopies.length)
      parts.push(`<ul>${follow.recopies.map((s) => `<li>${e(s)}</li>`).join('')}</ul>`);
  }
  const lists: [string, string[]][] = [
    [
      'Failed tables (each rolled back alone)',
      summary.error
        ? []
        : summary.tables
            .filter((t) => t.error)
            .map((t) => `${t.source}: ${t.error!.type ? `${t.error!.type}: ` : ''}${t.error!.message}`),
    ],
    ['Warnings', summary.tables.flatMap((t) => t.warnings)],
    [
      'Rolled back',
      summary.rolledBack.map((s) =>
        s.ok
          ? `done: ${s.description}${s.note ? ` (${s.note})` : ''}`
          : `FAILED: ${s.description}: ${s.error} (clean up by hand)`,
      ),
    ],
    ['Foreign keys', (summary.foreignKeys ?? []).map(foreignKeyLine)],
    ['Clean-up left to do by hand', summary.cleanupFailures.map((s) => `${s.description}: ${s.error}`)],
    [
      'Pauses',
      (summary.pauses ?? []).map((p) => `${iso(p.from)} to ${p.to === undefined ? 'the end' : iso(p.to)}`),
    ],
  ];
  for (const [title, items] of lists) {
    if (items.length)
      parts.push(`<h2>${e(title)}</h2><ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`);
  }
  const config = summary.config;
  if (config) {
    parts.push(
      '<h2>Configuration</h2>',
      keyValues([
        ['Load method', config.loadMethod],
        ['If the target exists', config.ifTargetExists],
        ['Batch size', formatNumber(config.batchSize)],
        ['Batches in flight (per table)', String(config.batchesInFlight)],
        ['Tables in flight', String(config.tablesInFlight)],
        [
          'All or nothing',
          config.allOrNothing
            ? 'yes: one failing table rolls back the run'
            : 'no: a failing table is rolled back alone',
        ],
        ['Heartbeat timeout', `${config.heartbeatTimeoutSeconds} s`],
        ['Outage tolerance', `${config.outageToleranceMinutes} min`],
        ['Stage', `${config.target.database}.${config.target.schema}.${config.target.stage}`],
        ['Metadata columns', `${config.metadataColumns.isMigrated}, ${config.metadataColumns.migratedAt}`],
        ['Tables', config.tables.map((t) => JSON.stringify(t)).join('; ')],
      ]),
    );
  }
  parts.push(
    '<h2>About this run</h2>',
    keyValues([
      ['Run tag', summary.runTag],
      ['Migrator', origin.migratorVersion],
      ['Node.js', origin.nodeVersion],
      ['Report written on', origin.host],
      ['Workers that copied batches', (summary.workerHosts ?? []).join(', ') || 'none'],
      ['Continued as new', String(summary.continuedAsNew)],
    ]),
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(`Migration report: ${summary.workflowId} (${summary.status})`)}</title><style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}
