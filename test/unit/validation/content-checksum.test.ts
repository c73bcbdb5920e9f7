import fc from 'fast-check';
import {
  NO_CONTENT_DIFFERENCES,
  addContent,
  contentCheck,
  describeDifference,
  sourceChangeVerdict,
} from '../../../src/validation/content';
import { canonicalValue } from '../../../src/validation/canonical';
import { rowCanonicalizer } from '../../../src/validation/row-text';
import { ChecksumAccumulator, checksumOf, md5Hex } from '../../../src/validation/checksum';
import {
  MASKED,
  diffRows,
  differingBuckets,
  keyLabel,
  leafDepth,
  rollUp,
} from '../../../src/validation/bisect';
import {
  bucketChecksumQuery,
  bucketRowsQuery,
  canonicalExpression,
  checksumQuery,
  batchScope,
} from '../../../src/sql/snowflake/content-queries';
import type { ContentResult } from '../../../src/contracts/progress';

describe('canonical values', () => {
  it.each([
    ['time', '12:30:05', '12:30:05.0000000'],
    ['time', '12:30:05.123', '12:30:05.1230000'],
    ['timestamp-ntz', '2024-01-31 12:30:05.003', '2024-01-31 12:30:05.0030000'],
    ['timestamp-ntz', '1900-01-01 00:00:00', '1900-01-01 00:00:00.0000000'],
    ['timestamp-tz', '2024-01-31 12:30:05 -08:00', '2024-01-31 12:30:05.0000000 -08:00'],
    ['timestamp-tz', '2024-01-31 12:30:05.1234567 +05:45', '2024-01-31 12:30:05.1234567 +05:45'],
    ['boolean', 'TRUE', 'true'],
    ['boolean', 'FALSE', 'false'],
    ['date', '0001-01-01', '0001-01-01'],
    ['text-number', '-0.5000', '-0.5000'],
    ['text-number', '.000000000001', '0.000000000001'],
    ['text-number', '-.5', '-0.5'],
    ['number', '-12', '-12'],
    ['float', '-0', '-0.0000000000000000E+000'],
    ['float', '0.1', '+1.0000000000000001E-001'],
    ['float', '5e-324', '+4.9406564584124654E-324'],
    ['float', '1.7976931348623157e+308', '+1.7976931348623157E+308'],
    // A real's float32 value widened: 0.1f.
    ['float', '0.10000000149011612', '+1.0000000149011612E-001'],
    ['binary', '00FF', '00FF'],
  ] as const)('%s %j -> %j', (kind, loaded, canonical) => {
    expect(canonicalValue(kind, loaded)).toBe(canonical);
  });

  it('frames character data by its UTF-8 bytes and writes NULL as ~, so no two rows share a text', () => {
    const row = rowCanonicalizer(['text', 'text', 'number']);
    expect(row.text(['a,b', 'Zoë', null])).toBe('3:a,b,4:Zoë,~');
    expect(row.text(['a', ',b', '1'])).not.toBe(row.text(['a,', 'b', '1']));
    expect(row.text(['~', null, '1'])).not.toBe(row.text([null, '~', '1']));
    expect(row.text(['', null, '1'])).toBe('0:,~,1');
  });

  it('makes the same text in one pass from loaded values as from their canonical values (generated rows)', () => {
    const kinds = [
      'text',
      'text-number',
      'boolean',
      'time',
      'timestamp-ntz',
      'timestamp-tz',
      'number',
    ] as const;
    const fraction = fc.option(fc.stringMatching(/^\d{1,7}$/), { nil: undefined });
    const clock = fc
      .tuple(fc.stringMatching(/^\d\d:\d\d:\d\d$/), fraction)
      .map(([time, f]) => (f === undefined ? time : `${time}.${f}`));
    const loaded = fc.tuple(
      fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
      fc.option(fc.stringMatching(/^-?\d{0,3}\.\d{1,4}$/), { nil: null }),
      fc.option(fc.constantFrom('TRUE', 'FALSE'), { nil: null }),
      fc.option(clock, { nil: null }),
      fc.option(
        clock.map((t) => `2024-01-31 ${t}`),
        { nil: null },
      ),
      fc.option(
        clock.map((t) => `2024-01-31 ${t} +05:45`),
        { nil: null },
      ),
      fc.option(fc.double({ noNaN: true }).map(String), { nil: null }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d\d:\d\d:\d\d$/), fraction, (time, f) => {
        const seven = `${time}.${(f ?? '').padEnd(7, '0')}`;
        const loaded = f === undefined ? time : `${time}.${f}`;
        expect(canonicalValue('time', loaded)).toBe(seven);
        expect(canonicalValue('timestamp-tz', `2024-01-31 ${loaded} -08:00`)).toBe(
          `2024-01-31 ${seven} -08:00`,
        );
      }),
    );
    const row = rowCanonicalizer([...kinds]);
    fc.assert(
      fc.property(loaded, (values) => {
        expect(row.textOfLoaded(values)).toBe(row.text(row.values(values)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('checksums', () => {
  it('sums 60-bit MD5 prefixes exactly, in any order, past the 2^53 a Number holds', () => {
    const texts = ['a', 'b', 'c', 'd'];
    const expected = texts.reduce((sum, t) => sum + BigInt(`0x${md5Hex(t).slice(0, 15)}`), 0n);
    const forward = new ChecksumAccumulator();
    const backward = new ChecksumAccumulator();
    texts.forEach((t) => forward.addText(t));
    [...texts].reverse().forEach((t) => backward.addText(t));
    expect(forward.value()).toEqual({ rows: 4, sum: expected.toString() });
    expect(backward.value()).toEqual(forward.value());
    expect(expected > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('reads Snowflake answers: SUM over no rows is NULL, which the driver may give as "NULL"', () => {
    expect(checksumOf({ rows: '0', sum: 'NULL' })).toEqual({ rows: 0, sum: '0' });
    expect(checksumOf({ rows: 3, sum: '123' })).toEqual({ rows: 3, sum: '123' });
    expect(checksumOf(undefined)).toEqual({ rows: 0, sum: '0' });
  });
});

describe('bisection by key hash', () => {
  const c = (rows: number, sum: number) => ({ rows, sum: String(sum) });

  it('chooses leaves of a few rows, between 1 and 8 hex digits', () => {
    expect(leafDepth(0)).toBe(1);
    expect(leafDepth(50)).toBe(1);
    expect(leafDepth(50_000)).toBe(4);
    expect(leafDepth(1e12)).toBe(8);
  });

  it('rolls leaves up and finds the buckets that differ, under the given parents only', () => {
    const leaves = new Map([
      ['a1', c(1, 10)],
      ['a2', c(2, 20)],
      ['b1', c(1, 5)],
    ]);
    expect(rollUp(leaves, 1)).toEqual(
      new Map([
        ['a', c(3, 30)],
        ['b', c(1, 5)],
      ]),
    );
    const target = new Map([
      ['a', c(3, 31)],
      ['b', c(1, 5)],
      ['c', c(1, 1)],
    ]);
    expect(differingBuckets(rollUp(leaves, 1), target, null)).toEqual(['a', 'c']);
    const deeper = new Map([
      ['a1', c(1, 10)],
      ['a2', c(2, 21)],
      ['c7', c(1, 1)],
    ]);
    expect(differingBuckets(leaves, deeper, new Set(['a']))).toEqual(['a2']);
  });

  it('compares rows key by key: changed columns, rows on one side only; masks sensitive values', () => {
    const row = (key: string, values: (string | null)[]) => ({ key, label: `id=${key}`, values });
    const differences = diffRows(
      ['id', 'name', 'pin'],
      [row('1', ['1', 'Zoë', '1234']), row('2', ['2', 'x', null]), row('3', ['3', 'y', '9'])],
      [row('1', ['1', 'Zoe', '4321']), row('2', ['2', 'x', null]), row('4', ['4', 'z', null])],
      new Set(['pin']),
    );
    expect(differences).toEqual([
      {
        key: 'id=1',
        kind: 'changed',
        values: [
          { column: 'name', source: 'Zoë', target: 'Zoe' },
          { column: 'pin', source: MASKED, target: MASKED },
        ],
      },
      { key: 'id=3', kind: 'missing in target', values: [] },
      { key: 'id=4', kind: 'not in source', values: [] },
    ]);
    expect(keyLabel(['a', 'b'], ['1', null], new Set(['b']))).toBe('(a=1, b=NULL)');
    expect(keyLabel(['ssn'], ['123'], new Set(['ssn']))).toBe(`ssn=${MASKED}`);
  });
});

describe('content results', () => {
  const batch = (differingRows: number, reported: ContentResult['reported'] = []): ContentResult => ({
    ...NO_CONTENT_DIFFERENCES,
    rows: 10,
    scopes: 1,
    differingRows,
    reported,
    durationMs: 5,
  });
  const d = (key: string) => ({
    key,
    kind: 'changed' as const,
    values: [{ column: 'name', source: 'a', target: null }],
  });

  it('adds batches up, keeping the first rows to report', () => {
    const total = addContent(
      addContent(undefined, batch(2, [d('id=1'), d('id=2')]), 3),
      batch(2, [d('id=3'), d('id=4')]),
      3,
    );
    expect(total).toMatchObject({ rows: 20, scopes: 2, differingRows: 4, exact: true, durationMs: 10 });
    expect(total.sourceChecksum).toBeUndefined(); // batches from an older history carry none
    expect(total.reported.map((r) => r.key)).toEqual(['id=1', 'id=2', 'id=3']);
    expect(describeDifference(total.reported[0]!)).toBe('id=1: name "a" -> NULL');
  });

  it("sums the batches' source checksums exactly, past 2^53", () => {
    const withSum = (sum: string): ContentResult => ({ ...batch(0), sourceChecksum: { rows: 10, sum } });
    const total = addContent(addContent(undefined, withSum('9007199254740993'), 3), withSum('1'), 3);
    expect(total.sourceChecksum).toEqual({ rows: 20, sum: '9007199254740994' });
    expect(addContent(total, batch(0), 3).sourceChecksum).toBeUndefined();
  });

  it('passes within the tolerance, never on an inexact count above zero', () => {
    expect(contentCheck(batch(0), 0)).toMatchObject({ target: 'all rows equal', passed: true });
    expect(contentCheck(batch(2), 0)).toMatchObject({ target: '2 differing row(s)', passed: false });
    expect(contentCheck(batch(2), 2)).toMatchObject({
      target: '2 differing row(s), 2 tolerated',
      passed: true,
    });
    expect(contentCheck({ ...batch(2), exact: false }, 5)).toMatchObject({
      target: 'at least 2 differing row(s), 5 tolerated',
      passed: false,
    });
  });
});

describe('source changes found by validation re-reading every row', () => {
  const reread = (differingRows: number, exact = true): ContentResult => ({
    ...NO_CONTENT_DIFFERENCES,
    rows: 1000,
    scopes: 1,
    differingRows,
    exact,
    reported: [
      { key: 'id=7', kind: 'changed' as const, values: [{ column: 'note', source: 'new', target: 'old' }] },
    ].slice(0, differingRows),
  });

  it('fails on a changed row under fail, naming it; passes with a warning under warn', () => {
    expect(sourceChangeVerdict('dbo.t', reread(0), 'fail', 0)).toEqual({
      check: {
        name: 'source unchanged since copied (every row read again)',
        source: '1,000 rows',
        target: 'every row as copied',
        passed: true,
      },
    });
    const changed =
      '1 row(s) changed on the source after their batch was copied (source -> copied: id=7: note "new" -> "old")';
    expect(sourceChangeVerdict('dbo.t', reread(1), 'fail', 0).check).toMatchObject({
      target: changed,
      passed: false,
    });
    expect(sourceChangeVerdict('dbo.t', reread(1), 'warn', 0)).toEqual({
      check: expect.objectContaining({
        target: `${changed}; accepted (validation.sourceChanges: warn)`,
        passed: true,
      }),
      warning: `dbo.t: ${changed}; published as copied (validation.sourceChanges: warn).`,
    });
  });

  it('does not count differences the batches already found as source changes, unless the count is inexact', () => {
    expect(sourceChangeVerdict('dbo.t', reread(1), 'fail', 1).check).toMatchObject({
      target: 'every row as copied (1 differ now, 1 found when their batch was copied)',
      passed: true,
    });
    expect(sourceChangeVerdict('dbo.t', reread(3), 'fail', 1).check).toMatchObject({
      target:
        '2 row(s) changed on the source after their batch was copied (3 differ now, 1 found when their batch was copied)',
      passed: false,
    });
    expect(sourceChangeVerdict('dbo.t', reread(1, false), 'fail', 1).check).toMatchObject({
      target: expect.stringMatching(/^at least 0 row\(s\) changed/),
      passed: false,
    });
  });
});

describe('target-side SQL', () => {
  const table = { database: 'DB', schema: 'S', name: 'T' };
  const columns = [
    { name: 'ID', kind: 'number' as const },
    { name: 'NAME', kind: 'text' as const },
    { name: 'AT', kind: 'timestamp-tz' as const },
  ];

  it('prints each kind in canonical form with documented Snowflake functions', () => {
    expect(columns.map(canonicalExpression)).toEqual([
      'TO_VARCHAR("ID")',
      '"NAME"',
      `TO_VARCHAR("AT", 'YYYY-MM-DD HH24:MI:SS.FF7 TZH:TZM')`,
    ]);
    expect(canonicalExpression({ name: 'B', kind: 'binary' })).toBe('HEX_ENCODE("B")');
  });

  it('sums row hashes of a batch attempt, and per key bucket under the parents', () => {
    const whole = checksumQuery(table, columns, batchScope(3, 2));
    expect(whole.sql).toBe(
      `SELECT COUNT(*) AS "rows", SUM(TO_NUMBER(SUBSTR(MD5(NVL2("ID", TO_VARCHAR("ID"), '~') || ',' || ` +
        `NVL2("NAME", OCTET_LENGTH("NAME") || ':' || "NAME", '~') || ',' || ` +
        `NVL2("AT", TO_VARCHAR("AT", 'YYYY-MM-DD HH24:MI:SS.FF7 TZH:TZM'), '~')), 1, 15), 'XXXXXXXXXXXXXXX')) AS "sum" ` +
        `FROM "DB"."S"."T" WHERE "_MIGRATION_BATCH" = ? AND "_MIGRATION_ATTEMPT" = ?`,
    );
    expect(whole.binds).toEqual([3, 2]);
    const buckets = bucketChecksumQuery(table, columns, [columns[0]!], { binds: [] }, 2, ['a', 'f']);
    expect(buckets.sql).toContain(`SELECT SUBSTR(MD5(NVL2("ID", TO_VARCHAR("ID"), '~')), 1, 2) AS "bucket"`);
    expect(buckets.sql).toContain(
      `WHERE SUBSTR(MD5(NVL2("ID", TO_VARCHAR("ID"), '~')), 1, 1) IN (?, ?) GROUP BY`,
    );
    expect(buckets.binds).toEqual(['a', 'f']);
    const rows = bucketRowsQuery(table, columns, [columns[0]!], batchScope(1, 1), ['ab']);
    expect(rows.sql).toMatch(
      /^SELECT TO_VARCHAR\("ID"\) AS "c0", "NAME" AS "c1", .* AS "c2" FROM "DB"\."S"\."T" WHERE .* AND SUBSTR\(MD5\(.*\), 1, 2\) IN \(\?\)$/,
    );
    expect(rows.binds).toEqual([1, 1, 'ab']);
  });
});
