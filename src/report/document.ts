/**
 * The report as JSON (reports/<id>.json): the run's summary with every time as ISO-8601, its totals,
 * what wrote it, and a `schemaVersion` that changes whenever a field changes meaning or goes away. Pure.
 */
import type { PhaseTimes, TableProgress } from '../contracts/progress';
import type { RunSummary } from '../contracts/outcomes';
import { overviewLine, runTotals, type ReportOrigin } from '../run-summary/overview';

/** 2: every table lists all its validation checks; `validation.checksOmitted` is gone. */
export const REPORT_SCHEMA_VERSION = 2;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function isoPhases(phases: PhaseTimes | undefined) {
  if (!phases) return undefined;
  return Object.fromEntries(
    Object.entries(phases).map(([phase, t]) => [phase, { start: iso(t.start), end: iso(t.end) }]),
  );
}

function isoTable(t: TableProgress) {
  return {
    ...t,
    startedAt: iso(t.startedAt),
    copyFinishedAt: iso(t.copyFinishedAt),
    finishedAt: iso(t.finishedAt),
    phases: isoPhases(t.phases),
  };
}

export function reportDocument(summary: RunSummary, origin: ReportOrigin) {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    overview: overviewLine(summary),
    totals: runTotals(summary),
    generatedBy: origin,
    ...summary,
    startedAt: iso(summary.startedAt),
    finishedAt: iso(summary.finishedAt),
    pauses: (summary.pauses ?? []).map((p) => ({ from: iso(p.from), to: iso(p.to) })),
    tables: summary.tables.map(isoTable),
  };
}
