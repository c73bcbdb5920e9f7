/**
 * Which source foreign keys are declared in Snowflake, and the ALTER TABLE text that declares them
 * (https://docs.snowflake.com/en/sql-reference/sql/alter-table, constraintAction;
 * https://docs.snowflake.com/en/sql-reference/constraints-overview: declared, not enforced).
 */
import {
  foreignKeyVerdicts,
  groupForeignKeys,
  uniqueConstraintNames,
  type ForeignKeyRow,
  type PublishedTable,
  type SourceForeignKey,
} from '../../../src/mapping/foreign-keys';

const at = (name: string) => ({ database: 'DB', schema: 'S', name });

const customers: PublishedTable = {
  source: { schema: 'dbo', table: 'customers' },
  target: at('CUSTOMERS'),
  columns: ['CUSTOMER_ID', 'EMAIL', 'IS_MIGRATED'],
  primaryKey: ['CUSTOMER_ID'],
  uniqueColumns: ['EMAIL'],
};
const orders: PublishedTable = {
  source: { schema: 'dbo', table: 'orders' },
  target: at('ORDERS'),
  columns: ['ORDER_ID', 'CUSTOMER_ID', 'CUSTOMER_EMAIL'],
  primaryKey: ['ORDER_ID'],
  uniqueColumns: [],
};

const key = (over: Partial<SourceForeignKey>): SourceForeignKey => ({
  name: 'FK_orders_customers',
  table: { schema: 'dbo', table: 'Orders' },
  columns: ['customer_id'],
  referenced: { schema: 'dbo', table: 'customers' },
  refColumns: ['customer_id'],
  ...over,
});

describe('foreignKeyVerdicts', () => {
  it('declares a key between two published tables, named as the source names it', () => {
    expect(foreignKeyVerdicts([key({})], [customers, orders])).toEqual({
      declare: [
        {
          name: 'FK_ORDERS_CUSTOMERS',
          table: at('ORDERS'),
          sql:
            'ALTER TABLE "DB"."S"."ORDERS" ADD CONSTRAINT "FK_ORDERS_CUSTOMERS" FOREIGN KEY ("CUSTOMER_ID") ' +
            'REFERENCES "DB"."S"."CUSTOMERS" ("CUSTOMER_ID")',
        },
      ],
      notCarried: [],
    });
  });

  it('declares one referencing a unique key of the parent', () => {
    const verdict = foreignKeyVerdicts(
      [key({ columns: ['customer_email'], refColumns: ['email'] })],
      [customers, orders],
    );
    expect(verdict.declare.map((d) => d.sql)).toEqual([
      'ALTER TABLE "DB"."S"."ORDERS" ADD CONSTRAINT "FK_ORDERS_CUSTOMERS" FOREIGN KEY ("CUSTOMER_EMAIL") ' +
        'REFERENCES "DB"."S"."CUSTOMERS" ("EMAIL")',
    ]);
  });

  it('lists as not carried a key whose parent the run did not publish, or whose columns are not copied', () => {
    const verdict = foreignKeyVerdicts(
      [
        key({}),
        key({
          name: 'FK_orders_region',
          columns: ['region_id'],
          referenced: { schema: 'dbo', table: 'regions' },
        }),
        key({ name: 'FK_orders_ref', referenced: null, refColumns: [] }),
        key({ name: 'FK_orders_email', columns: ['customer_email'], refColumns: ['IS_MIGRATED'] }),
      ],
      [orders],
    );
    expect(verdict.declare).toEqual([]);
    expect(verdict.notCarried).toEqual([
      {
        name: 'FK_orders_customers',
        table: 'dbo.Orders',
        why: 'it references dbo.customers, which this run did not publish',
      },
      {
        name: 'FK_orders_region',
        table: 'dbo.Orders',
        why: 'it references dbo.regions, which this run did not publish',
      },
      {
        name: 'FK_orders_ref',
        table: 'dbo.Orders',
        why: 'it references a unique index, not a key constraint, which Snowflake cannot reference',
      },
      {
        name: 'FK_orders_email',
        table: 'dbo.Orders',
        why: 'it references dbo.customers, which this run did not publish',
      },
    ]);
    expect(
      foreignKeyVerdicts(
        [
          key({ columns: ['gone'] }),
          key({ name: 'FK_x', columns: ['customer_email'], refColumns: ['is_migrated'] }),
          key({ name: 'FK_y', refColumns: ['gone'] }),
        ],
        [customers, orders],
      ).notCarried.map((k) => k.why),
    ).toEqual([
      'its column GONE is not copied',
      'DB.S.CUSTOMERS declares no primary or unique key over (IS_MIGRATED)',
      'the referenced column GONE is not copied',
    ]);
  });

  it('ignores keys of tables the run did not publish', () => {
    expect(
      foreignKeyVerdicts([key({ table: { schema: 'dbo', table: 'invoices' } })], [customers, orders]),
    ).toEqual({
      declare: [],
      notCarried: [],
    });
  });
});

