/**
 * FOREIGN KEY on the stand-in as on a standard Snowflake table: declared by CREATE TABLE or ALTER TABLE
 * ... ADD CONSTRAINT, listed by SHOW IMPORTED KEYS, not enforced.
 * https://docs.snowflake.com/en/sql-reference/constraints-overview
 * https://docs.snowflake.com/en/sql-reference/sql/alter-table (constraintAction)
 * https://docs.snowflake.com/en/sql-reference/sql/show-imported-keys
 */
import { TARGET, useEmulator } from './driver';

const target = useEmulator(async (client) => {
  await client.exec(`CREATE TABLE ${TARGET}."CUSTOMERS" ("ID" NUMBER(10,0) NOT NULL, PRIMARY KEY ("ID"))`);
  await client.exec(
    `CREATE TABLE ${TARGET}."ORDERS" ("ID" NUMBER(10,0) NOT NULL, "CUSTOMER_ID" NUMBER(10,0), PRIMARY KEY ("ID"))`,
  );
});

const imported = async (table: string) =>
  (await target.client.exec(`SHOW IMPORTED KEYS IN TABLE ${TARGET}.${table}`)).map((r) =>
    [r.fk_name, r.fk_table_name, r.fk_column_name, r.pk_table_name, r.pk_column_name, r.key_sequence].join(
      ' ',
    ),
  );

describe('foreign keys on the Snowflake stand-in', () => {
  it('keeps one added by ALTER TABLE, shows it, and does not enforce it', async () => {
    await target.client.exec(
      `ALTER TABLE ${TARGET}."ORDERS" ADD CONSTRAINT "FK_ORDERS_CUSTOMERS" FOREIGN KEY ("CUSTOMER_ID") ` +
        `REFERENCES ${TARGET}."CUSTOMERS" ("ID")`,
    );
    expect(await imported('"ORDERS"')).toEqual(['FK_ORDERS_CUSTOMERS ORDERS CUSTOMER_ID CUSTOMERS ID 1']);
    await target.client.exec(`INSERT INTO ${TARGET}."ORDERS" VALUES (1, 999)`);
    expect(await target.client.exec(`SELECT COUNT(*) AS N FROM ${TARGET}."ORDERS"`)).toEqual([{ N: 1 }]);
  });

  it('keeps one declared in CREATE TABLE, referencing the primary key when no columns are named', async () => {
    await target.client.exec(
      `CREATE TABLE ${TARGET}."LINES" ("ORDER_ID" NUMBER(10,0), "N" NUMBER(5,0), ` +
        `CONSTRAINT "FK_LINES_ORDERS" FOREIGN KEY ("ORDER_ID") REFERENCES ${TARGET}."ORDERS")`,
    );
    expect(await imported('"LINES"')).toEqual(['FK_LINES_ORDERS LINES ORDER_ID ORDERS ID 1']);
  });

  it('follows a renamed parent, and drops the key with the parent (DROP TABLE cascades)', async () => {
    await target.client.exec(`ALTER TABLE ${TARGET}."ORDERS" RENAME TO ${TARGET}."ORDERS_2"`);
    expect(await imported('"LINES"')).toEqual(['FK_LINES_ORDERS LINES ORDER_ID ORDERS_2 ID 1']);
    await target.client.exec(`DROP TABLE ${TARGET}."ORDERS_2"`);
    expect(await imported('"LINES"')).toEqual([]);
  });

  it('answers SHOW IMPORTED KEYS with the documented columns, in the documented order', async () => {
    await target.client.exec(
      `CREATE TABLE ${TARGET}."PAIRS" ("A" NUMBER(5,0) NOT NULL, "B" NUMBER(5,0) NOT NULL, PRIMARY KEY ("A", "B"))`,
    );
    await target.client.exec(
      `CREATE TABLE ${TARGET}."PAIR_REFS" ("X" NUMBER(5,0), "Y" NUMBER(5,0), ` +
        `CONSTRAINT "FK_PAIR" FOREIGN KEY ("Y", "X") REFERENCES ${TARGET}."PAIRS" ("A", "B"))`,
    );
    const rows = await target.client.exec(`SHOW IMPORTED KEYS IN TABLE ${TARGET}."PAIR_REFS"`);
    expect(Object.keys(rows[0]!)).toEqual([
      'created_on',
      'pk_database_name',
      'pk_schema_name',
      'pk_table_name',
      'pk_column_name',
      'fk_database_name',
      'fk_schema_name',
      'fk_table_name',
      'fk_column_name',
      'key_sequence',
      'update_rule',
      'delete_rule',
      'fk_name',
      'pk_name',
      'deferrability',
      'rely',
      'comment',
    ]);
    // One row per column of the key, in the key's order, each beside the column it references.
    expect(await imported('"PAIR_REFS"')).toEqual([
      'FK_PAIR PAIR_REFS Y PAIRS A 1',
      'FK_PAIR PAIR_REFS X PAIRS B 2',
    ]);
  });

  it('refuses a key over columns that are no primary or unique key of the parent', async () => {
    await expect(
      target.client.exec(
        `ALTER TABLE ${TARGET}."LINES" ADD FOREIGN KEY ("N") REFERENCES ${TARGET}."LINES" ("N")`,
      ),
    ).rejects.toThrow(
      /Unsupported feature 'FOREIGN KEY whose columns are not those of a primary or unique key/,
    );
  });
});
