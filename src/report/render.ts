/** The run report as Markdown, from the run summary. Pure: the same text in the worker and the CLI. */
import type { TableProgress } from '../contracts/progress';
import type { Pause } from '../contracts/carried-state';
import type { RunSummary } from '../contracts/outcomes';
import { describeDifference } from '../validation/content';
import { pausedMs, rowsPerSecond } from '../run-summary/figures';
import { failedBatchText, failedTables, formatDuration, overviewLine } from '../run-summary/overview';
import { foreignKeyLine } from './foreign-keys';

export { formatDuration };

const number = (n: number) => n.toLocaleString('en-US');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function tableRow(t: TableProgress, finishedAt: number, pauses: Pause[] | undefined): string {
  const rows = t.validation
    ? `${number(t.validation.sourceRows)} → ${number(t.validation.targetRows)}`
    : number(t.rowsCopied);
  const duration =
    t.startedAt === undefined ? '' : formatDuration((t.finishedAt ?? finishedAt) - t.startedAt);
  const mb = (t.bytesCopied / 1_000_000).toFixed(1);
  return `| ${cell(t.source)} | ${cell(t.target)} | ${t.state}${t.published ? ` (${t.published})` : ''} | ${rows} | ${t.batchesDone} | ${duration} | ${number(rowsPerSecond(t, finishedAt, pauses))} | ${mb} | ${t.retriedBatches} |`;
}

/** The differing rows a table's content comparison names: key, column, source and target values. */
export function differenceLines(t: Pick<TableProgress, 'content'>): string[] {
  const content = t.content;
  if (!content?.reported.length) return [];
  const more = content.differingRows - content.reported.length;
  return [
    '',
    'Differing rows (canonical values, source -> target):',
    '',
    ...content.reported.map((d) => `- ${describeDifference(d)}`),
    ...(more > 0 ? [`- ... and ${content.exact ? '' : 'at least '}${more} more`] : []),
  ];
}

/** The columns of the report's Following section (mode follow), in Markdown and in HTML. */
export const FOLLOW_COLUMNS = [
  'Source',
  'Start version',
  'Final version',
  'Rounds',
  'Changes applied',
  'At cutover',
] as const;

/**
 * mode follow: per followed table the cells of FOLLOW_COLUMNS (the versions its target went through, the
 * rounds and the check at cutover), then a sentence per time it was copied again from the start.
 */
export function followSection(tables: TableProgress[]): { rows: string[][]; recopies: string[] } {
  const followed = tables.filter((t) => t.follow);
  const check = (t: TableProgress) => {
    const content = t.follow!.finalCheck;
    if (!content) return 'not cut over';
    return content.differingRows
      ? `${number(content.differingRows)} row(s) DIFFER`
      : `${number(content.rows)} rows equal`;
  };
  const replaced = (r: { rowsCopied?: number; batchesDone?: number }) =>
    r.rowsCopied === undefined || r.batchesDone === undefined
      ? ''
      : ` (replacing a copy of ${number(r.rowsCopied)} rows in ${number(r.batchesDone)} batch(es); the table's rows and batches are its latest copy's)`;
  return {
    rows: followed.map((t) => [
      t.source,
      t.follow!.startVersion,
      t.follow!.appliedVersion,
      String(t.follow!.rounds),
      number(t.follow!.changesApplied),
      check(t),
    ]),
    recopies: followed.flatMap((t) =>
      (t.follow!.recopies ?? []).map(
        (r) =>
          `${t.source} was copied again from the start after version ${r.afterVersion}${replaced(r)}: ${r.reason}`,
      ),
    ),
  };
}

/** The Following section in Markdown (none when no table was followed). */
export function followLines(tables: TableProgress[]): string[] {
  const { rows, recopies } = followSection(tables);
  if (!rows.length) return [];
  return [
    '',
    '## Following (mode follow)',
    '',
    `| ${FOLLOW_COLUMNS.join(' | ')} |`,
    `|${' --- |'.repeat(FOLLOW_COLUMNS.length)}`,
    ...rows.map((cells) => `| ${cells.map(cell).join(' | ')} |`),
    ...recopies.map((sentence) => `- ${sentence}`),
  ];
}

