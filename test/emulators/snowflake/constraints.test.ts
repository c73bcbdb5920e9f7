/**
 * PRIMARY KEY and UNIQUE on the stand-in as on a standard Snowflake table: kept in the catalog, where
 * DESCRIBE TABLE shows them, and not enforced (only NOT NULL is).
 * https://docs.snowflake.com/en/sql-reference/constraints
 * https://docs.snowflake.com/en/sql-reference/sql/desc-table ("primary key", "unique key")
 */
import { TARGET, useEmulator } from './driver';

const target = useEmulator(async (client) => {
  await client.exec(
    `CREATE TABLE ${TARGET}."PEOPLE" ("ID" NUMBER(10,0) NOT NULL, "EMAIL" VARCHAR(200) UNIQUE, ` +
      `"A" VARCHAR(10), "B" VARCHAR(10), "_MIGRATION_BATCH" NUMBER(18,0) NOT NULL, ` +
      `PRIMARY KEY ("ID"), UNIQUE ("A", "B"))`,
  );
});

const keys = async (table: string) =>
  (await target.client.exec(`DESCRIBE TABLE ${TARGET}.${table}`)).map((r) => [
    r.name,
    r['primary key'],
    r['unique key'],
  ]);

describe('declared constraints on the Snowflake stand-in', () => {
  it('shows the primary and unique keys in DESCRIBE TABLE', async () => {
    expect(await keys('"PEOPLE"')).toEqual([
      ['ID', 'Y', 'N'],
      ['EMAIL', 'N', 'Y'],
      ['A', 'N', 'Y'],
      ['B', 'N', 'Y'],
      ['_MIGRATION_BATCH', 'N', 'N'],
    ]);
  });

  it('does not enforce them: duplicate keys load', async () => {
    await target.client.exec(
      `INSERT INTO ${TARGET}."PEOPLE" VALUES (1, 'a@x', 'p', 'q', 1), (1, 'a@x', 'p', 'q', 1)`,
    );
    expect(await target.client.exec(`SELECT COUNT(*) AS N FROM ${TARGET}."PEOPLE"`)).toEqual([{ N: 2 }]);
  });

  it('keeps them through dropping another column, renaming and cloning the table', async () => {
    await target.client.exec(`ALTER TABLE ${TARGET}."PEOPLE" DROP COLUMN "_MIGRATION_BATCH"`);
    await target.client.exec(`ALTER TABLE ${TARGET}."PEOPLE" RENAME TO ${TARGET}."PERSONS"`);
    await target.client.exec(`CREATE TABLE ${TARGET}."PERSONS_COPY" CLONE ${TARGET}."PERSONS"`);
    const expected = [
      ['ID', 'Y', 'N'],
      ['EMAIL', 'N', 'Y'],
      ['A', 'N', 'Y'],
      ['B', 'N', 'Y'],
    ];
    expect(await keys('"PERSONS"')).toEqual(expected);
    expect(await keys('"PERSONS_COPY"')).toEqual(expected);
  });

  it('keeps DEFAULT UUID_STRING() declared, and refuses a row that would need its value', async () => {
    await target.client.exec(
      `CREATE TABLE ${TARGET}."TOKENS" ("ID" NUMBER(10,0), "TOKEN" VARCHAR(36) DEFAULT UUID_STRING())`,
    );
    const described = await target.client.exec(`DESCRIBE TABLE ${TARGET}."TOKENS"`);
    expect(described.map((r) => [r.name, r.default])).toEqual([
      ['ID', null],
      ['TOKEN', 'UUID_STRING()'],
    ]);
    await target.client.exec(`INSERT INTO ${TARGET}."TOKENS" ("ID", "TOKEN") VALUES (1, 'given')`);
    await expect(target.client.exec(`INSERT INTO ${TARGET}."TOKENS" ("ID") VALUES (2)`)).rejects.toThrow(
      /DEFAULT UUID_STRING\(\) for rows that leave TOKEN out/,
    );
    expect(await target.client.exec(`SELECT "TOKEN" FROM ${TARGET}."TOKENS"`)).toEqual([{ TOKEN: 'given' }]);
  });

  it('keeps the table and column comments the migrator writes from MS_Description', async () => {
    await target.client.exec(
      `CREATE TABLE ${TARGET}."NOTED" ("ID" NUMBER(10,0) NOT NULL, "NOTE" VARCHAR(20) COMMENT 'Free text \\\\ it\\'s' DEFAULT 'x' NOT NULL) COMMENT = 'People\\'s records'`,
    );
    const described = await target.client.exec(`DESCRIBE TABLE ${TARGET}."NOTED"`);
    expect(described.map((r) => [r.name, r.comment, r.default, r['null?']])).toEqual([
      ['ID', null, null, 'N'],
      ['NOTE', "Free text \\ it's", "'x'", 'N'],
    ]);
    const [shown] = await target.client.exec(`SHOW TABLES LIKE 'NOTED' IN SCHEMA ${TARGET}`);
    expect(shown!.comment).toBe("People's records");
  });

  it('refuses a unique key over a column the table does not have', async () => {
    await expect(
      target.client.exec(`CREATE TABLE ${TARGET}."BAD" ("ID" NUMBER(10,0), UNIQUE ("NOPE"))`),
    ).rejects.toThrow(/NOPE/);
  });
});
