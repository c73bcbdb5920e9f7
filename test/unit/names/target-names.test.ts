import { tableNames, targetNameClash, targetSchemaName } from '../../../src/names/target-names';

const target = { database: 'DB', schema: 'DATA_MIGRATION' };
const names = (source: { schema: string; table: string }, schemas?: 'single' | 'perSource') =>
  tableNames({ index: 3, runTag: 'ab12', source, target: { ...target, schemas } });

describe('target.schemas', () => {
  it('single (the default): every table, its staging and its replaced copy in the target schema', () => {
    expect(names({ schema: 'sales', table: 'orders' })).toEqual({
      target: { database: 'DB', schema: 'DATA_MIGRATION', name: 'ORDERS' },
      staging: { database: 'DB', schema: 'DATA_MIGRATION', name: 'ORDERS__MIGRATING_AB12' },
      replaced: { database: 'DB', schema: 'DATA_MIGRATION', name: 'ORDERS__REPLACED_AB12' },
      stagePath: 'ab12/t3',
      identitySequence: { database: 'DB', schema: 'DATA_MIGRATION', name: 'ORDERS__IDENTITY_AB12' },
      identityPlaceholder: {
        database: 'DB',
        schema: 'DATA_MIGRATION',
        name: 'ORDERS__IDENTITY_PLACEHOLDER_AB12',
      },
    });
  });

  it('perSource: the source schema named by the rule table names follow, for all three tables', () => {
    const {
      target: t,
      staging,
      replaced,
      stagePath,
    } = names({ schema: 'sales', table: 'orders' }, 'perSource');
    expect([t, staging, replaced].map((n) => `${n.database}.${n.schema}.${n.name}`)).toEqual([
      'DB.SALES.ORDERS',
      'DB.SALES.ORDERS__MIGRATING_AB12',
      'DB.SALES.ORDERS__REPLACED_AB12',
    ]);
    expect(stagePath).toBe('ab12/t3'); // the stage stays in the target schema
    // A name Snowflake would need quotes for keeps its case, as a table name does.
    expect(targetSchemaName({ schema: 'my schema', table: 't' }, { schema: 'X', schemas: 'perSource' })).toBe(
      'my schema',
    );
    expect(targetSchemaName({ schema: 'Person', table: 't' }, { schema: 'X', schemas: 'perSource' })).toBe(
      'PERSON',
    );
  });
});

describe('targetNameClash', () => {
  const tables = [{ source: 'dbo.customers' }, { source: 'sales.Customers' }];

  it('refuses two tables of one name from two schemas into the single target schema', () => {
    expect(targetNameClash(tables)).toEqual({
      index: 1,
      message:
        'dbo.customers and sales.Customers would both be migrated to CUSTOMERS: give one of them another name with target in its migration.tables entry.',
    });
  });

  it('perSource: accepts them (DBO.CUSTOMERS and SALES.CUSTOMERS), refuses a clash within one schema', () => {
    expect(targetNameClash(tables, 'perSource')).toBeUndefined();
    expect(
      targetNameClash(
        [{ source: 'sales.customers' }, { source: 'sales.clients', target: 'customers' }],
        'perSource',
      ),
    ).toEqual({
      index: 1,
      message:
        'sales.customers and sales.clients would both be migrated to SALES.CUSTOMERS: give one of them another name with target in its migration.tables entry.',
    });
  });
});
