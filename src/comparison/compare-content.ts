/**
 * Row-level content comparison of one scope (a batch's rows, or a whole table for `migrate verify`):
 * the source checksum comes from the worker's pass over the rows, the target's from one Snowflake
 * query; when they differ the key space is bisected (src/validation/bisect.ts) down to the differing
 * rows, which are then read from both sides and compared value by value. Only checksums, bucket names
 * and the few differing rows cross the network; nothing here goes through Temporal but the result.
 */
import { performance } from 'node:perf_hooks';
import type { ContentResult } from '../contracts/progress';
import type { SnowflakeName } from '../contracts/table';
import type { TableShape } from '../mapping/table-shape';
import { bindRowFormatter, type RowDescription } from '../mapping/values';
import { execute, type TargetConnection } from '../snowflake/connection';
import {
  bucketChecksumQuery,
  bucketRowsQuery,
  checksumQuery,
  type BoundStatement,
  type ContentColumn,
  type ContentScope,
} from '../sql/snowflake/content-queries';
import {
  diffRows,
  differingBuckets,
  keyLabel,
  leafDepth,
  rollUp,
  type CanonicalRow,
} from '../validation/bisect';
import { isDigested } from '../validation/canonical';
import { rowCanonicalizer } from '../validation/row-text';
import { ChecksumAccumulator, checksumOf, md5Hex, sameChecksum, type Checksum } from '../validation/checksum';

/** A table's columns as its batches read them, with the key's positions among them. */
export function rowDescription(tableName: string, shape: TableShape): RowDescription {
  return {
    tableName,
    columns: shape.mappings,
    keyPositions: shape.keyColumns.map((k) => shape.mappings.findIndex((m) => m.column.name === k.name)),
  };
}

/** Runs the comparison's statements on the target, numbers as exact text. */
export const targetQuery =
  (target: TargetConnection) =>
  (statement: BoundStatement): Promise<Record<string, unknown>[]> =>
    target.use((session) => execute(session, statement.sql, statement.binds, { fetchAsString: ['Number'] }));

/** Canonical values, row text and key text of source rows as the driver returns them. */
function rowDigest(description: RowDescription) {
  const toText = bindRowFormatter(description, []);
  const kinds = description.columns.map((m) => m.kind);
  const digested = description.columns.map(isDigested);
  const row = rowCanonicalizer(kinds, digested);
  // Without a key the whole row is its own key: a changed row then shows as missing plus not in source.
  const keyPositions = description.keyPositions.length ? description.keyPositions : kinds.map((_k, i) => i);
  const key = rowCanonicalizer(
    keyPositions.map((p) => kinds[p]!),
    keyPositions.map((p) => digested[p]!),
  );
  return {
    keyPositions,
    canonical: (raw: unknown[]) => row.values(toText(raw)),
    text: row.text,
    rowText: (raw: unknown[]) => row.textOfLoaded(toText(raw)),
    keyText: (canonical: (string | null)[]) => key.text(keyPositions.map((p) => canonical[p] ?? null)),
  };
}

/** Checksums the rows of a stream as they pass by, on their way to the loader. */
export function checksummed(description: RowDescription, source: AsyncIterable<unknown[][]>) {
  const digest = rowDigest(description);
  const sum = new ChecksumAccumulator();
  let busyMs = 0;
  // The reader's arrays of rows pass through whole (see streamRows).
  async function* rows(): AsyncGenerator<unknown[][]> {
    for await (const chunk of source) {
      const started = performance.now();
      for (const raw of chunk) sum.addText(digest.rowText(raw));
      busyMs += performance.now() - started;
      yield chunk;
    }
  }
  return { rows: rows(), checksum: () => sum.value(), busyMs: () => busyMs };
}

export interface ContentComparison {
  /** The source columns (with the key's positions) in the order of `targetColumns`. */
  description: RowDescription;
  /** Snowflake names of the same columns. */
  targetColumns: string[];
  sensitiveColumns: string[];
  /** Streams the scope's source rows again, for pinpointing (arrays of rows, as streamRows gives them). */
  sourceRows(): AsyncIterable<unknown[][]>;
  target: {
    table: SnowflakeName;
    scope: ContentScope;
    query(statement: BoundStatement): Promise<Record<string, unknown>[]>;
  };
  maxReported: number;
  tolerated: number;
  /** The target scope's checksum when it is already known, so Snowflake is asked only to pinpoint. */
  knownTarget?: Checksum;
}

/**
 * Reads the source rows once, checksumming them as they pass, then compares them with the target scope:
 * a whole table (`migrate verify`; validation's re-read of the source, validation.sourceChanges).
 */