export function renderMarkdown(summary: RunSummary): string {
  const lines = [
    `# Migration report: ${summary.workflowId}`,
    '',
    overviewLine(summary),
    '',
    `- Status: **${summary.status}**`,
    `- Source: ${summary.source}`,
    `- Target: ${summary.target}`,
    `- Load method: ${summary.loadMethod}`,
    `- Started: ${new Date(summary.startedAt).toISOString()}; finished: ${new Date(summary.finishedAt).toISOString()} (${formatDuration(summary.finishedAt - summary.startedAt)})`,
    ...(summary.pauses?.length
      ? [
          `- Paused ${summary.pauses.length} time(s), ${formatDuration(pausedMs(summary.pauses, summary.startedAt, summary.finishedAt))} in all`,
        ]
      : []),
    ...(summary.continuedAsNew
      ? [`- Workflow history: continued as new ${summary.continuedAsNew} time(s)`]
      : []),
    ...(summary.outageRetries && summary.outageRetries.source + summary.outageRetries.target
      ? [
          `- Steps called again after an outage: ${summary.outageRetries.source} (SQL Server unreachable), ${summary.outageRetries.target} (Snowflake unreachable)`,
        ]
      : []),
    '',
    '## Tables',
    '',
    '| Source | Target | State | Rows (source → target) | Batches | Duration | Rows/s | MB | Retried batches |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...summary.tables.map((t) => tableRow(t, summary.finishedAt, summary.pauses)),
  ];
  const validated = summary.tables.filter((t) => t.validation);
  if (validated.length) {
    lines.push('', '## Validation');
    for (const t of validated) {
      lines.push('', `### ${t.source} → ${t.target}: ${t.validation!.passed ? 'passed' : 'FAILED'}`, '');
      lines.push('| Check | Source | Target | Result |', '| --- | --- | --- | --- |');
      for (const c of t.validation!.checks) {
        lines.push(`| ${cell(c.name)} | ${c.source} | ${c.target} | ${c.passed ? 'ok' : 'MISMATCH'} |`);
      }
      lines.push(...differenceLines(t));
    }
  }
  lines.push(...followLines(summary.tables));
  const warnings = summary.tables.flatMap((t) => t.warnings);
  if (warnings.length) lines.push('', '## Warnings', '', ...warnings.map((w) => `- ${w}`));
  const failed = failedTables(summary);
  if (!summary.error && failed.length) {
    lines.push('', '## Failed tables (each rolled back alone)');
    for (const t of failed) {
      const error = t.error!;
      lines.push(
        '',
        `### ${t.source}`,
        '',
        error.type ? `**${error.type}**: ${error.message}` : error.message,
      );
      if (error.hint) lines.push('', `What to do: ${error.hint}`);
      const batch = failedBatchText(t);
      if (batch) lines.push('', `Failed batch: ${batch}`);
    }
  }
  if (summary.error) {
    lines.push(
      '',
      '## Error',
      '',
      summary.error.type ? `**${summary.error.type}**: ${summary.error.message}` : summary.error.message,
    );
    if (summary.error.hint) lines.push('', `What to do: ${summary.error.hint}`);
    for (const t of failed) {
      lines.push('', `Failed table: ${t.source}`);
      const batch = failedBatchText(t);
      if (batch) lines.push('', `Failed batch: ${batch}`);
    }
  }
  if (summary.rolledBack.length) {
    lines.push('', '## Rolled back', '');
    for (const step of summary.rolledBack) {
      lines.push(
        step.ok
          ? `- done: ${step.description}${step.note ? ` (${step.note})` : ''}`
          : `- FAILED: ${step.description}: ${step.error} (clean up by hand)`,
      );
    }
  }
  if (summary.foreignKeys?.length) {
    lines.push('', '## Foreign keys', '');
    for (const key of summary.foreignKeys) lines.push(`- ${foreignKeyLine(key)}`);
  }
  if (summary.cleanupFailures.length) {
    lines.push('', '## Clean-up left to do by hand', '');
    for (const step of summary.cleanupFailures) lines.push(`- ${step.description}: ${step.error}`);
  }
  return `${lines.join('\n')}\n`;
}
