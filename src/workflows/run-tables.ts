/**
 * Pure helpers of the run (migrateTables) over its tables: child workflow ids, the compact record the
 * run keeps per table, its one-line state and how it ended. No Temporal API: unit-tested directly.
 */
import { describeOutage, type Outage } from '../contracts/outage';
import {
  TableRecordSchema,
  type PackedRunResult,
  type ParsedRunInput,
  type RunResult,
  type RunSummary,
  type TableColumns,
  type PhaseTime,
  type RunStatus,
  type RunStep,
  type TableAnalysis,
  type TableOutcome,
  type TableProgress,
  type TableRecord,
} from '../contracts/run';
import { publicationSteps } from '../migration/publication';
import { tableNames, type TableNames } from '../migration/target-names';
import { displaySnowflakeName } from '../snowflake/identifiers';
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
      target: input.target,
    });
    return {
      source: source.schema ? displayTableName(source) : table.source,
      target: displaySnowflakeName(names.target),
      names,
    };
  });
}

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
 * differences, phases, warnings) and is read back for the report (src/migration/table-outcomes.ts).
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
 * A table as the report shows it: the child's own account of it, with what only the run knows on top
 * (a published table the run undid afterwards is rolled back; the run's names and child run stay).
 */
export function withChildOutcome(table: TableProgress, outcome: TableOutcome): TableProgress {
  if (!outcome.progress) return { ...table, error: table.error ?? outcome.error };
  return {
    ...outcome.progress,
    source: table.source,
    target: table.target,
    state: table.state,
    error: table.error ?? outcome.progress.error ?? outcome.error,
    childRunId: table.childRunId,
  };
}

/** Records column by column (TableColumnsSchema): every field any record has, null where one lacks it. */
export function tableColumns(records: TableRecord[]): TableColumns {
  const present = (value: unknown) => value !== undefined && value !== null;
  const fields = [
    ...new Set(
      records.flatMap((record) =>
        Object.keys(record).filter((key) => present(record[key as keyof TableRecord])),
      ),
    ),
  ];
  const columns: TableColumns = {};
  for (const field of fields) {
    columns[field] = records.map((record) => (record as Record<string, unknown>)[field] ?? null);
  }
  return columns;
}

/**
 * The records back from their columns; a field that is null in its column is left out of the record. A
 * list of records (carried by an earlier version) is taken as it is.
 */
export function tableRecords(columns: TableColumns | TableRecord[]): TableRecord[] {
  if (Array.isArray(columns)) return columns;
  const count = Math.max(0, ...Object.values(columns).map((column) => column.length));
  return Array.from({ length: count }, (_, index) => {
    const record: Record<string, unknown> = {};
    for (const [field, column] of Object.entries(columns)) {
      const value = column[index];
      if (value !== null && value !== undefined) record[field] = value;
    }
    return TableRecordSchema.parse(record);
  });
}

/** The run's summary as it crosses Temporal: records column by column, without the names. */
export function runResult(summary: RunSummary, config: ParsedRunInput): PackedRunResult {
  const records = summary.tables.map(({ source: _source, target: _target, ...record }) => record);
  return { ...summary, config, tables: tableColumns(records) };
}

const isPacked = (result: RunResult): result is PackedRunResult => !Array.isArray(result.tables);

/** The summary back from the run's result: records named from the run's config. */
export function runSummary(result: RunResult): RunSummary {
  if (!isPacked(result)) return result;
  const labels = tableLabels(result.config);
  return { ...result, tables: tableRecords(result.tables).map((record, i) => labelled(record, labels[i]!)) };
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
