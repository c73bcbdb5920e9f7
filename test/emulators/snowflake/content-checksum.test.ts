/**
 * The content checksum's target side through the real driver: Snowflake's canonical text of every type
 * and the row hashes summed by SQL equal what the worker computes from the values it loaded.
 */
import type { ValueKind } from '../../../src/mapping/type-map';
import { insertRows } from '../../../src/sql/snowflake/statements';
import {
  bucketChecksumQuery,
  bucketRowsQuery,
  checksumQuery,
  type ContentColumn,
} from '../../../src/sql/snowflake/content-queries';
import { rowCanonicalizer } from '../../../src/validation/row-text';
import { ChecksumAccumulator, checksumOf, md5Hex } from '../../../src/validation/checksum';
import { failureOf, TARGET, useEmulator } from './driver';

const TABLE = { database: 'STEVE_MCP', schema: 'DATA_MIGRATION', name: 'CONTENT' };
const COLUMNS: (ContentColumn & { type: string })[] = [
  { name: 'ID', kind: 'number', type: 'NUMBER(10,0)' },
  { name: 'BIG', kind: 'text-number', type: 'NUMBER(19,0)' },
  { name: 'PRICE', kind: 'text-number', type: 'NUMBER(38,10)' },
  { name: 'CASH', kind: 'text-number', type: 'NUMBER(19,4)' },
  { name: 'F', kind: 'float', type: 'FLOAT' },
  { name: 'FLAG', kind: 'boolean', type: 'BOOLEAN' },
  { name: 'D', kind: 'date', type: 'DATE' },
  { name: 'T', kind: 'time', type: 'TIME(3)' },
  { name: 'DT', kind: 'timestamp-ntz', type: 'TIMESTAMP_NTZ(7)' },
  { name: 'SDT', kind: 'timestamp-ntz', type: 'TIMESTAMP_NTZ(0)' },
  { name: 'DTO', kind: 'timestamp-tz', type: 'TIMESTAMP_TZ(7)' },
  { name: 'NAME', kind: 'text', type: 'VARCHAR' },
  { name: 'GUID', kind: 'text', type: 'VARCHAR(36)' },
  { name: 'BIN', kind: 'binary', type: 'BINARY' },
];
const KEYS = [COLUMNS[0]!];

/** Values as the worker loads them (CSV/bind text), NULL as null. */
const ROWS: (string | null)[][] = [
  [
    '1',
    '-9223372036854775808',
    '12345678901234567890123456.0123456789',
    '-0.5000',
    '0.1',
    'TRUE',
    '2024-02-29',
    '23:59:59.123',
    '2024-01-31 12:30:05.1234567',
    '1900-01-01 00:00:00',
    '0001-01-01 00:00:00.0000001 -14:00',
    'Zoë 😀, "quoted", \\N',
    '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    '00FF10',
  ],
  [
    '2',
    '0',
    '0.0000000000',
    '0.0000',
    '-0',
    'FALSE',
    '0001-01-01',
    '00:00:00',
    '9999-12-31 23:59:59.9999999',
    '2079-06-06 23:59:00',
    '2024-06-30 23:00:00 +05:30',
    '',
    '00000000-0000-0000-0000-000000000000',
    '',
  ],
  ['3', null, null, null, '1.7976931348623157e+308', null, null, null, null, null, null, null, null, null],
  [
    '4',
    '7',
    '-1.0000000001',
    '922337203685477.5807',
    '5e-324',
    'TRUE',
    '2000-01-01',
    '12:00:00.5',
    '2000-01-01 00:00:00',
    '2000-01-01 00:00:00',
    '2000-01-01 00:00:00.5 +00:00',
    '~',
    '~',
    '7E',
  ],
];

