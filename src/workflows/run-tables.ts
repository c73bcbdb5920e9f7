/**
 * Pure helpers of the run (migrateTables) over its tables: child workflow ids, the compact record the
 * run keeps per table, its one-line state and how it ended. No Temporal API: unit-tested directly.
 */
import { describeOutage, type Outage } from '../contracts/outage';
import type { PhaseTime, RunStatus, TableAnalysis, TableProgress } from '../contracts/run';
import { currentLine, worstOutage } from './run-state';

/**
 * The child workflow id of a table: the run's id, a dot and the table's index (`migrate-...-k3x9qa.t17`).
 * Stable across the run's continue-as-new; Temporal allows any text up to 1,000 bytes in an id, and the
 * run's own id is plain ASCII, so this stays readable in the Web UI and in URLs.
 */
export function tableWorkflowId(runWorkflowId: string, index: number): string {
  return `${runWorkflowId}.t${index}`;
}

/** A table's record before its child workflow starts, from the run's analysis. */
export function pendingTable(analysis: TableAnalysis, batchSize: number, analyse: PhaseTime): TableProgress {
  const batches = analysis.keyed ? Math.max(1, Math.ceil(analysis.rowCountEstimate / batchSize)) : 1;
  return {
    source: analysis.source,
    target: analysis.target,
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
 * What the run keeps of a table that has ended: its progress without the list of validation checks
 * that all passed (a table with 50 columns has 100 of them; 2,000 such tables would crowd the run's
 * state and report input). Checks stay when any failed or content differed: the report shows those.
 */
export function compactTableRecord(progress: TableProgress): TableProgress {
  const validation = progress.validation;
  if (!validation?.passed || progress.content?.differingRows || !validation.checks.length) return progress;
  return { ...progress, validation: { ...validation, checks: [], checksOmitted: validation.checks.length } };
}

const ENDED_STATES: TableProgress['state'][] = ['published', 'failed', 'rolled back'];
export const hasEnded = (t: TableProgress) => ENDED_STATES.includes(t.state);

/**
 * The run's line for the Web UI's details and the CLI: the tables in flight (their own details say
 * more), how many are published and failed; while a step waits for an unreachable service, that first.
 */
export function runLine(
  tables: TableProgress[],
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
    ? `${running.length} table(s) in flight: ${running.map((i) => tables[i]!.source).join(', ')}; `
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
  tables: TableProgress[],
): Extract<RunStatus, 'succeeded' | 'completed with failures' | 'failed'> {
  const published = tables.filter((t) => t.state === 'published').length;
  if (published === tables.length) return 'succeeded';
  return published ? 'completed with failures' : 'failed';
}
