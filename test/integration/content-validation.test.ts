/**
 * Row-level content validation proven by corruption, end to end (stand-ins + real drivers + dev
 * server): the Snowflake stand-in alters one loaded value per type class, and the run catches each,
 * pinpointed to key, column, source and target value; `migrate verify` does the same on a published
 * table altered afterwards through snowflake-sdk.
 */
import type { ApplicationFailure } from '@temporalio/client';
import { runVerify, type TableVerification } from '../../src/cli/verify';
import type { ContentDifference } from '../../src/contracts/progress';
import type { RunSummary } from '../../src/contracts/outcomes';
import { execute } from '../../src/snowflake/connection';
import { canonicalFloat } from '../../src/validation/canonical';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';
import { capture } from '../support/capture';

const TYPED_TABLE = `
CREATE TABLE dbo.typed (
  id int NOT NULL PRIMARY KEY,
  name nvarchar(40) NULL,
  guid uniqueidentifier NULL,
  taken datetime2(7) NULL,
  stamped datetimeoffset(7) NULL,
  ratio float NULL,
  payload varbinary(16) NULL,
  amount decimal(38,10) NULL,
  active bit NULL,
  secret nvarchar(20) NULL
);`;
const COLUMNS = ['id', 'name', 'guid', 'taken', 'stamped', 'ratio', 'payload', 'amount', 'active', 'secret'];
const ROWS = 40;

function* typedRows(): Generator<unknown[]> {
  for (let i = 1; i <= ROWS; i += 1) {
    yield [
      i,
      `Zoë ${String(i).padStart(2, '0')} 😀`,
      `6F9619FF-8B86-D011-B42D-00C04FC964${i.toString(16).padStart(2, '0').toUpperCase()}`,
      `2024-01-31 12:30:05.123456${i % 10}`,
      `2024-06-30 23:00:0${i % 10}.1234567 +05:30`,
      0.1 * i,
      Buffer.from([i, 0xff, 0x00]),
      `1234567890123456789012345678.012345678${i % 10}`,
      i % 2 === 0,
      `pin-${i}`,
    ];
  }
}

