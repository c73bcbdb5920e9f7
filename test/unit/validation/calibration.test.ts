import { csvRowFormatter } from '../../../src/mapping/values';
import {
  checkProbe,
  expected,
  loadedSentinels,
  probeBatch,
  refusedSentinel,
  sentinels,
} from '../../../src/validation/calibration';
import { rejectedValue } from '../../../src/snowflake/errors';

describe('calibration probe: sentinels and the comparison', () => {
  it('chooses sentinels that fit the type: the widest decimal of NUMBER(p,s), strings of VARCHAR(n)', () => {
    expect(sentinels({ kind: 'text-number', targetType: 'NUMBER(5,2)' })).toEqual([
      '0.00',
      '999.99',
      '-999.99',
      '0.01',
      '-0.01',
    ]);
    expect(sentinels({ kind: 'text-number', targetType: 'NUMBER(3,3)' })[1]).toBe('.999');
    expect(sentinels({ kind: 'text', targetType: 'VARCHAR(1)' })).toEqual(['', '😀']);
    expect(sentinels({ kind: 'timestamp-tz', targetType: 'TIMESTAMP_TZ(0)' })).toEqual([
      '0001-01-01 14:00:00 +14:00',
      '9999-12-31 09:59:59 -14:00',
      '2024-06-30 23:00:00 +05:45',
    ]);
    expect(sentinels({ kind: 'float', targetType: 'FLOAT' })).toContain('-0');
  });

  const type = { kind: 'float' as const, targetType: 'FLOAT' };
  const loaded = ['0.1', '-0'];
  const right = loaded.map((v, index) => ({ index, ...expected('float', v) }));

  it('passes answers equal to the worker texts and hashes, in any order', () => {
    expect(() => checkProbe(type, loaded, [...right].reverse())).not.toThrow();
  });

  it('names the type, the value and both texts at the first difference', () => {
    const wrong = [right[0]!, { ...right[1]!, text: '+0.0000000000000000E+000' }];
    expect(() => checkProbe(type, loaded, wrong)).toThrow(
      'Calibration: Snowflake prints the FLOAT value "-0" as "+0.0000000000000000E+000", the worker as "-0.0000000000000000E+000".',
    );
    expect(() => checkProbe(type, loaded, [right[0]!])).toThrow(
      'Calibration: Snowflake prints the FLOAT value "-0" as null, the worker as "-0.0000000000000000E+000".',
    );
    const badHash = [{ ...right[0]!, hash: '1' }, right[1]!];
    expect(() => checkProbe(type, loaded, badHash)).toThrow(
      `Calibration: Snowflake's row hash of the FLOAT value "0.1" ("+1.0000000000000001E-001") is 1, the worker's ${right[0]!.hash}.`,
    );
  });

  it('names the load path a value took when the caller gives it', () => {
    const wrong = [right[0]!, { ...right[1]!, text: '+0.0000000000000000E+000' }];
    expect(() => checkProbe(type, loaded, wrong, 'loaded by PUT and COPY INTO')).toThrow(
      'Calibration: Snowflake prints the FLOAT value "-0" loaded by PUT and COPY INTO as "+0.0000000000000000E+000", the worker as "-0.0000000000000000E+000".',
    );
  });
});

describe('calibration probe: the batch file of the COPY path', () => {
  const float = { kind: 'float' as const, targetType: 'FLOAT' };
  const flag = { kind: 'boolean' as const, targetType: 'BOOLEAN' };
  const char = { kind: 'text' as const, targetType: 'VARCHAR(1)' };
  const bytes = { kind: 'binary' as const, targetType: 'BINARY(1)' };
  const lines = (types: (typeof float | typeof flag | typeof char | typeof bytes)[]) => {
    const { description, rows } = probeBatch(types);
    return rows.map(csvRowFormatter(description, []));
  };

  it("writes a row per sentinel index, a column per type, NULL (an empty field) past a type's last", () => {
    expect(lines([float, flag]).slice(0, 4)).toEqual([
      '0,0,TRUE\n',
      '1,-0,FALSE\n',
      '2,0.1,\n',
      '3,0.10000000149011612,\n',
    ]);
    expect(lines([float, flag])).toHaveLength(12);
  });

  it('quotes character data and writes an empty binary as "", as the batch writer does', () => {
    expect(lines([char, bytes])).toEqual(['0,"",""\n', '1,"😀",00\n']);
  });

  it('binds the same texts the INSERT path probes, type by type', () => {
    expect(loadedSentinels([float, char, bytes])).toEqual([sentinels(float), ['', '😀'], ['', '00']]);
  });

  it('names the type and value of a sentinel COPY refused, from where its message points', () => {
    const message =
      "Date '9999-12-31' is not recognized\n  File 'probe/probe.csv.gz', line 2, character 12\n" +
      '  Row 2, column "MIGRATOR_PROBE_0A1B"["V1":3]';
    const refused = refusedSentinel(
      [float, { kind: 'date', targetType: 'DATE' }],
      rejectedValue(message),
      'loaded by PUT and COPY INTO',
    );
    expect(refused.type).toBe('CalibrationMismatch');
    expect(refused.message).toBe(
      'Calibration: Snowflake refused the DATE value "9999-12-31" loaded by PUT and COPY INTO, which the worker loads as it is: Date \'9999-12-31\' is not recognized',
    );
    expect(
      refusedSentinel([float, flag], rejectedValue('Numeric value is out of range'), 'via COPY').message,
    ).toBe(
      'Calibration: Snowflake refused a value of FLOAT, BOOLEAN via COPY, which the worker loads as it is: Numeric value is out of range',
    );
  });
});
