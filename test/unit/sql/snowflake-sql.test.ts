import {
  copyInto,
  createTable,
  deleteLateAttempts,
  deleteRowsWithKeysOf,
  dropContainer,
  putFile,
  qualifiedName,
  showDatabasesLike,
  showStagesLike,
  stageLocation,
} from '../../../src/sql/snowflake/statements';
import {
  createProbeTable,
  probeTableQuery,
  tableStageLocation,
} from '../../../src/sql/snowflake/content-queries';
import { displaySnowflakeName } from '../../../src/names/snowflake-names';
import { snowflakeNameFor } from '../../../src/names/snowflake-names';

const staging = { database: 'STEVE_MCP', schema: 'DATA_MIGRATION', name: 'ORDERS__MIGRATING_AB12' };

describe('Snowflake names', () => {
  it.each([
    ['customers', 'CUSTOMERS'],
    ['Order_Id', 'ORDER_ID'],
    ['order lines', 'order lines'],
    ['Straße', 'Straße'],
    ['1st', '1st'],
  ])('%s becomes %s', (source, target) => {
    expect(snowflakeNameFor(source)).toBe(target);
  });

  it('quotes every part and doubles quotes', () => {
    expect(qualifiedName({ database: 'DB', schema: 'S', name: 'say "hi"' })).toBe('"DB"."S"."say ""hi"""');
    expect(displaySnowflakeName({ database: 'DB', schema: 'S', name: 'order lines' })).toBe(
      'DB.S."order lines"',
    );
  });
});

describe('Snowflake statements', () => {
  const definition = {
    table: staging,
    columns: [
      { name: 'ID', type: 'NUMBER(10,0)', nullable: false },
      { name: 'note', type: 'VARCHAR', nullable: true },
    ],
    isMigratedColumn: 'IS_MIGRATED',
    migratedAtColumn: 'MIGRATED_AT',
    primaryKey: ['ID'],
  };

  it('creates the staging table with the metadata, batch and attempt columns and the primary key', () => {
    expect(createTable(definition, 'staging')).toBe(
      'CREATE TABLE IF NOT EXISTS "STEVE_MCP"."DATA_MIGRATION"."ORDERS__MIGRATING_AB12" (\n' +
        '  "ID" NUMBER(10,0) NOT NULL,\n' +
        '  "note" VARCHAR,\n' +
        '  "IS_MIGRATED" BOOLEAN NOT NULL DEFAULT TRUE,\n' +
        '  "MIGRATED_AT" TIMESTAMP_TZ(3) NOT NULL,\n' +
        '  "_MIGRATION_BATCH" NUMBER(18,0) NOT NULL,\n' +
        '  "_MIGRATION_ATTEMPT" NUMBER(9,0) NOT NULL,\n' +
        '  PRIMARY KEY ("ID")\n)',
    );
    expect(createTable(definition, 'published')).not.toContain('_MIGRATION_');
  });

  it('declares each carried unique constraint out of line, unnamed, after the primary key', () => {
    expect(createTable({ ...definition, uniqueKeys: [['note'], ['ID', 'note']] }, 'published')).toBe(
      'CREATE TABLE "STEVE_MCP"."DATA_MIGRATION"."ORDERS__MIGRATING_AB12" (\n' +
        '  "ID" NUMBER(10,0) NOT NULL,\n' +
        '  "note" VARCHAR,\n' +
        '  "IS_MIGRATED" BOOLEAN NOT NULL DEFAULT TRUE,\n' +
        '  "MIGRATED_AT" TIMESTAMP_TZ(3) NOT NULL,\n' +
        '  PRIMARY KEY ("ID"),\n' +
        '  UNIQUE ("note"),\n' +
        '  UNIQUE ("ID", "note")\n)',
    );
  });

  it("removes rows of older attempts of a batch, keeping each batch's last attempt", () => {
    expect(deleteLateAttempts(staging)).toBe(
      'DELETE FROM "STEVE_MCP"."DATA_MIGRATION"."ORDERS__MIGRATING_AB12" AS s USING (SELECT "_MIGRATION_BATCH" AS B, ' +
        'MAX("_MIGRATION_ATTEMPT") AS LAST FROM "STEVE_MCP"."DATA_MIGRATION"."ORDERS__MIGRATING_AB12" GROUP BY "_MIGRATION_BATCH") ' +
        'AS w WHERE s."_MIGRATION_BATCH" = w.B AND s."_MIGRATION_ATTEMPT" < w.LAST',
    );
  });

  it('stages and copies one named file, aborting on any bad row', () => {
    const location = stageLocation('STEVE_MCP', 'DATA_MIGRATION', 'MIGRATOR_STAGE', 'ab12/t1');
    expect(location).toBe('@"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/ab12/t1/');
    expect(putFile("/tmp/it's here/b000001-a1.csv.gz", location)).toBe(
      `PUT 'file:///tmp/it\\'s here/b000001-a1.csv.gz' ${location} AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = GZIP OVERWRITE = TRUE`,
    );
    const copy = copyInto(staging, location, 'b000001-a1.csv.gz');
    expect(copy).toMatch(
      /^COPY INTO "STEVE_MCP"\."DATA_MIGRATION"\."ORDERS__MIGRATING_AB12" FROM @.*FILES = \('b000001-a1\.csv\.gz'\)/,
    );
    expect(copy).toContain("FIELD_OPTIONALLY_ENCLOSED_BY = '\"' EMPTY_FIELD_AS_NULL = TRUE NULL_IF = ()");
    expect(copy).toMatch(/ON_ERROR = ABORT_STATEMENT PURGE = TRUE$/);
  });

  it('undoes an append by the keys of the appended rows', () => {
    expect(deleteRowsWithKeysOf({ ...staging, name: 'ORDERS' }, staging, ['REGION', 'ID'])).toBe(
      'DELETE FROM "STEVE_MCP"."DATA_MIGRATION"."ORDERS" WHERE ("REGION", "ID") IN (SELECT "REGION", "ID" FROM "STEVE_MCP"."DATA_MIGRATION"."ORDERS__MIGRATING_AB12")',
    );
  });
});

