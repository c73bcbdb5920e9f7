/**
 * Context functions (CURRENT_USER(), CURRENT_TIMESTAMP()...) and column DEFAULT expressions, both
 * evaluated once per statement, as Snowflake does.
 */
import { unsupported } from '../errors';
import { tokenize } from '../sql/lexer';
import { MAX_TEXT_LENGTH, type SnowflakeType } from '../types';
import { NS_PER_DAY, NS_PER_MINUTE, floorDiv, floorMod, zoneOffsetMinutes } from '../values/calendar';
import { convertValue } from '../values/convert';
import type { Stored } from '../values/parse';
import type { ColumnDef } from './catalog';
import type { Session } from './session';

export interface TypedValue {
  type: SnowflakeType;
  value: Stored | null;
}

/** The version CURRENT_VERSION() reports. */
export const SERVER_VERSION = '9.20.0';

const text = (value: string | null): TypedValue => ({
  type: { kind: 'TEXT', length: MAX_TEXT_LENGTH },
  value,
});

export function constantValue(session: Session, name: string, nowMs: number): TypedValue {
  const id = session.identity;
  const nowNs = BigInt(nowMs) * 1_000_000n;
  const localNs = nowNs + BigInt(zoneOffsetMinutes(session.params.TIMEZONE, nowNs)) * NS_PER_MINUTE;
  switch (name) {
    case 'CURRENT_VERSION':
      return text(SERVER_VERSION);
    case 'CURRENT_ACCOUNT':
    case 'CURRENT_ACCOUNT_NAME':
      return text(id.account);
    case 'CURRENT_USER':
      return text(id.user);
    case 'CURRENT_ROLE':
      return text(id.role);
    case 'CURRENT_DATABASE':
      return text(id.database);
    case 'CURRENT_SCHEMA':
      return text(id.database === null ? null : id.schema);
    case 'CURRENT_WAREHOUSE':
      return text(id.warehouse);
    case 'CURRENT_SESSION':
      return text(String(session.id));
    case 'CURRENT_REGION':
      return text('LOCAL_STAND_IN');
    case 'CURRENT_TIMESTAMP':
    case 'LOCALTIMESTAMP':
    case 'SYSTIMESTAMP':
    case 'GETDATE':
      return { type: { kind: 'TIMESTAMP_LTZ', scale: 9 }, value: nowNs };
    case 'SYSDATE':
      return { type: { kind: 'TIMESTAMP_NTZ', scale: 9 }, value: nowNs };
    case 'CURRENT_DATE':
      return { type: { kind: 'DATE' }, value: Number(floorDiv(localNs, NS_PER_DAY)) };
    case 'CURRENT_TIME':
    case 'LOCALTIME':
      return { type: { kind: 'TIME', scale: 9 }, value: floorMod(localNs, NS_PER_DAY) };
  }
  throw unsupported(`function ${name}`);
}

/**
 * UUID_STRING() gives each row a value of its own (https://docs.snowflake.com/en/sql-reference/functions/uuid_string),
 * which a default evaluated once per statement cannot: the stand-in keeps such a declaration, and refuses
 * a statement that would need its value.
 */
const PER_ROW_DEFAULT = /^UUID_STRING\s*\(\s*\)$/i;

/**
 * `<sequence>.NEXTVAL` (statements/sequences.ts): drawn per row where an INSERT ... VALUES leaves the
 * column out, refused wherever else a value is asked for.
 */
const SEQUENCE_DEFAULT = /\.\s*NEXTVAL\s*$/i;

/** At CREATE TABLE: a default the stand-in can give, or one it keeps declared only (UUID_STRING()). */
export function checkDefault(session: Session, column: ColumnDef, nowMs: number): void {
  if (column.defaultSql !== null && PER_ROW_DEFAULT.test(column.defaultSql.trim())) return;
  if (isSequenceDefault(column)) return;
  defaultValue(session, column, nowMs);
}

export const isSequenceDefault = (column: ColumnDef) =>
  column.defaultSql !== null && SEQUENCE_DEFAULT.test(column.defaultSql);

/**
 * The value a column's DEFAULT gives: a literal (string, number, TRUE, FALSE, NULL) or a context
 * function such as CURRENT_TIMESTAMP(). Anything else is refused when the table is created.
 */
export function defaultValue(session: Session, column: ColumnDef, nowMs: number): Stored | null {
  if (column.defaultSql === null) return null;
  if (PER_ROW_DEFAULT.test(column.defaultSql.trim()) || isSequenceDefault(column))
    throw unsupported(
      `DEFAULT ${column.defaultSql} for rows that leave ${column.name} out (one value per row)`,
    );
  const tokens = tokenize(column.defaultSql);
  const [first, second] = tokens;
  let typed: TypedValue | undefined;
  if (tokens.length === 1 && first!.kind === 'string') typed = text(first!.value);
  else if (tokens.length === 1 && first!.kind === 'number') typed = text(first!.value);
  else if (tokens.length === 2 && first!.value === '-' && second?.kind === 'number')
    typed = text(`-${second.value}`);
  else if (tokens.length === 1 && first!.kind === 'word' && ['TRUE', 'FALSE'].includes(first!.value))
    typed = text(first!.value);
  else if (tokens.length === 1 && first!.kind === 'word' && first!.value === 'NULL') typed = text(null);
  else if (
    first?.kind === 'word' &&
    (tokens.length === 1 || (tokens.length === 3 && tokens[1]!.value === '(' && tokens[2]!.value === ')'))
  ) {
    typed = constantValue(session, first.value, nowMs);
  }
  if (!typed)
    throw unsupported(`DEFAULT ${column.defaultSql} (the stand-in takes literals and context functions)`);
  return typed.value === null
    ? null
    : convertValue(typed.type, typed.value, column.type, session.conversionContext());
}