describe('foreign key names in one Snowflake schema', () => {
  // Two source schemas, one Snowflake schema (target.schemas: single): each has an FK_lines_orders.
  const salesOrders: PublishedTable = {
    ...orders,
    source: { schema: 'sales', table: 'orders' },
    target: at('S_ORDERS'),
  };
  const dboLines: PublishedTable = {
    source: { schema: 'dbo', table: 'lines' },
    target: at('LINES'),
    columns: ['ORDER_ID'],
    primaryKey: [],
    uniqueColumns: [],
  };
  const salesLines: PublishedTable = {
    ...dboLines,
    source: { schema: 'sales', table: 'lines' },
    target: at('S_LINES'),
  };
  const lineKey = (schema: string): SourceForeignKey => ({
    name: 'FK_lines_orders',
    table: { schema, table: 'lines' },
    columns: ['order_id'],
    referenced: { schema, table: 'orders' },
    refColumns: ['order_id'],
  });

  it('names each of two clashing keys after its source schema, and says so', () => {
    const { declare } = foreignKeyVerdicts(
      [lineKey('dbo'), lineKey('sales')],
      [orders, salesOrders, dboLines, salesLines],
    );
    expect(declare.map((d) => [d.name, d.renamedFrom, d.sql])).toEqual([
      [
        'DBO_FK_LINES_ORDERS',
        'FK_LINES_ORDERS',
        'ALTER TABLE "DB"."S"."LINES" ADD CONSTRAINT "DBO_FK_LINES_ORDERS" FOREIGN KEY ("ORDER_ID") ' +
          'REFERENCES "DB"."S"."ORDERS" ("ORDER_ID")',
      ],
      [
        'SALES_FK_LINES_ORDERS',
        'FK_LINES_ORDERS',
        'ALTER TABLE "DB"."S"."S_LINES" ADD CONSTRAINT "SALES_FK_LINES_ORDERS" FOREIGN KEY ("ORDER_ID") ' +
          'REFERENCES "DB"."S"."S_ORDERS" ("ORDER_ID")',
      ],
    ]);
  });

  it('keeps the source names where the keys land in different Snowflake schemas (perSource)', () => {
    const apart = (t: PublishedTable): PublishedTable => ({ ...t, target: { ...t.target, schema: 'SALES' } });
    const { declare } = foreignKeyVerdicts(
      [lineKey('dbo'), lineKey('sales')],
      [orders, apart(salesOrders), dboLines, apart(salesLines)],
    );
    expect(declare.map((d) => [d.name, d.renamedFrom])).toEqual([
      ['FK_LINES_ORDERS', undefined],
      ['FK_LINES_ORDERS', undefined],
    ]);
  });

  it('numbers a name still taken after the schema is added; names differing only in case clash too', () => {
    const table = at('T');
    expect(
      uniqueConstraintNames([
        { sourceSchema: 'dbo', name: 'SALES_FK_X', table },
        { sourceSchema: 'sales', name: 'fk_x', table },
        { sourceSchema: 'dbo', name: 'FK_X', table },
        { sourceSchema: 'dbo', name: 'FK_Y', table: at('OTHER') },
      ]),
    ).toEqual(['SALES_FK_X', 'SALES_FK_X_2', 'DBO_FK_X', 'FK_Y']);
  });
});

describe('groupForeignKeys', () => {
  const row = (over: Partial<ForeignKeyRow>): ForeignKeyRow => ({
    table_schema: 'dbo',
    name: 'FK_a',
    table_name: 'lines',
    column_name: 'order_id',
    ref_schema: 'dbo',
    ref_table: 'orders',
    ref_column: 'id',
    ref_is_primary_key: true,
    ref_is_unique_constraint: false,
    ref_key_ordinal: 1,
    ...over,
  });

  it("keeps each column beside the column it references, in the referenced key's order", () => {
    // FOREIGN KEY (order_rev, order_id) REFERENCES dbo.orders (rev, id), the parent's key being (id, rev):
    // the rows come in the key's own order (constraint_column_id), each pair as sys.foreign_key_columns has it.
    expect(
      groupForeignKeys([
        row({ column_name: 'order_rev', ref_column: 'rev', ref_key_ordinal: 2 }),
        row({ column_name: 'order_id', ref_column: 'id', ref_key_ordinal: 1 }),
        row({
          name: 'FK_b',
          column_name: 'code',
          ref_table: 'codes',
          ref_column: 'code',
          ref_key_ordinal: 1,
        }),
      ]),
    ).toEqual([
      {
        name: 'FK_a',
        table: { schema: 'dbo', table: 'lines' },
        columns: ['order_id', 'order_rev'],
        referenced: { schema: 'dbo', table: 'orders' },
        refColumns: ['id', 'rev'],
      },
      {
        name: 'FK_b',
        table: { schema: 'dbo', table: 'lines' },
        columns: ['code'],
        referenced: { schema: 'dbo', table: 'codes' },
        refColumns: ['code'],
      },
    ]);
  });

  it('tells a key that references a UNIQUE constraint from one that references a unique index', () => {
    const keys = groupForeignKeys([
      row({ name: 'FK_uq', ref_is_primary_key: false, ref_is_unique_constraint: true }),
      row({ name: 'FK_ix', ref_is_primary_key: false, ref_is_unique_constraint: false }),
    ]);
    expect(keys.map((k) => [k.name, k.referenced])).toEqual([
      ['FK_uq', { schema: 'dbo', table: 'orders' }],
      ['FK_ix', null],
    ]);
  });

  it('keeps apart two keys of one name in two schemas', () => {
    expect(groupForeignKeys([row({}), row({ table_schema: 'sales' })]).map((k) => k.table.schema)).toEqual([
      'dbo',
      'sales',
    ]);
  });
});
