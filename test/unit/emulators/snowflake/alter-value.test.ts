import { alterStored } from '../../../../emulators/snowflake/load/alter-value';
import { NS_PER_DAY } from '../../../../emulators/snowflake/values/calendar';
import { packTz, unpackTz } from '../../../../emulators/snowflake/values/parse';

describe('alterStored (the altered-loaded-values fault)', () => {
  it('changes one character of a string, or a GUID into the other byte order', () => {
    expect(alterStored({ kind: 'TEXT', length: 10 }, 'Zoë')).toBe('Zoì');
    expect(alterStored({ kind: 'TEXT', length: 10 }, 'xyz')).toBe('xyy');
    expect(alterStored({ kind: 'TEXT', length: 36 }, '6F9619FF-8B86-D011-B42D-00C04FC964FF')).toBe(
      'FF19966F-8B86-D011-B42D-00C04FC964FF',
    );
  });

  it('moves a number by its last digit, a float by its last bit, a boolean and a byte', () => {
    expect(alterStored({ kind: 'NUMBER', precision: 38, scale: 10 }, 123n)).toBe(124n);
    expect(alterStored({ kind: 'NUMBER', precision: 3, scale: 0 }, 999n)).toBe(998n);
    const f = alterStored({ kind: 'FLOAT' }, 0.1) as number;
    expect(f).not.toBe(0.1);
    expect(String(f)).toBe('0.10000000000000002');
    expect(alterStored({ kind: 'BOOLEAN' }, true)).toBe(false);
    expect(alterStored({ kind: 'BINARY', length: 3 }, Uint8Array.of(0x00, 0xff))).toEqual(
      Uint8Array.of(0x01, 0xff),
    );
  });

  it('moves a time or timestamp by one 100 ns tick, a date by a day, a TIMESTAMP_TZ offset by an hour', () => {
    expect(alterStored({ kind: 'TIMESTAMP_NTZ', scale: 7 }, 1_000n)).toBe(1_100n);
    expect(alterStored({ kind: 'TIME', scale: 7 }, NS_PER_DAY - 100n)).toBe(NS_PER_DAY - 200n);
    expect(alterStored({ kind: 'DATE' }, 19_000)).toBe(19_001);
    const altered = unpackTz(alterStored({ kind: 'TIMESTAMP_TZ', scale: 7 }, packTz(5_000n, 330)) as bigint);
    expect(altered).toEqual({ instantNs: 5_000n, offsetMinutes: 390 });
  });
});
