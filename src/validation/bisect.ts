/**
 * Pinpointing differing rows by bisecting the key space: rows fall into buckets named by the leading
 * hex digits of the MD5 of their key's canonical text, which SQL Server's side (the worker) and
 * Snowflake compute alike whatever the key's type or collation. Buckets whose checksums differ are split
 * sixteen ways, one digit deeper, until the leaves hold a few rows; only those rows are then read and
 * compared value by value. Pure.
 */
import type { ContentDifference, ValueDifference } from '../contracts/progress';
import type { Checksum } from './checksum';

/** Rows a leaf bucket holds on average: few enough to read, enough to keep the bisection short. */
const ROWS_PER_LEAF = 4;
const MAX_DEPTH = 8;

/** Hex digits of the leaf buckets for a scope of about `rows` rows. */
export function leafDepth(rows: number): number {
  const depth = Math.ceil(Math.log(Math.max(rows, 1) / ROWS_PER_LEAF) / Math.log(16));
  return Math.min(MAX_DEPTH, Math.max(1, depth));
}

/** The checksums of the buckets `depth` digits long, from the leaves'. */
export function rollUp(leaves: Map<string, Checksum>, depth: number): Map<string, Checksum> {
  const sums = new Map<string, { rows: number; sum: bigint }>();
  for (const [bucket, c] of leaves) {
    const prefix = bucket.slice(0, depth);
    const s = sums.get(prefix) ?? { rows: 0, sum: 0n };
    s.rows += c.rows;
    s.sum += BigInt(c.sum);
    sums.set(prefix, s);
  }
  return new Map([...sums].map(([b, s]) => [b, { rows: s.rows, sum: s.sum.toString() }]));
}

/**
 * Buckets whose checksums differ (or that exist on one side only), sorted, among those under
 * `parents` (every bucket when parents is null).
 */
export function differingBuckets(
  source: Map<string, Checksum>,
  target: Map<string, Checksum>,
  parents: ReadonlySet<string> | null,
): string[] {
  const under = (b: string) => parents === null || parents.has(b.slice(0, -1));
  const names = new Set([...source.keys(), ...target.keys()].filter(under));
  return [...names]
    .filter((b) => {
      const s = source.get(b);
      const t = target.get(b);
      return !s || !t || s.rows !== t.rows || s.sum !== t.sum;
    })
    .sort();
}

export interface CanonicalRow {
  /** The key's canonical text, which matches a source row to its target row. */
  key: string;
  /** The key as people read it: `id=42` or `(a=1, b=x)`. */
  label: string;
  values: (string | null)[];
}

export const MASKED = '*** (sensitive)';

/**
 * Compares the rows of the same buckets on both sides, key by key: a row on one side only, or the
 * columns whose canonical values differ. Values of sensitive columns are masked.
 */
export function diffRows(
  columns: string[],
  source: CanonicalRow[],
  target: CanonicalRow[],
  sensitive: ReadonlySet<string>,
): ContentDifference[] {
  const mask = (column: string, v: string | null) => (v !== null && sensitive.has(column) ? MASKED : v);
  const targetByKey = new Map(target.map((r) => [r.key, r]));
  const differences: ContentDifference[] = [];
  for (const row of source) {
    const other = targetByKey.get(row.key);
    targetByKey.delete(row.key);
    if (!other) {
      differences.push({ key: row.label, kind: 'missing in target', values: [] });
      continue;
    }
    const values: ValueDifference[] = [];
    columns.forEach((column, i) => {
      const [s, t] = [row.values[i] ?? null, other.values[i] ?? null];
      if (s !== t) values.push({ column, source: mask(column, s), target: mask(column, t) });
    });
    if (values.length) differences.push({ key: row.label, kind: 'changed', values });
  }
  for (const row of targetByKey.values())
    differences.push({ key: row.label, kind: 'not in source', values: [] });
  return differences;
}

/** `id=42`, or `(order_id=7, line=2)` for a composite key; masked parts stay masked. */
export function keyLabel(names: string[], values: (string | null)[], sensitive: ReadonlySet<string>): string {
  const parts = names.map((n, i) => {
    const value = values[i] ?? null;
    return `${n}=${value === null ? 'NULL' : sensitive.has(n) ? MASKED : value}`;
  });
  return parts.length === 1 ? parts[0]! : `(${parts.join(', ')})`;
}