describe('what a run created', () => {
  const target = { database: 'STEVE_MCP', schema: 'Data "X"', stage: 'MIGRATOR_STAGE' };

  it('is found missing by name', () => {
    expect(showDatabasesLike('STEVE_MCP')).toBe("SHOW DATABASES LIKE 'STEVE_MCP'");
    expect(showStagesLike(target.database, target.schema, target.stage)).toBe(
      `SHOW STAGES LIKE 'MIGRATOR_STAGE' IN SCHEMA "STEVE_MCP"."Data ""X"""`,
    );
  });

  it('is dropped with everything in it', () => {
    expect((['database', 'schema', 'stage'] as const).map((o) => dropContainer(o, target))).toEqual([
      'DROP DATABASE IF EXISTS "STEVE_MCP"',
      'DROP SCHEMA IF EXISTS "STEVE_MCP"."Data ""X"""',
      'DROP STAGE IF EXISTS "STEVE_MCP"."Data ""X"""."MIGRATOR_STAGE"',
    ]);
  });
});

describe('the calibration probe on the COPY path', () => {
  const probe = { database: 'STEVE_MCP', schema: 'data migration', name: 'MIGRATOR_PROBE_0A1B' };

  it('creates a TEMPORARY table of an index and one nullable column per probed type', () => {
    expect(
      createProbeTable(probe, 'I', [
        { name: 'V0', type: 'FLOAT' },
        { name: 'V1', type: 'VARCHAR(1)' },
      ]),
    ).toBe(
      'CREATE TEMPORARY TABLE "STEVE_MCP"."data migration"."MIGRATOR_PROBE_0A1B" ("I" NUMBER(10,0) NOT NULL, "V0" FLOAT, "V1" VARCHAR(1))',
    );
  });

  it("puts the file into the table's own stage, named as the documentation writes it", () => {
    expect(tableStageLocation(probe, 'probe')).toBe(
      '@"STEVE_MCP"."data migration".%MIGRATOR_PROBE_0A1B/probe/',
    );
    expect(() => tableStageLocation({ ...probe, name: 'probe' }, 'p')).toThrow(
      'A table stage is named here only for an upper-case unquoted name, not probe.',
    );
  });

  it('reads each type the way the content check does, per sentinel index', () => {
    expect(
      probeTableQuery(probe, 'I', [
        { name: 'V0', kind: 'float' },
        { name: 'V1', kind: 'text' },
      ]),
    ).toBe(
      'SELECT "I" AS "I", ' +
        `TO_VARCHAR("V0", 'S0.0000000000000000EEEEE') AS "T0", TO_NUMBER(SUBSTR(MD5(NVL2("V0", TO_VARCHAR("V0", 'S0.0000000000000000EEEEE'), '~')), 1, 15), 'XXXXXXXXXXXXXXX') AS "H0", ` +
        `"V1" AS "T1", TO_NUMBER(SUBSTR(MD5(NVL2("V1", OCTET_LENGTH("V1") || ':' || "V1", '~')), 1, 15), 'XXXXXXXXXXXXXXX') AS "H1" ` +
        'FROM "STEVE_MCP"."data migration"."MIGRATOR_PROBE_0A1B" ORDER BY "I"',
    );
  });
});
