/**
 * The run's table records as they cross Temporal and come back: packed column by column in the run's
 * result, named again from the run's config, merged with each table's child workflow outcome, and the
 * child workflow id they are read from. Pure: the workflows, the report activity and the CLI use it.
 */
import { type ParsedRunInput } from '../contracts/run-input';
import { TableRecordSchema, type TableProgress, type TableRecord } from '../contracts/progress';
import { type TableColumns } from '../contracts/carried-state';
import {
  type PackedRunResult,
  type RunResult,
  type RunSummary,
  type TableOutcome,
} from '../contracts/outcomes';
import { displayTableName, parseTableName } from '../names/sqlserver-names';
import { tableNames, type TableNames } from '../names/target-names';
import { displaySnowflakeName } from '../names/snowflake-names';

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
