/**
 * The calibration probe against the Snowflake stand-in through the real driver: every type the migrator
 * maps to prints its sentinels as the worker expects; with the stand-in's `roundFloatTiesToEven` fault
 * (an account whose FLOAT digits round a tie to even) the probe names the type and both texts.
 */
import type { ValueKind } from '../../../src/mapping/type-map';
import { calibrate } from '../../../src/snowflake/calibrate';
import type { ProbeType } from '../../../src/validation/calibration';
import { useEmulator } from './driver';

const TYPES: [ValueKind, string][] = [
  ['float', 'FLOAT'],
  ['number', 'NUMBER(10,0)'],
  ['number', 'NUMBER(3,0)'],
  ['text-number', 'NUMBER(19,0)'],
  ['text-number', 'NUMBER(38,10)'],
  ['text-number', 'NUMBER(19,4)'],
  ['text-number', 'NUMBER(12,12)'],
  ['boolean', 'BOOLEAN'],
  ['text', 'VARCHAR'],
  ['text', 'VARCHAR(1)'],
  ['binary', 'BINARY'],
  ['binary', 'BINARY(1)'],
  ['date', 'DATE'],
  ['time', 'TIME(0)'],
  ['time', 'TIME(7)'],
  ['timestamp-ntz', 'TIMESTAMP_NTZ(3)'],
  ['timestamp-ntz', 'TIMESTAMP_NTZ(7)'],
  ['timestamp-tz', 'TIMESTAMP_TZ(0)'],
  ['timestamp-tz', 'TIMESTAMP_TZ(7)'],
  ['spatial', 'GEOGRAPHY'],
  ['spatial', 'GEOMETRY'],
];

const target = useEmulator();

const probe = (type: ProbeType) => calibrate(target.client.connection, [type]);

describe('calibration probe on the Snowflake stand-in', () => {
  afterEach(() => target.emulator.faults.clear());

  it.each(TYPES)('%s %s: Snowflake prints every sentinel as the worker does', async (kind, targetType) => {
    await expect(probe({ kind, targetType })).resolves.toBeUndefined();
  });

  it('names the type and both texts when FLOAT digits round a tie otherwise', async () => {
    target.emulator.faults.roundFloatTiesToEven();
    await expect(probe({ kind: 'float', targetType: 'FLOAT' })).rejects.toThrow(
      'Calibration: Snowflake prints the FLOAT value "123456789012345.62" as "+1.2345678901234562E+014", the worker as "+1.2345678901234563E+014".',
    );
  });
});