export async function readAndCompareContent(c: ContentComparison): Promise<ContentResult> {
  // The target scope is complete before the comparison begins (the published table after the last
  // round, the loaded staging table, the table `migrate verify` names): Snowflake checksums it while the
  // source rows stream, instead of after them (a 1M-row cutover waited for both in turn).
  let targetMs = 0;
  const started = performance.now();
  const target = c.knownTarget
    ? Promise.resolve(c.knownTarget)
    : targetChecksum(c).finally(() => (targetMs = performance.now() - started));
  target.catch(() => undefined); // awaited below, unless the source read fails first
  const source = checksummed(c.description, c.sourceRows());
  for await (const chunk of source.rows) void chunk;
  const content = await compareContent({ ...c, knownTarget: await target }, source.checksum());
  content.durationMs += source.busyMs() + targetMs;
  return content;
}

/** The comparison's columns on the target, in the order of the source's. */
const contentColumns = (c: ContentComparison): ContentColumn[] =>
  c.description.columns.map((m, i) => ({
    name: c.targetColumns[i]!,
    kind: m.kind,
    ...(isDigested(m) ? { digested: true } : {}),
  }));

const targetChecksum = async (c: ContentComparison): Promise<Checksum> =>
  checksumOf((await c.target.query(checksumQuery(c.target.table, contentColumns(c), c.target.scope)))[0]);

/** Compares the scope's target rows with the source checksum; pinpoints the rows when they differ. */
export async function compareContent(c: ContentComparison, source: Checksum): Promise<ContentResult> {
  const started = performance.now();
  const columns = contentColumns(c);
  const target = c.knownTarget ?? (await targetChecksum(c));
  const result = (found: Omit<ContentResult, 'rows' | 'scopes' | 'durationMs'>): ContentResult => ({
    rows: source.rows,
    scopes: 1,
    ...found,
    durationMs: performance.now() - started,
    sourceChecksum: source,
  });
  if (sameChecksum(source, target)) return result({ differingRows: 0, exact: true, reported: [] });
  return result(await pinpoint(c, columns, Math.max(source.rows, target.rows)));
}

async function pinpoint(
  c: ContentComparison,
  columns: ContentColumn[],
  rows: number,
): Promise<Omit<ContentResult, 'rows' | 'scopes' | 'durationMs'>> {
  const digest = rowDigest(c.description);
  const keys = digest.keyPositions.map((p) => columns[p]!);
  const depth = leafDepth(rows);
  const bucketOf = (canonical: (string | null)[]) => md5Hex(digest.keyText(canonical)).slice(0, depth);
  // Enough rows to report, and to know whether more differ than tolerated.
  const cap = Math.max(c.maxReported, c.tolerated + 1);

  const leaves = new Map<string, ChecksumAccumulator>();
  for await (const chunk of c.sourceRows())
    for (const raw of chunk) {
      const canonical = digest.canonical(raw);
      const bucket = bucketOf(canonical);
      if (!leaves.has(bucket)) leaves.set(bucket, new ChecksumAccumulator());
      leaves.get(bucket)!.addText(digest.text(canonical));
    }
  const sourceLeaves = new Map([...leaves].map(([b, sum]) => [b, sum.value()]));

  let parents: Set<string> | null = null;
  let atLeast = 1;
  let exact = true;
  for (let d = 1; d <= depth; d += 1) {
    const query = bucketChecksumQuery(c.target.table, columns, keys, c.target.scope, d, [...(parents ?? [])]);
    const targetBuckets = new Map(
      (await c.target.query(query)).map((r) => [String(r.bucket), checksumOf(r)]),
    );
    let differing = differingBuckets(rollUp(sourceLeaves, d), targetBuckets, parents);
    atLeast = Math.max(atLeast, differing.length);
    if (differing.length > cap) {
      differing = differing.slice(0, cap);
      exact = false;
    }
    parents = new Set(differing);
    if (!differing.length) break;
  }
  // The totals differ but no bucket does: the source changed between the passes. Never a pass.
  const unexplained = { differingRows: atLeast, exact: false, reported: [] };
  if (!parents?.size) return unexplained;

  const sensitive = new Set(c.sensitiveColumns);
  const names = c.description.columns.map((m) => m.column.name);
  const keyNames = digest.keyPositions.map((p) => names[p]!);
  const canonicalRow = (values: (string | null)[]): CanonicalRow => ({
    key: digest.keyText(values),
    label: keyLabel(
      keyNames,
      digest.keyPositions.map((p) => values[p] ?? null),
      sensitive,
    ),
    values,
  });
  const targetRows = (
    await c.target.query(bucketRowsQuery(c.target.table, columns, keys, c.target.scope, [...parents]))
  ).map((r) => canonicalRow(columns.map((_c, i) => (r[`c${i}`] as string | null | undefined) ?? null)));
  const sourceRows: CanonicalRow[] = [];
  for await (const chunk of c.sourceRows())
    for (const raw of chunk) {
      const canonical = digest.canonical(raw);
      if (parents.has(bucketOf(canonical))) sourceRows.push(canonicalRow(canonical));
    }
  const differences = diffRows(names, sourceRows, targetRows, sensitive);
  if (!differences.length) return unexplained;
  return {
    differingRows: exact ? differences.length : Math.max(atLeast, differences.length),
    exact,
    reported: differences.slice(0, c.maxReported),
  };
}
