/**
 * Pure helpers of the run (migrateTables) over its tables: the compact record the run keeps per table,
 * its one-line state, how it ended and what undoes it (packing the records for the run's result is
 * src/run-summary/records.ts). No Temporal API: unit-tested directly.
 */
import { describeOutage, type Outage } from '../contracts/outage';
import type { PhaseTime, TableProgress, TableRecord } from '../contracts/progress';
import type { RunStep } from '../contracts/steps';
import type { RunStatus } from '../contracts/outcomes';
import type { TableAnalysis } from '../contracts/activities';
import { publicationSteps } from '../publication/publication';
import type { TableLabel } from '../run-summary/records';
import { currentLine, worstOutage } from './run-state';

/** A table the run stopped before analysing: listed in the report, never started. */
export function notAnalysed(): TableRecord {
  return {
    state: 'pending',
    batchesDone: 0,
    batchesPlanned: 0,
    batchesEstimated: 0,
    rowsCopied: 0,
    rowsEstimated: 0,
    bytesCopied: 0,
    retriedBatches: 0,
    warnings: ['not analysed: the run stopped before it'],
  };
}

/** A table's record before its child workflow starts, from the run's analysis. */
export function pendingTable(analysis: TableAnalysis, batchSize: number, analyse: PhaseTime): TableRecord {
  const batches = analysis.keyed ? Math.max(1, Math.ceil(analysis.rowCountEstimate / batchSize)) : 1;
  if (analysis.refused)
    return {
      ...pendingTable({ ...analysis, refused: undefined }, batchSize, analyse),
      state: 'failed',
      batchesEstimated: 0,
      error: analysis.refused,
      warnings: ['refused at the analysis, before any DDL: nothing was created for it'],
    };
  return {
    state: 'pending',
    batchesDone: 0,
    batchesPlanned: 0,
    batchesEstimated: batches,
    rowsCopied: 0,
    rowsEstimated: analysis.rowCountEstimate,
    bytesCopied: 0,
    retriedBatches: 0,
    phases: { analyse },
    warnings: analysis.warnings,
  };
}

/**
 * What the run keeps of a table that has ended: its counts, how it ended and what undoing its publication
 * needs, and the run of its child workflow, whose outcome has the rest (validation checks, content
 * differences, phases, warnings) and is read back for the report (src/outcomes/table-outcomes.ts).
 * 2,000 ended tables must fit in the state the run carries across continue-as-new.
 */
export function compactTableRecord(progress: TableProgress, childRunId: string | undefined): TableRecord {
  // Undefined fields are left out of the JSON payload: they cost nothing in the carried state.
  return {
    state: progress.state,
    batchesDone: progress.batchesDone,
    batchesPlanned: progress.batchesPlanned,
    batchesEstimated: progress.batchesEstimated,
    rowsCopied: progress.rowsCopied,
    rowsEstimated: progress.rowsEstimated,
    bytesCopied: progress.bytesCopied,
    retriedBatches: progress.retriedBatches,
    warnings: [],
    finishedAt: progress.finishedAt,
    published: progress.published,
    appendedKeyColumns: progress.appendedKeyColumns,
    error: progress.error,
    childRunId,
  };
}

/**
 * The steps that undo the published tables, the last published first, and the clean-ups once the run
 * has ended (old rows of replaced tables), derived from the records as publishTable defines them.
 */
export function publishedTableSteps(
  records: TableRecord[],
  labels: TableLabel[],
): { undo: RunStep[]; cleanups: RunStep[] } {
  const published = records
    .map((record, index) => ({ record, index }))
    .filter(({ record }) => record.state === 'published' && record.published);
  const steps = published.map(({ record, index }) => ({
    finishedAt: record.finishedAt ?? 0,
    index,
    ...publicationSteps(labels[index]!.names, record.published!, record.appendedKeyColumns),
  }));
  const lastFirst = [...steps].sort((a, b) => b.finishedAt - a.finishedAt || b.index - a.index);
  return { undo: lastFirst.map((s) => s.undo), cleanups: steps.flatMap((s) => s.cleanups) };
}

/**
 * The run's line for the Web UI's details and the CLI: the tables in flight (their own details say
 * more), how many are published and failed; while a step waits for an unreachable service, that first.
 */
export function runLine(
  tables: TableRecord[],
  labels: Pick<TableLabel, 'source'>[],
  running: number[],
  paused: boolean,
  now: number,
  outages: Outage[] = [],
): string {
  if (!tables.length) return currentLine([], paused, now, outages);
  const outage = worstOutage(outages);
  const waiting = outage ? `${capitalize(describeOutage(outage, now))}. ` : '';
  const published = tables.filter((t) => t.state === 'published').length;
  const failed = tables.filter((t) => t.state === 'failed' || t.state === 'rolled back').length;
  const inFlight = running.length
    ? `${running.length} table(s) in flight: ${running.map((i) => labels[i]!.source).join(', ')}; `
    : '';
  return (
    `${paused ? 'Paused. ' : ''}${waiting}${inFlight}${published} of ${tables.length} tables published` +
    `${failed ? `, ${failed} failed` : ''}.`
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * How a run whose tables all ended turned out, unless it was cancelled or undone as a whole: every
 * table published, some, or none.
 */
export function endStatus(
  tables: Pick<TableRecord, 'state'>[],
): Extract<RunStatus, 'succeeded' | 'completed with failures' | 'failed'> {
  const published = tables.filter((t) => t.state === 'published').length;
  if (published === tables.length) return 'succeeded';
  return published ? 'completed with failures' : 'failed';
}
