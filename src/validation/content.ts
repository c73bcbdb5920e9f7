/**
 * Row-level content results: summing batches into a table's result, the validation check they make,
 * and one line per differing row. Pure and free of Node imports: the workflow uses it.
 */
import type { ContentDifference, ContentResult, ValidationCheck } from '../contracts/run';

export const NO_CONTENT_DIFFERENCES: ContentResult = {
  rows: 0,
  scopes: 0,
  differingRows: 0,
  exact: true,
  reported: [],
  durationMs: 0,
};

/** Adds one batch's result to the table's; the report keeps the first `maxReported` rows. */
export function addContent(
  total: ContentResult | undefined,
  batch: ContentResult,
  maxReported: number,
): ContentResult {
  const sum = total ?? NO_CONTENT_DIFFERENCES;
  return {
    rows: sum.rows + batch.rows,
    scopes: sum.scopes + batch.scopes,
    differingRows: sum.differingRows + batch.differingRows,
    exact: sum.exact && batch.exact,
    reported: [...sum.reported, ...batch.reported].slice(0, maxReported),
    durationMs: sum.durationMs + batch.durationMs,
  };
}

/** Passes when at most `tolerated` rows differ; "at least N" when not every difference was counted. */
export function contentCheck(content: ContentResult, tolerated: number): ValidationCheck {
  const counted = `${content.exact ? '' : 'at least '}${content.differingRows.toLocaleString('en-US')}`;
  return {
    name: `row content (checksums of every column, ${content.scopes} batch${content.scopes === 1 ? '' : 'es'})`,
    source: `${content.rows.toLocaleString('en-US')} rows`,
    target: content.differingRows
      ? `${counted} differing row(s)${tolerated ? `, ${tolerated} tolerated` : ''}`
      : 'all rows equal',
    passed: content.differingRows <= tolerated && (content.exact || content.differingRows === 0),
  };
}

const shown = (value: string | null) => (value === null ? 'NULL' : JSON.stringify(value));

/** `id=42: NAME "Zoë" -> "Zoe"`, `id=7: missing in target`. */
export function describeDifference(d: ContentDifference): string {
  if (d.kind !== 'changed') return `${d.key}: ${d.kind}`;
  return `${d.key}: ${d.values.map((v) => `${v.column} ${shown(v.source)} -> ${shown(v.target)}`).join(', ')}`;
}
