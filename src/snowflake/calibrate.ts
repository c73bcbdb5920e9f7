/**
 * The calibration probe against the account (see src/validation/calibration.ts), over both load paths:
 *
 * - INSERT: one query per Snowflake column type, its sentinels bound as an INSERT binds them, printed
 *   and hashed by Snowflake as the content check does. Needs no table, so it runs even before the
 *   target database exists.
 * - PUT and COPY INTO: every type's sentinels written as one batch file by the batch writer itself,
 *   PUT to the table stage of a TEMPORARY table and loaded by the load's own COPY INTO (file format
 *   and all), then printed and hashed the same way. A temporary table belongs to a schema, so this half
 *   runs only where the target schema exists; it creates nothing that outlives the session, and drops
 *   what it made at once.
 *
 * Throws CalibrationMismatch on the first difference, naming the type, the value and both texts.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnowflakeName } from '../contracts/table';
import { csvRowFormatter } from '../mapping/values';
import { writeGzipCsv } from '../load/batch-file';
import { PRIVATE_DIR_MODE } from '../load/work-dir';
import {
  checkProbe,
  loadedSentinels,
  PROBE_INDEX_COLUMN,
  probeBatch,
  probeValueColumn,
  refusedSentinel,
  sentinels,
  type ProbeAnswer,
  type ProbeType,
} from '../validation/calibration';
import { schemaExists } from './catalog';
import { execute, type Session } from './connection';
import { classifySnowflakeError, isRejectedValue, rejectedValue } from './errors';
import { putAndCopy } from './load';
import { dropTable, removeStagedFiles } from '../sql/snowflake/statements';
import {
  calibrationQuery,
  createProbeTable,
  probeTableQuery,
  tableStageLocation,
} from '../sql/snowflake/content-queries';
import { displaySnowflakeSchema } from '../names/snowflake-names';

type ProbeRow = Record<string, unknown>;

/** The distinct types of `types`, in first-seen order. */
export function distinctTypes(types: ProbeType[]): ProbeType[] {
  const seen = new Map<string, ProbeType>();
  for (const t of types) seen.set(`${t.kind} ${t.targetType}`, seen.get(`${t.kind} ${t.targetType}`) ?? t);
  return [...seen.values()];
}

/** Where the COPY half may put its temporary table, and the local folder for its batch file. */
export interface CalibrationPlace {
  database: string;
  schema: string;
  workDir: string;
}

/** What the probe proved of the COPY path: every type, or nothing, and why not. */
export type CopyCalibration = { proven: true } | { proven: false; reason: string };

const answersOf = (rows: ProbeRow[], suffix: string): ProbeAnswer[] =>
  rows.map((r) => {
    const text = r[`T${suffix}`];
    const hash = r[`H${suffix}`];
    return {
      index: Number(r.I),
      text: typeof text === 'string' ? text : null,
      hash: hash === null || hash === undefined ? null : String(hash),
    };
  });

async function probeBinds(session: Session, type: ProbeType): Promise<void> {
  const values = sentinels(type);
  const rows = await execute<ProbeRow>(session, calibrationQuery(type, values.length), values, {
    fetchAsString: ['Number'],
  });
  checkProbe(type, values, answersOf(rows, ''));
}

const VIA_COPY = 'loaded by PUT and COPY INTO';

async function probeCopy(session: Session, types: ProbeType[], place: CalibrationPlace): Promise<void> {
  // A name no other table has: a temporary table named like an existing table would hide it for the
  // session, and needs OWNERSHIP of it (https://docs.snowflake.com/en/release-notes/bcr-bundles/2023_03/bcr-427).
  const table: SnowflakeName = {
    database: place.database,
    schema: place.schema,
    name: `MIGRATOR_PROBE_${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`,
  };
  const { description, rows } = probeBatch(types);
  const values = types.map((type, k) => ({
    name: probeValueColumn(k),
    type: type.targetType,
    kind: type.kind,
  }));
  await mkdir(place.workDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const folder = await mkdtemp(join(place.workDir, 'calibration-'));
  const fileName = 'probe.csv.gz';
  const localPath = join(folder, fileName);
  const location = tableStageLocation(table, 'probe');
  try {
    await writeGzipCsv(
      (async function* () {
        yield rows;
      })(),
      csvRowFormatter(description, []),
      localPath,
      () => undefined,
    );
    await execute(session, createProbeTable(table, PROBE_INDEX_COLUMN, values));
    try {
      const columns = {
        names: [PROBE_INDEX_COLUMN, ...values.map((v) => v.name)],
        json: new Set(values.filter((v) => v.kind === 'variant').map((v) => v.name)),
      };
      await putAndCopy(session, {
        table,
        location,
        localPath,
        fileName,
        expectedRows: rows.length,
        columns,
      }).catch((err: unknown) => {
        const known = classifySnowflakeError(err);
        if (!known || !isRejectedValue(known)) throw err;
        throw refusedSentinel(types, rejectedValue((err as Error).message ?? ''), VIA_COPY);
      });
      const query = probeTableQuery(table, PROBE_INDEX_COLUMN, values);
      const answers = await execute<ProbeRow>(session, query, [], { fetchAsString: ['Number'] });
      const loaded = loadedSentinels(types);
      types.forEach((type, k) => checkProbe(type, loaded[k]!, answersOf(answers, String(k)), VIA_COPY));
    } finally {
      // COPY's PURGE removed a loaded file; one it refused stays until removed. A temporary table ends
      // with its session anyway, so a failed clean-up leaves nothing lasting and does not hide the outcome.
      await execute(session, removeStagedFiles(location)).catch(() => undefined);
      await execute(session, dropTable(table)).catch(() => undefined);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Probes every distinct type of `types` through INSERT binds, then through PUT and COPY INTO where the
 * target schema exists. Creates nothing that lasts; throws CalibrationMismatch on the first difference.
 */
export async function calibrate(
  session: Session,
  types: ProbeType[],
  place: CalibrationPlace,
): Promise<CopyCalibration> {
  const distinct = distinctTypes(types);
  for (const type of distinct) await probeBinds(session, type);
  if (!distinct.length) return { proven: true };
  if (!(await schemaExists(session, place.database, place.schema))) {
    const schema = displaySnowflakeSchema(place.database, place.schema);
    return { proven: false, reason: `the schema ${schema} does not exist yet, and the probe creates none` };
  }
  await probeCopy(session, distinct, place);
  return { proven: true };
}
