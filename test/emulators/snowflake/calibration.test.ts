/**
 * The calibration probe against the Snowflake stand-in through the real driver: every type the migrator
 * maps to prints its sentinels as the worker expects, bound by INSERT and loaded by PUT and COPY INTO;
 * with the stand-in's `roundFloatTiesToEven` fault (an account whose FLOAT digits round a tie to even),
 * or a value altered on COPY only, the probe names the type and both texts; nothing is left behind, and
 * without the target schema only the INSERT path is probed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ValueKind } from '../../../src/mapping/type-map';
import { calibrate, type CalibrationPlace } from '../../../src/snowflake/calibrate';
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
  ['variant', 'VARIANT'],
];

const target = useEmulator();
const workDir = mkdtempSync(path.join(tmpdir(), 'calibration-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const place: CalibrationPlace = { database: 'STEVE_MCP', schema: 'DATA_MIGRATION', workDir };
const probe = (type: ProbeType, where = place) => calibrate(target.client.connection, [type], where);

/** The probe's temporary tables this session still sees (none once a probe ends). */
const probeTables = () =>
  target.client.exec(`SHOW TABLES LIKE 'MIGRATOR_PROBE%' IN SCHEMA "STEVE_MCP"."DATA_MIGRATION"`);

describe('calibration probe on the Snowflake stand-in', () => {
  afterEach(() => target.emulator.faults.clear());

  it.each(TYPES)('%s %s: Snowflake prints every sentinel as the worker does', async (kind, targetType) => {
    await expect(probe({ kind, targetType })).resolves.toEqual({ proven: true });
  });

  it("loads every type in one batch file (a column each, NULL past a type's last sentinel) and leaves nothing", async () => {
    const types = TYPES.map(([kind, targetType]) => ({ kind, targetType }));
    await expect(calibrate(target.client.connection, types, place)).resolves.toEqual({ proven: true });
    expect(await probeTables()).toEqual([]);
    expect(readdirSync(workDir)).toEqual([]);
  });

  it('names the type, the load path and both texts when COPY alone stores a value otherwise', async () => {
    // The third FLOAT sentinel, 0.1, stored with its last bit flipped, by COPY only (INSERT binds unaltered).
    target.emulator.faults.alterLoadedValues({
      column: 'V0',
      table: 'MIGRATOR_PROBE_',
      during: 'COPY',
      skip: 2,
    });
    await expect(probe({ kind: 'float', targetType: 'FLOAT' })).rejects.toThrow(
      'Calibration: Snowflake prints the FLOAT value "0.1" loaded by PUT and COPY INTO as "+1.0000000000000002E-001", the worker as "+1.0000000000000001E-001".',
    );
    expect(await probeTables()).toEqual([]);
    expect(readdirSync(workDir)).toEqual([]);
  });

  it('probes the INSERT path only, and creates nothing, where the target schema does not exist yet', async () => {
    const missing = { ...place, schema: 'NOT_YET' };
    await expect(probe({ kind: 'float', targetType: 'FLOAT' }, missing)).resolves.toEqual({
      proven: false,
      reason: 'the schema STEVE_MCP.NOT_YET does not exist yet, and the probe creates none',
    });
    expect(await target.client.exec(`SHOW SCHEMAS LIKE 'NOT_YET' IN DATABASE "STEVE_MCP"`)).toEqual([]);
  });

  it('names the type and both texts when FLOAT digits round a tie otherwise', async () => {
    target.emulator.faults.roundFloatTiesToEven();
    await expect(probe({ kind: 'float', targetType: 'FLOAT' })).rejects.toThrow(
      'Calibration: Snowflake prints the FLOAT value "123456789012345.62" as "+1.2345678901234562E+014", the worker as "+1.2345678901234563E+014".',
    );
  });
});
