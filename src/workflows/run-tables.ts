/**
 * Pure helpers of the run (migrateTables) over its tables: child workflow ids, the compact record the
 * run keeps per table, its one-line state and how it ended. No Temporal API: unit-tested directly.
 */
import { describeOutage, type Outage } from '../contracts/outage';
import type {
  ParsedRunInput,
  PhaseTime,
  RunStatus,
  RunStep,
  TableAnalysis,
  TableProgress,
  TableRecord,
} from '../contracts/run';
import { publicationSteps } from '../migration/publication';
import { tableNames, type TableNames } from '../migration/target-names';
import { displaySnowflakeName } from '../snowflake/sql';
import { displayTableName, parseTableName } from '../sqlserver/sql';
import { currentLine, worstOutage } from './run-state';

/**
 * The child workflow id of a table: the run's id, a dot and the table's index (`migrate-...-k3x9qa.t17`).
 * Stable across the run's continue-as-new; Temporal allows any text up to 1,000 bytes in an id, and the
 * run's own id is plain ASCII, so this stays readable in the Web UI and in URLs.
 */
export function tableWorkflowId(runWorkflowId: string, index: number): string {
  return `${runWorkflowId}.t${index}`;
}

/** A table of the run by name: source and target as shown, and the Snowflake names the run uses. */
export interface TableLabel {
  source: string;
  target: string;
  names: TableNames;
}

/**
 * The names of the run's tables, derived from its input exactly as the analysis derives them, so the
 * run's state needs not hold them. A source that is no table name keeps its text (its analysis fails).
 */
export function tableLabels(input: Pick<ParsedRunInput, 'tables' | 'runTag' | 'target'>): TableLabel[] {
  return input.tables.map((table, index) => {
    let source;
    try {
      source = parseTableName(table.source);
    } catch {
      source = { schema: '', table: table.source };
    }
    const names = tableNames({
      index,
      runTag: input.runTag,
      source,
      targetOverride: table.target,
      database: input.target.database,
      schema: input.target.schema,
    });
    return {
      source: source.schema ? displayTableName(source) : table.source,
      target: displaySnowflakeName(names.target),
      names,
    };
  });
}

/** A table's record before its child workflow starts, from the run's analysis. */
export function pendingTable(analysis: TableAnalysis, batchSize: number, analyse: PhaseTime): TableRecord {
  const batches = analysis.keyed ? Math.max(1, Math.ceil(analysis.rowCountEstimate / batchSize)) : 1;
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
 * What the run keeps of a table that has ended: its progress without the list of validation checks
 * that all passed (a table with 50 columns has 100 of them; 2,000 such tables would crowd the run's
 * state and report input). Checks stay when any failed or content differed: the report shows those.
 */
export function compactTableRecord(progress: TableProgress): TableRecord {
  const { source: _source, target: _target, ...record } = progress;
  const validation = record.validation;
  if (!validation?.passed || record.content?.differingRows || !validation.checks.length) return record;
  return { ...record, validation: { ...validation, checks: [], checksOmitted: validation.checks.length } };
}

/** A record with its names, as the progress query and the report show it. */
export const labelled = (record: TableRecord, label: TableLabel): TableProgress => ({
  source: label.source,
  target: label.target,
  ...record,
});

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
