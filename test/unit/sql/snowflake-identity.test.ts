import { MigrationError } from '../../../src/contracts/errors';
import {
  createSequence,
  dropSequence,
  identityEdgeQuery,
  nextValue,
  sequenceStart,
  setDefaultSequence,
  withIdentityDefault,
} from '../../../src/sql/snowflake/identity';

const table = { database: 'DB', schema: 'S', name: 'ORDERS' };
const sequence = { database: 'DB', schema: 'S', name: 'ORDERS__IDENTITY_K3X9QA' };

describe('identity columns as Snowflake sequences', () => {
  it('creates a sequence with its start, increment and what it is for', () => {
    expect(createSequence(sequence, '1001', '-5', 'identity', "dbo.o'rders")).toBe(
      'CREATE SEQUENCE IF NOT EXISTS "DB"."S"."ORDERS__IDENTITY_K3X9QA" START = 1001 INCREMENT = -5 ' +
        "COMMENT = 'continues the identity column of dbo.o\\'rders (sqlserver-snowflake-migrator)'",
    );
    expect(createSequence(sequence, '1', '1', 'placeholder', 'dbo.orders')).toMatch(
      / START = 1 INCREMENT = 1 COMMENT = 'placeholder for the identity column of dbo\.orders until it is published/,
    );
  });

  it('points a column at a sequence, and drops one that may be gone already', () => {
    expect(nextValue(sequence)).toBe('"DB"."S"."ORDERS__IDENTITY_K3X9QA".NEXTVAL');
    expect(setDefaultSequence(table, 'order id', sequence)).toBe(
      'ALTER TABLE "DB"."S"."ORDERS" ALTER COLUMN "order id" SET DEFAULT "DB"."S"."ORDERS__IDENTITY_K3X9QA".NEXTVAL',
    );
    expect(dropSequence(sequence)).toBe('DROP SEQUENCE IF EXISTS "DB"."S"."ORDERS__IDENTITY_K3X9QA"');
  });

  it('gives the identity column, and only it, the sequence as its default', () => {
    const columns = [
      { name: 'ID', type: 'NUMBER(10,0)', nullable: false },
      { name: 'AT', type: 'TIMESTAMP_NTZ(3)', nullable: true, default: 'SYSDATE()' },
    ];
    expect(withIdentityDefault(columns, { column: 'ID' }, sequence)).toEqual([
      { ...columns[0], default: '"DB"."S"."ORDERS__IDENTITY_K3X9QA".NEXTVAL' },
      columns[1],
    ]);
    expect(withIdentityDefault(columns, undefined, sequence)).toBe(columns);
  });

  it('reads the highest copied value, or the lowest when the identity counts down', () => {
    expect(identityEdgeQuery(table, 'ID', '1')).toBe(
      'SELECT TO_VARCHAR(MAX("ID")) AS V FROM "DB"."S"."ORDERS"',
    );
    expect(identityEdgeQuery(table, 'ID', '-1')).toBe(
      'SELECT TO_VARCHAR(MIN("ID")) AS V FROM "DB"."S"."ORDERS"',
    );
  });

  it('starts one increment after the copied values, or at the seed when none was copied', () => {
    expect(sequenceStart('41', '1', '1', 'dbo.t.id')).toBe('42');
    expect(sequenceStart('1000', '1', '10', 'dbo.t.id')).toBe('1010');
    expect(sequenceStart('-13', '-10', '-3', 'dbo.t.id')).toBe('-16');
    expect(sequenceStart(null, '100', '5', 'dbo.t.id')).toBe('100');
    // bigint's last value: exact beyond 2^53.
    expect(sequenceStart('9223372036854775806', '1', '1', 'dbo.t.id')).toBe('9223372036854775807');
  });

  it('refuses a start beyond the 64-bit values a Snowflake sequence holds', () => {
    const beyond = () => sequenceStart('9223372036854775807', '1', '1', 'dbo.t.id');
    expect(beyond).toThrow(MigrationError);
    expect(beyond).toThrow(
      'The identity column dbo.t.id would continue at 9223372036854775808, beyond the 64-bit integers a Snowflake sequence holds.',
    );
  });
});
