/**
 * Which source foreign keys are declared in Snowflake, and the ALTER TABLE text that declares them
 * (https://docs.snowflake.com/en/sql-reference/sql/alter-table, constraintAction;
 * https://docs.snowflake.com/en/sql-reference/constraints-overview: declared, not enforced).
 */
import {
  foreignKeyVerdicts,
  type PublishedTable,
  type SourceForeignKey,
} from '../../../src/mapping/foreign-keys';
import { groupForeignKeys } from '../../../src/sqlserver/foreign-keys';

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

describe('groupForeignKeys', () => {
  it('gathers the column pairs of each constraint in key order', () => {
    const row = {
      constraint_schema: 'dbo',
      table_schema: 'dbo',
      table_name: 'lines',
      ref_schema: 'dbo',
      ref_table: 'orders',
    };
    expect(
      groupForeignKeys([
        { ...row, name: 'FK_a', column_name: 'order_id', ref_column: 'id' },
        { ...row, name: 'FK_a', column_name: 'order_rev', ref_column: 'rev' },
        { ...row, name: 'FK_b', column_name: 'x', ref_schema: null, ref_table: null, ref_column: null },
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
        columns: ['x'],
        referenced: null,
        refColumns: [],
      },
    ]);
  });
});
