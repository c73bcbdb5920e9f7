/**
 * Row-level content results: summing batches into a table's result, the validation check they make,
 * and one line per differing row. Pure and free of Node imports: the workflow uses it.
 */
import type { ContentDifference, ContentResult, ValidationCheck } from '../contracts/progress';

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
  const sum = total ?? { ...NO_CONTENT_DIFFERENCES, sourceChecksum: { rows: 0, sum: '0' } };
  // Checksums add up exactly (BigInt); one batch without one (an older history) leaves the table without.
  const checksum = sum.sourceChecksum &&
    batch.sourceChecksum && {
      rows: sum.sourceChecksum.rows + batch.sourceChecksum.rows,
      sum: (BigInt(sum.sourceChecksum.sum) + BigInt(batch.sourceChecksum.sum)).toString(),
    };
  return {
    rows: sum.rows + batch.rows,
    scopes: sum.scopes + batch.scopes,
    differingRows: sum.differingRows + batch.differingRows,
    exact: sum.exact && batch.exact,
    reported: [...sum.reported, ...batch.reported].slice(0, maxReported),
    durationMs: sum.durationMs + batch.durationMs,
    ...(checksum ? { sourceChecksum: checksum } : {}),
  };
}

/**
 * What validateTable needs of the batches' comparisons (not the reported rows, which could make the
 * activity's input large): how many rows differed, and the checksum of the rows the batches read.
 */
export function copiedContent(
  content: ContentResult | undefined,
): Pick<ContentResult, 'differingRows' | 'sourceChecksum'> | undefined {
  return (
    content && {
      differingRows: content.differingRows,
      ...(content.sourceChecksum ? { sourceChecksum: content.sourceChecksum } : {}),
    }
  );
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

/**
 * Validation's re-read of every source row against the staging table (validation.sourceChanges). Every
 * batch was compared with what it read, so a row that differs now was inserted, updated or deleted on
 * the source after its batch was copied, unless it is one of the `foundWhenCopied` differences the
 * batches already reported (and toleratedDifferences let through). Under `fail` the table fails; under
 * `warn` it is published as copied, with a warning.
 */
export function sourceChangeVerdict(
  tableName: string,
  changes: ContentResult,
  policy: 'fail' | 'warn',
  foundWhenCopied: number,
): { check: ValidationCheck; warning?: string } {
  const changed = Math.max(0, changes.differingRows - foundWhenCopied);
  const known = foundWhenCopied
    ? ` (${changes.differingRows.toLocaleString('en-US')} differ now, ${foundWhenCopied.toLocaleString('en-US')} found when their batch was copied)`
    : '';
  const first = foundWhenCopied ? [] : changes.reported.slice(0, 3).map(describeDifference);
  const counted = `${changes.exact ? '' : 'at least '}${changed.toLocaleString('en-US')}`;
  const what = `${counted} row(s) changed on the source after their batch was copied${known}${first.length ? ` (source -> copied: ${first.join('; ')})` : ''}`;
  // An inexact count may hide changes behind the known differences.
  const anyChange = changed > 0 || (!changes.exact && changes.differingRows > 0);
  const accepted = policy === 'warn' && anyChange;
  return {
    check: {
      name: 'source unchanged since copied (every row read again)',
      source: `${changes.rows.toLocaleString('en-US')} rows`,
      target: anyChange
        ? `${what}${accepted ? '; accepted (validation.sourceChanges: warn)' : ''}`
        : `every row as copied${known}`,
      passed: !anyChange || accepted,
    },
    ...(accepted
      ? { warning: `${tableName}: ${what}; published as copied (validation.sourceChanges: warn).` }
      : {}),
  };
}

const shown = (value: string | null) => (value === null ? 'NULL' : JSON.stringify(value));

/** `id=42: NAME "Zoë" -> "Zoe"`, `id=7: missing in target`. */
export function describeDifference(d: ContentDifference): string {
  if (d.kind !== 'changed') return `${d.key}: ${d.kind}`;
  return `${d.key}: ${d.values.map((v) => `${v.column} ${shown(v.source)} -> ${shown(v.target)}`).join(', ')}`;
}
