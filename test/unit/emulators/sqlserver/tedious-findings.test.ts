/** Pure pieces behind what tedious' suite found: bitwise operators, SET options, names SQL Server has. */
import { arithmetic, arithmeticType } from '../../../../emulators/sqlserver/engine/operators';
import { SessionOptions } from '../../../../emulators/sqlserver/engine/session-options';
import { SqlError } from '../../../../emulators/sqlserver/errors';
import { parseTransactionManager } from '../../../../emulators/sqlserver/tds/requests';
import type { SqlType } from '../../../../emulators/sqlserver/types/sql-type';
import type { SqlValue } from '../../../../emulators/sqlserver/types/values';

const INT: SqlType = { name: 'int' };
const BIT: SqlType = { name: 'bit' };
const SMALLINT: SqlType = { name: 'smallint' };

const bitwise = (op: '&' | '|' | '^', a: [SqlType, SqlValue], b: [SqlType, SqlValue]) => {
  const type = arithmeticType(op, a[0], b[0]);
  return {
    type: type.name,
    value: arithmetic(op, { type: a[0], value: a[1] }, { type: b[0], value: b[1] }, type),
  };
};

describe('bitwise operators', () => {
  it('take integers and bits with SQL Server result types', () => {
    expect(bitwise('&', [INT, 5496], [SMALLINT, 1024])).toEqual({ type: 'int', value: 1024 });
    expect(bitwise('|', [INT, -8], [INT, 3])).toEqual({ type: 'int', value: -5 });
    expect(bitwise('^', [BIT, true], [BIT, true])).toEqual({ type: 'bit', value: false });
    expect(bitwise('&', [BIT, true], [INT, 3])).toEqual({ type: 'int', value: 1 });
    expect(bitwise('&', [INT, null], [INT, 3])).toEqual({ type: 'int', value: null });
    expect(() => arithmeticType('&', { name: 'float' }, INT)).toThrow(/incompatible in the '&' operator/);
  });
});

describe('SET options', () => {
  it('keep what they can honour and refuse other behaviours', () => {
    const options = new SessionOptions();
    options.setFlag('arithabort', false);
    options.setFlag('cursor_close_on_commit', true);
    expect(options.flags & 64).toBe(0);
    expect(options.flags & 4).toBe(4);
    expect(() => options.setFlag('ansi_nulls', false)).toThrow(SqlError);
    expect(() => options.setFlag('numeric_roundabort', true)).toThrow(/SET NUMERIC_ROUNDABORT ON/);
    options.setFlag('xact_abort', true);
    expect(options.xactAbort).toBe(true);
    expect(options.flags & 16384).toBe(16384);
    options.setTextSize(-1);
    expect(options.textSize).toBe(2_147_483_647);
    options.setTextSize(4);
    expect(options.limit({ name: 'nvarchar', length: -1 }, 'abcdef')).toBe('ab');
    expect(options.limits({ name: 'nvarchar', length: 10 })).toBe(false);
  });
});

describe('transaction manager requests', () => {
  it('read a name whose length counts bytes', () => {
    const name = Buffer.from('tx1', 'utf16le');
    const payload = Buffer.concat([Buffer.from([5, 0, 2, name.length]), name]);
    expect(parseTransactionManager(payload)).toEqual({ kind: 'begin', isolationLevel: 2, name: 'tx1' });
  });
});