const target = useEmulator(async (client) => {
  await client.exec(
    `CREATE TABLE ${TARGET}."CONTENT" (${COLUMNS.map((c) => `"${c.name}" ${c.type}`).join(', ')})`,
  );
  await client.exec(
    insertRows(
      TABLE,
      COLUMNS.map((c) => c.name),
    ),
    ROWS,
  );
});

const kinds: ValueKind[] = COLUMNS.map((c) => c.kind);
const canonicalizer = rowCanonicalizer(kinds);

describe('content checksum on the Snowflake stand-in', () => {
  it('prints every type in the canonical form the worker builds', async () => {
    const query = bucketRowsQuery(TABLE, COLUMNS, KEYS, { binds: [] }, [
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
    const rows = await target.client.exec(`${query.sql} ORDER BY "c0"`, query.binds);
    expect(rows.map((r) => COLUMNS.map((_c, i) => r[`c${i}`] ?? null))).toEqual(
      ROWS.map((row) => canonicalizer.values(row)),
    );
  });

  it('sums the same 60-bit row hashes as the worker, per table and per key bucket', async () => {
    const worker = new ChecksumAccumulator();
    const buckets = new Map<string, ChecksumAccumulator>();
    for (const row of ROWS) {
      const text = canonicalizer.text(canonicalizer.values(row));
      worker.addText(text);
      const bucket = md5Hex(rowCanonicalizer(['number']).text([row[0]!])).slice(0, 1);
      if (!buckets.has(bucket)) buckets.set(bucket, new ChecksumAccumulator());
      buckets.get(bucket)!.addText(text);
    }
    const whole = checksumQuery(TABLE, COLUMNS, { binds: [] });
    const [row] = await target.client.exec(whole.sql, whole.binds, ['Number']);
    expect(checksumOf(row)).toEqual(worker.value());

    const perBucket = bucketChecksumQuery(TABLE, COLUMNS, KEYS, { binds: [] }, 1, []);
    const rows = await target.client.exec(perBucket.sql, perBucket.binds, ['Number']);
    expect(Object.fromEntries(rows.map((r) => [r.bucket, checksumOf(r)]))).toEqual(
      Object.fromEntries([...buckets].map(([b, acc]) => [b, acc.value()])),
    );
  });

  it('sums the same row hashes when (max) columns stand in the row text as the MD5 of their value', async () => {
    const digested = COLUMNS.map((c) => ({ ...c, digested: c.name === 'NAME' || c.name === 'BIN' }));
    const long = rowCanonicalizer(
      kinds,
      digested.map((c) => c.digested),
    );
    const worker = new ChecksumAccumulator();
    for (const row of ROWS) worker.addText(long.text(long.values(row)));
    const whole = checksumQuery(TABLE, digested, { binds: [] });
    expect(whole.sql).toContain(`'#' || MD5("NAME")`);
    expect(whole.sql).toContain(`'#' || MD5(HEX_ENCODE("BIN"))`);
    const [row] = await target.client.exec(whole.sql, whole.binds, ['Number']);
    expect(checksumOf(row)).toEqual(worker.value());
    // Not the same sums as without the digest: the test compares what it means to.
    expect(worker.value()).not.toEqual(
      ROWS.reduce(
        (acc, r) => (acc.addText(canonicalizer.text(canonicalizer.values(r))), acc),
        new ChecksumAccumulator(),
      ).value(),
    );
  });

  it('reads hex with TO_NUMBER and refuses text that is not hex', async () => {
    const [row] = await target.client.exec(
      `SELECT TO_NUMBER('fFfffffffffffff', 'XXXXXXXXXXXXXXX') AS "n", TO_NUMBER(NULL, 'XX') AS "z"`,
      [],
      ['Number'],
    );
    expect(row).toEqual({ n: String(2n ** 60n - 1n), z: 'NULL' });
    const failure = await failureOf(target.client.exec(`SELECT TO_NUMBER('fg', 'XX') AS "n"`));
    expect(failure.message).toContain(`Numeric value 'fg' is not recognized`);
  });
});
