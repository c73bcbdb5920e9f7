/** Pure pieces behind what tedious' suite found: bitwise operators, SET options, names SQL Server has. */
import { arithmetic, arithmeticType } from '../../../../emulators/sqlserver/engine/operators';
import { SessionOptions, checkIsolation } from '../../../../emulators/sqlserver/engine/session-options';
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
    // ANSI_NULL_DFLT_OFF ON sets ANSI_NULL_DFLT_ON OFF: new columns are NOT NULL.
    options.setFlag('ansi_null_dflt_off', true);
    expect(options.flags & (1024 | 2048)).toBe(2048);
    expect(options.nullableByDefault).toBe(false);
    options.setFlag('ansi_null_dflt_on', true);
    expect(options.flags & (1024 | 2048)).toBe(1024);
    expect(options.nullableByDefault).toBe(true);
    options.setFlag('xact_abort', true);
    expect(options.xactAbort).toBe(true);
    expect(options.flags & 16384).toBe(16384);
    // -1 is unlimited and @@TEXTSIZE reports it as -1.
    options.setTextSize(-1);
    expect(options.textSize).toBe(-1);
    expect(options.limits({ name: 'nvarchar', length: -1 })).toBe(false);
    expect(() => options.setTextSize(-2)).toThrow(/SET TEXTSIZE -2/);
    options.setTextSize(4);
    expect(options.limit({ name: 'nvarchar', length: -1 }, 'abcdef')).toBe('ab');
    expect(options.limits({ name: 'nvarchar', length: 10 })).toBe(false);
  });

  it('refuse ANSI_DEFAULTS as a whole, naming the option it would set that the stand-in does not run', () => {
    const options = new SessionOptions();
    expect(() => options.setFlag('ansi_defaults', true)).toThrow(
      'The SQL Server stand-in does not support SET ANSI_DEFAULTS ON (it sets IMPLICIT_TRANSACTIONS).',
    );
    expect(() => options.setFlag('ansi_defaults', false)).toThrow(/ANSI_DEFAULTS OFF \(it sets ANSI_NULLS\)/);
    expect(options.flags).toBe(5496);
  });

  it('take the other options only at their value in a new session', () => {
    const options = new SessionOptions();
    options.setFlag('statistics io', false);
    expect(() => options.setFlag('statistics io', true)).toThrow(/SET STATISTICS IO ON/);
    options.setValue('deadlock_priority', 'NORMAL');
    options.setValue('deadlock_priority', 0);
    options.setValue('lock_timeout', -1);
    options.setValue('language', 'English');
    expect(() => options.setValue('rowcount', 10)).toThrow(/SET ROWCOUNT 10 \(only 0\)/);
    expect(() => options.setValue('deadlock_priority', 'HIGH')).toThrow(/only normal/);
    expect(() => checkIsolation('serializable')).toThrow(/SERIALIZABLE isolation level/);
    expect(() => checkIsolation('snapshot')).not.toThrow();
  });
});

describe('transaction manager requests', () => {
  it('read a name whose length counts bytes', () => {
    const name = Buffer.from('tx1', 'utf16le');
    const payload = Buffer.concat([Buffer.from([5, 0, 2, name.length]), name]);
    expect(parseTransactionManager(payload)).toEqual({ kind: 'begin', isolationLevel: 2, name: 'tx1' });
  });
});
