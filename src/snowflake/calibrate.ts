/**
 * The calibration probe against the account (see src/validation/calibration.ts): one query per
 * Snowflake column type, its sentinels bound as an INSERT binds them, printed and hashed by Snowflake
 * as the content check does. Creates nothing; throws CalibrationMismatch on the first difference.
 */
import { checkProbe, sentinels, type ProbeAnswer, type ProbeType } from '../validation/calibration';
import { execute, type Session } from './connection';
import { calibrationQuery } from './sql';

interface ProbeRow {
  I: unknown;
  T: unknown;
  H: unknown;
}

/** The distinct types of `types`, in first-seen order. */
export function distinctTypes(types: ProbeType[]): ProbeType[] {
  const seen = new Map<string, ProbeType>();
  for (const t of types) seen.set(`${t.kind} ${t.targetType}`, seen.get(`${t.kind} ${t.targetType}`) ?? t);
  return [...seen.values()];
}

export async function calibrate(session: Session, types: ProbeType[]): Promise<void> {
  for (const type of distinctTypes(types)) {
    const values = sentinels(type);
    const rows = await execute<ProbeRow>(session, calibrationQuery(type, values.length), values, {
      fetchAsString: ['Number'],
    });
    const answers: ProbeAnswer[] = rows.map((r) => ({
      index: Number(r.I),
      text: typeof r.T === 'string' ? r.T : null,
      hash: r.H === null || r.H === undefined ? null : String(r.H),
    }));
    checkProbe(type, values, answers);
  }
}
