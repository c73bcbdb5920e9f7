/**
 * JSON text into VARIANT columns, as the migrator loads sql_variant values (src/mapping/variant.ts):
 * INSERT ... SELECT PARSE_JSON(COLUMNn) FROM VALUES with array binds, and COPY with a transformation
 * (`FROM (SELECT $1, PARSE_JSON($2) FROM @stage)`), read back through the content check's expression.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { variantText } from '../../../src/sql/snowflake/content-queries';
import { copyInto, insertRows, putFile } from '../../../src/sql/snowflake/statements';
import { failureOf, localFolder, TARGET, useEmulator } from './driver';

const localDir = localFolder('stand-in-variant-');
const table = { database: 'STEVE_MCP', schema: 'DATA_MIGRATION', name: 'EVENTS' };
const location = `@${TARGET}."MIGRATOR_STAGE"/variant/`;
const COLUMNS = ['ID', 'PAYLOAD'];
const JSON_COLUMNS = new Set(['PAYLOAD']);

const target = useEmulator((client) =>
  client.exec(`CREATE TABLE ${TARGET}.EVENTS ("ID" NUMBER(10,0) NOT NULL, "PAYLOAD" VARIANT)`),
);

const OBJECTS = [
  { type: 'decimal(18,4)', value: '12.3400' },
  { type: 'nvarchar(20)', value: 'Zoë 😀 "q", ; \\ ~' },
  { type: 'char(5)', value: 'ab   ' },
  { type: 'nvarchar(1)', value: '' },
];

const stored = async () =>
  target.client.exec(
    `SELECT "ID", ${variantText('"PAYLOAD"')} AS "T", "PAYLOAD" IS NULL AS "N" FROM ${TARGET}.EVENTS ORDER BY "ID"`,
  );

const expected = (first: number) => [
  ...OBJECTS.map((o, i) => ({ ID: first + i, T: `${o.type};${o.value}`, N: false })),
  { ID: first + OBJECTS.length, T: null, N: true },
];

beforeEach(() => target.client.exec(`DELETE FROM ${TARGET}.EVENTS`));

describe('VARIANT columns loaded from JSON text', () => {
  it('INSERT ... SELECT PARSE_JSON(COLUMN2) FROM VALUES with array binds: objects, SQL NULL stays NULL', async () => {
    const rows = [
      ...OBJECTS.map((o, i) => [String(1 + i), JSON.stringify(o)]),
      [String(1 + OBJECTS.length), null],
    ];
    await target.client.exec(insertRows(table, COLUMNS, JSON_COLUMNS), rows);
    expect(await stored()).toEqual(expected(1));
  });

  it('COPY with a transformation: PARSE_JSON of a CSV field', async () => {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const lines = [...OBJECTS.map((o, i) => `${11 + i},${q(JSON.stringify(o))}`), `${11 + OBJECTS.length},`];
    const file = path.join(localDir, 'b1.csv.gz');
    writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
    await target.client.exec(putFile(file, location));
    const [result] = await target.client.exec(
      copyInto(table, location, 'b1.csv.gz', { names: COLUMNS, json: JSON_COLUMNS }),
    );
    expect(result).toMatchObject({ status: 'LOADED', rows_loaded: OBJECTS.length + 1 });
    expect(await stored()).toEqual(expected(11));
  });

  it('COPY refuses a field that is not JSON, as PARSE_JSON does (100069)', async () => {
    const file = path.join(localDir, 'b2.csv.gz');
    writeFileSync(file, gzipSync('21,"{not json"\n'));
    await target.client.exec(putFile(file, location));
    const failure = await failureOf(
      target.client.exec(copyInto(table, location, 'b2.csv.gz', { names: COLUMNS, json: JSON_COLUMNS })),
    );
    expect(failure.code).toBe('100069');
  });

  it('a VARIANT that is not a {type, value} object reads as #unreadable in the content check, never as a value', async () => {
    await target.client.exec(
      `INSERT INTO ${TARGET}.EVENTS SELECT 31, PARSE_JSON('"12.3400"') UNION ALL SELECT 32, PARSE_JSON('{"type":"int"}')`,
    );
    const rows = await stored();
    expect(rows.map((r) => r.T)).toEqual(['#unreadable', '#unreadable']);
  });

  it('refuses transformations it does not model, clearly', async () => {
    const failure = await failureOf(
      target.client.exec(
        `COPY INTO ${TARGET}.EVENTS (ID, PAYLOAD) FROM (SELECT $1, UPPER($2) FROM ${location})`,
      ),
    );
    expect(failure.message).toMatch(
      /^Unsupported feature 'COPY transformations other than \$n and PARSE_JSON\(\$n\)'/,
    );
  });
});