/** One alteration per type class: the column and what a value becomes (canonical text). */
const CLASSES: { column: string; altered: (source: string) => string }[] = [
  { column: 'NAME', altered: (s) => `${s.slice(0, -2)}😁` },
  {
    column: 'GUID',
    altered: (s) => `${s.slice(6, 8)}${s.slice(4, 6)}${s.slice(2, 4)}${s.slice(0, 2)}${s.slice(8)}`,
  },
  { column: 'TAKEN', altered: (s) => `${s.slice(0, -1)}${Number(s.slice(-1)) + 1}` },
  {
    column: 'STAMPED',
    altered: (s) => s.replace('2024-06-30 23:', '2024-07-01 00:').replace('+05:30', '+06:30'),
  },
  { column: 'RATIO', altered: (s) => canonicalFloat(nextDouble(Number(s))) },
  {
    column: 'PAYLOAD',
    altered: (s) =>
      (Number.parseInt(s.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0').toUpperCase() + s.slice(2),
  },
  { column: 'AMOUNT', altered: (s) => `${s.slice(0, -1)}${Number(s.slice(-1)) + 1}` },
  { column: 'ACTIVE', altered: (s) => (s === 'true' ? 'false' : 'true') },
];

/** The double whose last mantissa bit differs (the fault flips it). */
function nextDouble(n: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  view.setUint8(7, view.getUint8(7) ^ 1);
  return view.getFloat64(0);
}

function expectPinpointed(reported: ContentDifference[]) {
  for (const { column, altered } of CLASSES) {
    const found = reported.filter((d) => d.values.some((v) => v.column === column.toLowerCase()));
    expect(found).toHaveLength(1);
    const [difference] = found;
    expect(difference!.kind).toBe('changed');
    expect(difference!.key).toMatch(/^id=\d+$/);
    const value = difference!.values.find((v) => v.column === column.toLowerCase())!;
    expect(value.target).toBe(altered(value.source!));
  }
}

describe('content validation proven by corruption (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  const saved = { ...process.env };
  beforeAll(async () => {
    // `migrate verify` reads secrets from its own environment, as it would in a shell.
    Object.assign(process.env, SECRETS_ENV);
    env = await createMigrationEnvironment([TYPED_TABLE]);
    await env.sqlserver.bulkInsert('dbo.typed', COLUMNS, typedRows());
    await env.startWorker(env.config());
  });
  afterAll(async () => {
    process.env = saved;
    await env?.close();
  });
  afterEach(() => env.snowflake.faults.clear());

  /** Alters the value of one type class in each of rows 1 to 8 as they load, and the secret of row 9. */
  function corruptLoads() {
    CLASSES.forEach(({ column }, k) =>
      env.snowflake.faults.alterLoadedValues({ column, table: 'TYPED', skip: k, count: 1 }),
    );
    env.snowflake.faults.alterLoadedValues({ column: 'SECRET', table: 'TYPED', skip: 8, count: 1 });
  }

  const tableConfig = { source: 'dbo.typed', sensitiveColumns: ['secret'] };

  it('fails the run on one altered value per type class, naming key, column, source and target value', async () => {
    corruptLoads();
    const config = env.config({
      target: { schema: 'CORRUPTED' },
      migration: { tables: [tableConfig], batchSize: 15, batchesInFlight: 1 },
    });
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('ValidationFailed');
    expect(failure.message).toContain('row content');
    expect(failure.message).toContain('9 differing row(s)');
    expect(failure.message).toMatch(/first differing rows: id=\d+: /);
    const summary = await env.failureSummary(failure);
    const content = summary.tables[0]!.content!;
    expect(content).toMatchObject({ rows: ROWS, scopes: 3, differingRows: 9, exact: true });
    expectPinpointed(content.reported);
    const secret = content.reported.find((d) => d.values.some((v) => v.column === 'secret'))!;
    expect(secret.values).toEqual([
      { column: 'secret', source: '*** (sensitive)', target: '*** (sensitive)' },
    ]);
    expect(summary.tables[0]!.state).toBe('rolled back');
    // Nothing left: the staging table is dropped, and so are the database and schema if the run created them.
    const left = await env.tablesIn('CORRUPTED').catch((err: Error) => {
      if (/does not exist/.test(err.message)) return [];
      throw err;
    });
    expect(left).toEqual([]);
  });

  it('stops in the preflight, before anything is created, when Snowflake prints a FLOAT sentinel otherwise', async () => {
    // An account whose FLOAT digits round an exact tie to even (the worker rounds it away from zero).
    env.snowflake.faults.roundFloatTiesToEven();
    const config = env.config({ target: { schema: 'CALIBRATED' }, migration: { tables: [tableConfig] } });
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('CalibrationMismatch');
    expect(failure.message).toContain(
      'Calibration: Snowflake prints the FLOAT value "123456789012345.62" as "+1.2345678901234562E+014", the worker as "+1.2345678901234563E+014".',
    );
    const summary = await env.failureSummary(failure);
    expect(summary.tables.map((t) => t.state)).not.toContain('published');
    const left = await env.tablesIn('CALIBRATED').catch((err: Error) => {
      if (/does not exist/.test(err.message)) return 'no schema';
      throw err;
    });
    expect(left).toBe('no schema');
  });

  it('stops in the preflight, before anything is created, when COPY alone stores a sentinel otherwise', async () => {
    // The schema exists (the COPY half needs one for its temporary table); COPY INTO stores the probe's
    // first NUMBER(10,0) sentinel one higher, while INSERT binds stay exact.
    await env.snowflake.query('CREATE DATABASE IF NOT EXISTS "STEVE_MCP"');
    await env.snowflake.query('CREATE SCHEMA IF NOT EXISTS "STEVE_MCP"."PROBED"');
    env.snowflake.faults.alterLoadedValues({ column: 'V0', table: 'MIGRATOR_PROBE_', during: 'COPY' });
    const config = env.config({ target: { schema: 'PROBED' }, migration: { tables: [tableConfig] } });
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('CalibrationMismatch');
    expect(failure.message).toContain(
      'Calibration: Snowflake prints the NUMBER(10,0) value "0" loaded by PUT and COPY INTO as "1", the worker as "0".',
    );
    // Nothing created: no table, no stage; the schema, which the run did not create, stays.
    expect(await env.tablesIn('PROBED')).toEqual([]);
    expect(await env.snowflake.query('SHOW STAGES IN SCHEMA "STEVE_MCP"."PROBED"')).toEqual([]);
  });

  it('publishes within migration.validation.toleratedDifferences and still reports every difference', async () => {
    corruptLoads();
    const config = env.config({
      target: { schema: 'TOLERATED' },
      migration: {
        tables: [tableConfig],
        batchSize: 15,
        batchesInFlight: 1,
        validation: { toleratedDifferences: 9, maxReportedDifferences: 5 },
      },
    });
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    expect(summary.status).toBe('succeeded');
    const table = summary.tables[0]!;
    expect(table.content).toMatchObject({ differingRows: 9, exact: true });
    expect(table.content!.reported).toHaveLength(5);
    expect(table.validation!.checks.at(-1)).toMatchObject({
      target: '9 differing row(s), 9 tolerated',
      passed: true,
    });
    expect(table.warnings.join(' ')).toContain('9 row(s) differ in content');
    expect(await env.tablesIn('TOLERATED')).toEqual(['TYPED']);
  });

  it('passes an exact copy with every batch compared', async () => {
    const config = env.config({
      target: { schema: 'EXACT' },
      migration: { tables: [tableConfig], batchSize: 15, loadMethod: 'insert' },
    });
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]!.content).toMatchObject({
      rows: ROWS,
      scopes: 3,
      differingRows: 0,
      reported: [],
    });
  });

  it('verify: passes the published copy, then pinpoints values altered after publication', async () => {
    const config = env.config({
      target: { schema: 'EXACT' },
      migration: { tables: [tableConfig], validation: { maxReportedDifferences: 10 } },
    });
    const path = env.configFile(config);
    const first = capture();
    expect(await runVerify(path, { tables: ['dbo.typed'] }, first.out)).toBe(0);
    expect(first.text()).toMatch(
      /^dbo\.typed -> STEVE_MCP\.EXACT\.TYPED: passed: all 40 row\(s\) equal in every column/,
    );

    // One UPDATE per type class through snowflake-sdk, each the smallest change of its kind, rows 1 to 8.
    const updates: [string, string][] = [
      ['NAME', 'Zoë 01 😁'],
      ['GUID', 'FF19966F-8B86-D011-B42D-00C04FC96402'],
      ['TAKEN', '2024-01-31 12:30:05.1234564'],
      ['STAMPED', '2024-07-01 00:00:04.1234567 +06:30'],
      ['RATIO', '0.5000000000000001'],
      ['PAYLOAD', '07FF00'],
      ['AMOUNT', '1234567890123456789012345678.0123456788'],
      ['ACTIVE', 'FALSE'],
    ];
    for (const [k, [column, value]] of updates.entries()) {
      await env.target.use((session) =>
        execute(session, `UPDATE "STEVE_MCP"."EXACT"."TYPED" SET "${column}" = ? WHERE "ID" = ?`, [
          value,
          k + 1,
        ]),
      );
    }
    const text = capture();
    expect(await runVerify(path, { tables: ['dbo.typed'] }, text.out)).toBe(1);
    expect(text.text()).toContain('dbo.typed -> STEVE_MCP.EXACT.TYPED: FAILED: 8 of 40 row(s) differ');
    expect(text.text()).toContain('- id=1: name "Zoë 01 😀" -> "Zoë 01 😁"');
    expect(text.text()).toContain('- id=8: active "true" -> "false"');

    const json = capture();
    expect(await runVerify(path, { json: true }, json.out)).toBe(1);
    const [result] = JSON.parse(json.text()) as TableVerification[];
    expect(result!.content).toMatchObject({ rows: ROWS, differingRows: 8, exact: true });
    expectPinpointed(result!.content!.reported);
  });
});
