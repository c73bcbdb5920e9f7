/**
 * Pure helpers over the run's state, shared by the workflow, the CLI and the report: they import no
 * Temporal API, so they are unit-tested directly.
 */
import { describeOutage, type Outage } from '../contracts/outage';
import type { FollowProgress, TablePhase, TableProgress } from '../contracts/progress';
import type { RunStep } from '../contracts/steps';
import type { TablePlan } from '../contracts/table';
import { displaySnowflakeName } from '../names/snowflake-names';
import { displayTableName } from '../names/sqlserver-names';
import { rowsPerSecond } from '../run-summary/figures';

export function describeStep(step: RunStep): string {
  switch (step.kind) {
    case 'dropTable':
      return `drop ${step.why} ${displaySnowflakeName(step.table)}`;
    case 'removeStagedFiles':
      return `remove staged files @${step.target.database}.${step.target.schema}.${step.target.stage}/${step.path}/`;
    case 'restoreReplaced':
      return `restore ${displaySnowflakeName(step.target)} from ${displaySnowflakeName(step.replaced)}`;
    case 'deleteAppended':
      return `delete the rows appended to ${displaySnowflakeName(step.target)}`;
    case 'dropCreated': {
      const { database, schema, stage } = step.target;
      const name = { database, schema: `${database}.${schema}`, stage: `${database}.${schema}.${stage}` };
      return `drop the ${step.object} ${name[step.object]} if this run created it and it holds nothing else`;
    }
  }
}

export function initialTableProgress(plan: TablePlan, batchSize: number): TableProgress {
  const estimatedBatches = plan.task.keyColumns.length
    ? Math.max(1, Math.ceil(plan.rowCountEstimate / batchSize))
    : 1;
  return {
    source: displayTableName(plan.task.source),
    target: displaySnowflakeName(plan.task.target),
    state: 'pending',
    batchesDone: 0,
    batchesPlanned: 0,
    batchesEstimated: estimatedBatches,
    rowsCopied: 0,
    rowsEstimated: plan.rowCountEstimate,
    bytesCopied: 0,
    retriedBatches: 0,
    warnings: plan.warnings,
  };
}

export function totalRowsCopied(tables: Pick<TableProgress, 'rowsCopied'>[]): number {
  return tables.reduce((sum, t) => sum + t.rowsCopied, 0);
}

/**
 * One human-readable line for the Web UI's "current details" and the CLI; while steps wait for an
 * unreachable service, it starts with the one that has waited the most attempts.
 */
export function currentLine(
  tables: TableProgress[],
  paused: boolean,
  now: number,
  outages: Outage[] = [],
): string {
  const active = tables.find((t) => !['pending', 'published', 'failed', 'rolled back'].includes(t.state));
  const done = tables.filter((t) => t.state === 'published').length;
  const outage = worstOutage(outages);
  const waiting = outage ? `${capitalize(describeOutage(outage, now))}. ` : '';
  const prefix = `${paused ? 'Paused. ' : ''}${waiting}`;
  if (!tables.length) return `${prefix}Analysing the tables (nothing is created before all of them pass).`;
  if (!active) return `${prefix}${done} of ${tables.length} tables published.`;
  if (active.state === 'following' && active.follow) {
    return `${prefix}${followingLine(active, now)}; ${done} of ${tables.length} tables published.`;
  }
  // "3 of 10", not "3/10", which the Web UI's Markdown renders as a fraction glyph.
  const batches = `${active.batchesDone} of ${Math.max(active.batchesPlanned, active.batchesEstimated)} batches`;
  const rate = rowsPerSecond(active, now).toLocaleString('en-US');
  return (
    `${prefix}${active.state} ${active.source} -> ${active.target}: ${batches}, ` +
    `${active.rowsCopied.toLocaleString('en-US')} rows (${rate} rows/s); ${done} of ${tables.length} tables published.`
  );
}

export function worstOutage(outages: Outage[]): Outage | undefined {
  return outages.reduce<Outage | undefined>(
    (worst, o) => (!worst || o.attempt > worst.attempt ? o : worst),
    undefined,
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Two tables of one run must not share a target: they would share a staging table and batch numbers,
 * and one table's retried batch would delete the other's rows. Takes display names (as the analysis
 * gives them); returns the problem, if any.
 */
export function duplicateTarget(tables: { source: string; target: string }[]): string | undefined {
  const seen = new Map<string, string>();
  for (const { source, target } of tables) {
    const other = seen.get(target);
    if (other) {
      return `${other} and ${source} would both be migrated to ${target}: give one of them another name with target in its migration.tables entry.`;
    }
    seen.set(target, source);
  }
  return undefined;
}

/** Records when a phase of a table began; a phase resumed after continue-as-new keeps its start. */
export function startPhase(table: TableProgress, phase: TablePhase, now: number): void {
  const phases = (table.phases ??= {});
  phases[phase] ??= { start: now };
}

export function endPhase(table: TableProgress, phase: TablePhase, now: number): void {
  const times = table.phases?.[phase];
  if (times) times.end = now;
}

/**
 * A followed table's state (mode follow): the version its target reflects (and the one it started from),
 * how far behind the source it can be, the changes in all and in the last round, and that round's time.
 */
export function followDetail(f: FollowProgress, now: number): string {
  const seconds = (from: number, to: number) => `${Math.max(0, Math.round((to - from) / 1000))}s`;
  const version = `applied up to version ${f.appliedVersion} (from ${f.startVersion})`;
  const changes = `${f.changesApplied.toLocaleString('en-US')} change(s) in ${f.rounds} round(s)`;
  if (f.lastRoundAt === undefined) return `${version}, ${changes}, first round running`;
  // Older records have no start or count of the last round: only when it ended.
  if (f.lastRoundFrom === undefined || f.lastRoundChanges === undefined) {
    return `${version}, ${changes}, last round ${seconds(f.lastRoundAt, now)} ago`;
  }
  return (
    `${version}, at most ${seconds(f.lastRoundFrom, now)} behind; ${changes}, ` +
    `the last ${f.lastRoundChanges.toLocaleString('en-US')} in ${seconds(f.lastRoundFrom, f.lastRoundAt)}, ended ${seconds(f.lastRoundAt, now)} ago`
  );
}

/**
 * A table copied again while following (its changes were lost): its rows and batches are the latest
 * copy's, so say which copy that is and, when every earlier copy's count is known, the rows of all.
 */
export function copiesNote(t: Pick<TableProgress, 'rowsCopied' | 'follow'>): string {
  const recopies = t.follow?.recopies ?? [];
  if (!recopies.length) return '';
  const copies = recopies.length + 1;
  const earlier = recopies.map((r) => r.rowsCopied);
  const all = earlier.every((rows): rows is number => rows !== undefined)
    ? `; ${earlier.reduce((sum, rows) => sum + rows, t.rowsCopied).toLocaleString('en-US')} rows copied by the ${copies} copies`
    : '';
  return ` (counts of copy ${copies}: copied again from the start ${recopies.length} time(s) after its changes were lost${all})`;
}

/** A following table in one line. */
export function followingLine(
  table: Pick<TableProgress, 'source' | 'target' | 'follow' | 'rowsCopied'>,
  now: number,
): string {
  return `following ${table.source} -> ${table.target}: ${followDetail(table.follow!, now)}${copiesNote({ rowsCopied: table.rowsCopied, follow: table.follow })}`;
}
