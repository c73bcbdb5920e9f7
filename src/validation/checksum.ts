/**
 * Row-level content checksums, part two: a row's text (src/validation/canonical.ts) hashed with MD5,
 * the first 60 bits summed over a set of rows exactly. Kept apart from canonical.ts because the
 * workflow bundle reaches the Snowflake SQL builders, which need canonical.ts but not node:crypto.
 */
import { hash } from 'node:crypto';
import { ROW_HASH_HEX_DIGITS } from './canonical';

/** One-shot hash: about half the CPU of createHash().update().digest() for a row's short text. */
export const md5Hex = (text: string): string => hash('md5', text, 'hex');

/** rows and the exact sum of their 60-bit row hashes, as decimal text. */
export interface Checksum {
  rows: number;
  sum: string;
}

/**
 * Sums row hashes exactly: two Number halves (28 and 32 bits) stay exact for 2^21 rows, then fold into
 * a BigInt, so the hot path never allocates a BigInt per row.
 */
export class ChecksumAccumulator {
  rows = 0;
  private high = 0;
  private low = 0;
  private pending = 0;
  private total = 0n;

  addHash(md5: string): void {
    this.high += Number.parseInt(md5.slice(0, 7), 16);
    this.low += Number.parseInt(md5.slice(7, ROW_HASH_HEX_DIGITS), 16);
    this.rows += 1;
    this.pending += 1;
    if (this.pending === 1 << 20) this.fold();
  }

  addText(rowText: string): void {
    this.addHash(md5Hex(rowText));
  }

  private fold(): void {
    this.total += (BigInt(this.high) << 32n) + BigInt(this.low);
    this.high = 0;
    this.low = 0;
    this.pending = 0;
  }

  value(): Checksum {
    this.fold();
    return { rows: this.rows, sum: this.total.toString() };
  }
}

/** Snowflake's SUM over no rows is NULL; a count may arrive as a string or a number. */
export function checksumOf(row: { rows?: unknown; sum?: unknown } | undefined): Checksum {
  const sum = row?.sum;
  return {
    rows: Number(row?.rows ?? 0),
    sum: sum === null || sum === undefined || sum === 'NULL' ? '0' : String(sum),
  };
}

export const sameChecksum = (a: Checksum, b: Checksum) => a.rows === b.rows && a.sum === b.sum;
