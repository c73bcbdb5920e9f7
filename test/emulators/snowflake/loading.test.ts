/**
 * PUT + COPY INTO through the driver: CSV (gzip, zstd), Parquet, JSON, named file formats and a stage's
 * FILE_FORMAT, load history, ON_ERROR, GET.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { connect, failureOf, localFolder, TARGET, useEmulator } from './driver';

const localDir = localFolder('stand-in-load-');
const STAGE = `@${TARGET}."MIGRATOR_STAGE"`;
const CSV =
  "TYPE = CSV COMPRESSION = GZIP FIELD_OPTIONALLY_ENCLOSED_BY = '\"' NULL_IF = () ESCAPE_UNENCLOSED_FIELD = NONE";

const target = useEmulator((client) =>
  client.exec(
    'CREATE TABLE LOADS ("ID" NUMBER(10,0) NOT NULL, "NAME" VARCHAR(20), "AMOUNT" NUMBER(20,4), "AT" TIMESTAMP_TZ(7))',
  ),
);

async function put(name: string, content: Buffer, folder: string): Promise<void> {
  const file = path.join(localDir, name);
  writeFileSync(file, content);
  await target.client.exec(`PUT 'file://${file}' ${STAGE}/${folder}/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE`);
}

const csvGz = (lines: string[]) => gzipSync(lines.join('\n') + '\n');
const count = async () => (await target.client.exec('SELECT COUNT(*) AS N FROM LOADS'))[0]!.N;

describe('COPY INTO through the driver', () => {
  it('loads a 100,000-row, 10-column gzip CSV completely and quickly', async () => {
    const columns = Array.from(
      { length: 10 },
      (_, k) => `"C${k}" ${['NUMBER(38,10)', 'VARCHAR(100)', 'TIMESTAMP_NTZ(7)'][k % 3]}`,
    );
    await target.client.exec(`CREATE TABLE WIDE (${columns.join(', ')})`);
    const lines = Array.from({ length: 100_000 }, (_, i) =>
      Array.from(
        { length: 10 },
        (_v, k) =>
          [
            `${i}.${k}`,
            `"row ""${i}"", col ${k}"`,
            `2024-01-31 13:45:${String(i % 60).padStart(2, '0')}.1234567`,
          ][k % 3],
      ).join(','),
    );
    await put('wide.csv.gz', csvGz(lines), 'wide');
    const started = Date.now();
    const [result] = await target.client.exec(`COPY INTO WIDE FROM ${STAGE}/wide/ FILE_FORMAT = (${CSV})`);
    const seconds = (Date.now() - started) / 1000;
    expect(result).toMatchObject({ status: 'LOADED', rows_parsed: 100_000, rows_loaded: 100_000 });
    expect(
      await target.client.exec('SELECT COUNT(*) AS N, SUM("C0") AS S, MAX("C1") AS M FROM WIDE', undefined, [
        'Number',
      ]),
    ).toEqual([{ N: '100000', S: '4999950000.0000000000', M: 'row "99999", col 1' }]);
    console.info(
      `COPY INTO of a 100,000-row, 10-column gzip CSV: ${seconds.toFixed(2)} s (${Math.round(100_000 / seconds)} rows/s)`,
    );
    expect(seconds).toBeLessThan(15);
  });

  it('loads a file once: the same file again is skipped, FORCE = TRUE loads it again, TRUNCATE forgets', async () => {
    await put(
      'batch-1.csv.gz',
      csvGz(['1,"a",10.5,2024-01-31 13:45:00 +05:45', '2,"b",,2024-01-31T00:00:00Z']),
      'once',
    );
    const copy = `COPY INTO LOADS FROM ${STAGE}/once/ FILES = ('batch-1.csv.gz') FILE_FORMAT = (${CSV})`;
    expect(await target.client.exec(copy)).toEqual([
      expect.objectContaining({
        file: 'migrator_stage/once/batch-1.csv.gz',
        status: 'LOADED',
        rows_loaded: 2,
      }),
    ]);
    expect(await target.client.exec(copy)).toEqual([{ status: 'Copy executed with 0 files processed.' }]);
    expect(await count()).toBe(2);
    expect(await target.client.exec(`${copy} FORCE = TRUE`)).toEqual([
      expect.objectContaining({ status: 'LOADED', rows_loaded: 2 }),
    ]);
    expect(await count()).toBe(4);
    // New content under the same name is a new file to Snowflake (the load history keys on name and checksum).
    await put('batch-1.csv.gz', csvGz(['3,"c",1,2024-01-31 00:00:00 +00:00']), 'once');
    expect(await target.client.exec(copy)).toEqual([expect.objectContaining({ rows_loaded: 1 })]);
    await target.client.exec('TRUNCATE TABLE LOADS');
    expect(await target.client.exec(copy)).toEqual([expect.objectContaining({ rows_loaded: 1 })]);
    await target.client.exec('TRUNCATE TABLE LOADS');
  });

  it('loads nothing from a file with a bad row under ON_ERROR = ABORT_STATEMENT', async () => {
    await put(
      'bad.csv.gz',
      csvGz(['1,"ok",1,2024-01-31 00:00:00 +00:00', '2,"bad",12x,2024-01-31 00:00:00 +00:00']),
      'bad',
    );
    const err = await failureOf(
      target.client.exec(
        `COPY INTO LOADS FROM ${STAGE}/bad/ FILE_FORMAT = (${CSV}) ON_ERROR = ABORT_STATEMENT PURGE = TRUE`,
      ),
    );
    expect(err).toMatchObject({ code: '100038', sqlState: '22018' });
    expect(err.message).toContain("Numeric value '12x' is not recognized");
    expect(err.message).toContain("File 'migrator_stage/bad/bad.csv.gz', line 2, character 9");
    expect(err.message).toContain('Row 2, column "LOADS"["AMOUNT":3]');
    expect(await count()).toBe(0);
    expect(await target.client.exec(`LIST ${STAGE}/bad/`)).toHaveLength(1);
  });

  it('keeps the client transaction when a COPY inside it is aborted', async () => {
    await target.client.exec('BEGIN');
    await target.client.exec('INSERT INTO LOADS ("ID", "NAME") VALUES (?, ?)', [100, 'kept']);
    expect(
      (await failureOf(target.client.exec(`COPY INTO LOADS FROM ${STAGE}/bad/ FILE_FORMAT = (${CSV})`))).code,
    ).toBe('100038');
    await target.client.exec('COMMIT');
    expect(await target.client.exec('SELECT "ID", "NAME" FROM LOADS')).toEqual([{ ID: 100, NAME: 'kept' }]);
    await target.client.exec('TRUNCATE TABLE LOADS');
  });

  it('loads into one table from four sessions at once, each deleting and loading its own batch', async () => {
    const sessions = await Promise.all(Array.from({ length: 4 }, () => connect(target.emulator)));
    await Promise.all(
      sessions.map(async (session, batch) => {
        const rows = Array.from(
          { length: 5000 },
          (_, i) => `${batch * 10_000 + i},"batch ${batch}",${i},2024-01-31 00:00:00Z`,
        );
        const file = path.join(localDir, `parallel-${batch}.csv.gz`);
        writeFileSync(file, csvGz(rows));
        for (let attempt = 0; attempt < 2; attempt++) {
          await session.exec('DELETE FROM LOADS WHERE "NAME" = ?', [`batch ${batch}`]);
          await session.exec(
            `PUT 'file://${file}' ${STAGE}/parallel/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE`,
          );
          await session.exec(
            `COPY INTO LOADS FROM ${STAGE}/parallel/ FILES = ('parallel-${batch}.csv.gz') FILE_FORMAT = (${CSV}) FORCE = TRUE`,
          );
        }
      }),
    );
    await Promise.all(sessions.map((session) => session.close()));
    expect(
      await target.client.exec('SELECT "NAME", COUNT(*) AS N FROM LOADS GROUP BY "NAME" ORDER BY "NAME"'),
    ).toEqual([0, 1, 2, 3].map((batch) => ({ NAME: `batch ${batch}`, N: 5000 })));
    await target.client.exec('TRUNCATE TABLE LOADS');
  });

  it('loads the good rows under CONTINUE and none under SKIP_FILE, reporting the first error', async () => {
    const [partial] = await target.client.exec(
      `COPY INTO LOADS FROM ${STAGE}/bad/ FILE_FORMAT = (${CSV}) ON_ERROR = CONTINUE`,
    );
    expect(partial).toEqual({
      file: 'migrator_stage/bad/bad.csv.gz',
      status: 'PARTIALLY_LOADED',
      rows_parsed: 2,
      rows_loaded: 1,
      error_limit: 2,
      errors_seen: 1,
      first_error: "Numeric value '12x' is not recognized",
      first_error_line: 2,
      first_error_character: 9,
      first_error_column_name: '"LOADS"["AMOUNT":3]',
    });
    const [skipped] = await target.client.exec(
      `COPY INTO LOADS FROM ${STAGE}/bad/ FILE_FORMAT = (${CSV}) ON_ERROR = SKIP_FILE FORCE = TRUE`,
    );
    expect(skipped).toMatchObject({ status: 'LOAD_FAILED', rows_loaded: 0, errors_seen: 1 });
    expect(await count()).toBe(1);
    await target.client.exec('TRUNCATE TABLE LOADS');
  });

  it('refuses NULL in a NOT NULL column and a record with the wrong number of fields', async () => {
    await put('nulls.csv.gz', csvGz([',"no id",1,2024-01-31 00:00:00 +00:00']), 'nulls');
    expect(
      (await failureOf(target.client.exec(`COPY INTO LOADS FROM ${STAGE}/nulls/ FILE_FORMAT = (${CSV})`)))
        .code,
    ).toBe('100072');
    await put('short.csv.gz', csvGz(['1,"x"']), 'short');
    const err = await failureOf(
      target.client.exec(`COPY INTO LOADS FROM ${STAGE}/short/ FILE_FORMAT = (${CSV})`),
    );
    expect(err.code).toBe('100080');
    expect(err.message).toContain(
      'Number of columns in file (2) does not match that of the corresponding table (4)',
    );
  });

  // A Parquet timestamp adjusted to UTC is a TIMESTAMP_LTZ: into a TIMESTAMP_TZ column it takes the
  // session's TIMEZONE offset (America/Los_Angeles by default), as any LTZ value does.
  it('loads Parquet by column name', async () => {
    const file = path.join(localDir, 'rows.parquet');
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    await duck.run(
      `COPY (SELECT 7 AS "ID", 'parquet' AS "NAME", CAST('123456789012.3456' AS DECIMAL(20,4)) AS "AMOUNT", TIMESTAMPTZ '2024-01-31 12:00:00.123456+00' AS "AT", 'ignored' AS "EXTRA") TO '${file}' (FORMAT parquet)`,
    );
    duck.closeSync();
    await target.client.exec(`PUT 'file://${file}' ${STAGE}/parquet/ AUTO_COMPRESS = FALSE`);
    const err = await failureOf(
      target.client.exec(`COPY INTO LOADS FROM ${STAGE}/parquet/ FILE_FORMAT = (TYPE = PARQUET)`),
    );
    expect(err.code).toBe('002019');
    const [result] = await target.client.exec(
      `COPY INTO LOADS FROM ${STAGE}/parquet/ FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE`,
    );
    expect(result).toMatchObject({ status: 'LOADED', rows_loaded: 1 });
    expect(
      await target.client.exec(
        `SELECT "ID", "NAME", "AMOUNT", TO_VARCHAR("AT", 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM') AS "AT" FROM LOADS WHERE "ID" = 7`,
        undefined,
        ['Number'],
      ),
    ).toEqual([
      { ID: '7', NAME: 'parquet', AMOUNT: '123456789012.3456', AT: '2024-01-31 04:00:00.123456 -08:00' },
    ]);
    await target.client.exec('TRUNCATE TABLE LOADS');
  });

  it('loads JSON documents into a VARIANT column with a named file format, also as the stage default', async () => {
    await target.client.exec('CREATE FILE FORMAT JSON_DOCS TYPE = JSON');
    await target.client.exec('CREATE OR REPLACE FILE FORMAT JSON_ROWS TYPE = JSON STRIP_OUTER_ARRAY = TRUE');
    await target.client.exec(`CREATE STAGE ${TARGET}."DOC_STAGE" FILE_FORMAT = JSON_DOCS`);
    await target.client.exec('CREATE TABLE DOCS ("V" VARIANT)');
    // Snowflake's lenient JSON: a key without quotes; documents one after another, one on two lines.
    const file = path.join(localDir, 'docs.json');
    writeFileSync(file, '{ROOT: "<123>"}\n{"x": [1,\n 2]} [3, 4]\n');
    await target.client.exec(`PUT 'file://${file}' @${TARGET}."DOC_STAGE"`);
    const [loaded] = await target.client.exec(`COPY INTO DOCS FROM @${TARGET}."DOC_STAGE"`);
    expect(loaded).toMatchObject({ status: 'LOADED', rows_parsed: 3, rows_loaded: 3 });
    expect(await target.client.exec('SELECT "V" FROM DOCS')).toEqual([
      { V: { ROOT: '<123>' } },
      { V: { x: [1, 2] } },
      { V: [3, 4] },
    ]);
    const [split] = await target.client.exec(
      `COPY INTO DOCS FROM @${TARGET}."DOC_STAGE" FILE_FORMAT = (FORMAT_NAME = 'json_rows') FORCE = TRUE`,
    );
    expect(split).toMatchObject({ rows_parsed: 4, rows_loaded: 4 });
    expect(
      await failureOf(target.client.exec(`COPY INTO LOADS FROM @${TARGET}."DOC_STAGE" FORCE = TRUE`)),
    ).toMatchObject({ code: '002019' });
    await target.client.exec('DROP FILE FORMAT JSON_DOCS');
    expect(
      await failureOf(target.client.exec(`COPY INTO DOCS FROM @${TARGET}."DOC_STAGE" FORCE = TRUE`)),
    ).toMatchObject({ code: '002003' });
    expect(await failureOf(target.client.exec('CREATE FILE FORMAT X TYPE = XML'))).toMatchObject({
      code: '000002',
    });
  });

  it('answers a JSON document that does not parse with 100069, per ON_ERROR', async () => {
    await target.client.exec('CREATE TABLE BAD_DOCS ("V" VARIANT)');
    await put('bad.json', Buffer.from('{"a": 1}\n{"b": }\n[3]\n'), 'bad-json');
    const from = `${STAGE}/bad-json/ FILE_FORMAT = (TYPE = JSON)`;
    expect(await failureOf(target.client.exec(`COPY INTO BAD_DOCS FROM ${from}`))).toMatchObject({
      code: '100069',
    });
    const [result] = await target.client.exec(`COPY INTO BAD_DOCS FROM ${from} ON_ERROR = CONTINUE`);
    expect(result).toMatchObject({
      status: 'PARTIALLY_LOADED',
      rows_loaded: 2,
      errors_seen: 1,
      first_error_line: 2,
    });
  });

  it('loads zstd CSV chosen by PATTERN, skipping a header', async () => {
    const file = path.join(localDir, 'batch.csv.zst');
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    await duck.run(
      `COPY (SELECT 9 AS id, 'zstd' AS name, 2.5 AS amount, '2024-01-31 00:00:00 +00:00' AS at) TO '${file}' (FORMAT csv, HEADER true, COMPRESSION zstd)`,
    );
    duck.closeSync();
    await target.client.exec(
      `PUT 'file://${file}' ${STAGE}/zstd/ AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = ZSTD`,
    );
    const copy = target.client.exec(
      `COPY INTO LOADS FROM ${STAGE}/zstd/ PATTERN = '.*[.]csv[.]zst' FILE_FORMAT = (TYPE = CSV COMPRESSION = ZSTD SKIP_HEADER = 1)`,
    );
    const zstdAvailable =
      typeof ((await import('node:zlib')) as Record<string, unknown>).zstdDecompress === 'function' ||
      existsSync('/usr/bin/zstd') ||
      existsSync('/usr/local/bin/zstd');
    if (!zstdAvailable) {
      expect((await failureOf(copy)).code).toBe('000002');
      return;
    }
    expect(await copy).toEqual([expect.objectContaining({ status: 'LOADED', rows_loaded: 1 })]);
    expect(await target.client.exec('SELECT "NAME" FROM LOADS WHERE "ID" = 9')).toEqual([{ NAME: 'zstd' }]);
    await target.client.exec('TRUNCATE TABLE LOADS');
  });

  it('loads from the user stage @~ and the table stage @%table', async () => {
    const file = path.join(localDir, 'user.csv');
    writeFileSync(file, '11,"user stage",1,2024-01-31 00:00:00 +00:00\n');
    // AUTO_COMPRESS (the default) gzips the file on the way; COMPRESSION = AUTO finds that out.
    expect(await target.client.exec(`PUT 'file://${file}' @~/in/`)).toEqual([
      expect.objectContaining({ target: 'user.csv.gz', targetCompression: 'GZIP' }),
    ]);
    expect(
      await target.client.exec(
        `COPY INTO LOADS FROM @~/in/ FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"')`,
      ),
    ).toEqual([expect.objectContaining({ file: 'in/user.csv.gz', rows_loaded: 1 })]);
    await target.client.exec(`PUT 'file://${file}' @%LOADS`);
    expect(
      await target.client.exec(
        `COPY INTO LOADS FROM @%LOADS FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"')`,
      ),
    ).toEqual([expect.objectContaining({ file: 'loads/user.csv.gz', rows_loaded: 1 })]);
    expect(await count()).toBe(2);
    await target.client.exec('TRUNCATE TABLE LOADS');
  });

  it('downloads staged files with GET', async () => {
    const downloads = mkdirSync(path.join(localDir, 'downloads'), { recursive: true })!;
    const [row] = await target.client.exec(`GET ${STAGE}/once/ 'file://${downloads}/'`);
    expect(row).toMatchObject({ file: 'batch-1.csv.gz', status: 'DOWNLOADED' });
    expect(gunzipSync(readFileSync(path.join(downloads, 'batch-1.csv.gz'))).toString()).toBe(
      '3,"c",1,2024-01-31 00:00:00 +00:00\n',
    );
  });
});
