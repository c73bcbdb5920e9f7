/**
 * Session parameters: Snowflake's defaults, what ALTER SESSION (or ALTER ACCOUNT / ALTER USER, one level
 * up) may set, and the list every answer carries in `data.parameters` (the driver formats dates,
 * times, timestamps and binary from it).
 *
 * Levels, as https://docs.snowflake.com/en/sql-reference/parameters#parameter-hierarchy-and-types
 * documents them: a session parameter set for the session overrides the user's value, which overrides
 * the account's, which overrides Snowflake's default.
 */
import { unsupported } from '../errors';
import { isKnownTimeZone } from '../values/calendar';
import { formatReader } from '../values/input-format';
import type { OutputParameters } from '../values/format';

export type SessionParameters = OutputParameters & {
  TIMESTAMP_TYPE_MAPPING: string;
  BINARY_INPUT_FORMAT: string;
  QUERY_TAG: string;
  /** FALSE: DML opens a transaction that lasts until COMMIT or ROLLBACK (engine.ts). */
  AUTOCOMMIT: boolean;
  /** TRUE: letters in double-quoted identifiers are stored and resolved as upper case. */
  QUOTED_IDENTIFIERS_IGNORE_CASE: boolean;
  /** Statements running longer are canceled with 000630; 0 means the maximum, 604800. */
  STATEMENT_TIMEOUT_IN_SECONDS: number;
  /** AUTO or a format model (values/input-format.ts), for strings loaded, bound or cast. */
  DATE_INPUT_FORMAT: string;
  TIME_INPUT_FORMAT: string;
  TIMESTAMP_INPUT_FORMAT: string;
  /** The driver reads it from each answer to return NUMBER(p,0) as BigInt. */
  JS_TREAT_INTEGER_AS_BIGINT: boolean;
  /** How many statements a request must hold; 0 allows any number. */
  MULTI_STATEMENT_COUNT: number;
};

export function defaultParameters(): SessionParameters {
  return {
    TIMEZONE: 'America/Los_Angeles',
    TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
    TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
    TIMESTAMP_LTZ_OUTPUT_FORMAT: '',
    TIMESTAMP_TZ_OUTPUT_FORMAT: '',
    DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
    TIME_OUTPUT_FORMAT: 'HH24:MI:SS',
    BINARY_OUTPUT_FORMAT: 'HEX',
    TIMESTAMP_TYPE_MAPPING: 'TIMESTAMP_NTZ',
    BINARY_INPUT_FORMAT: 'HEX',
    QUERY_TAG: '',
    AUTOCOMMIT: true,
    QUOTED_IDENTIFIERS_IGNORE_CASE: false,
    STATEMENT_TIMEOUT_IN_SECONDS: 172800,
    DATE_INPUT_FORMAT: 'AUTO',
    TIME_INPUT_FORMAT: 'AUTO',
    TIMESTAMP_INPUT_FORMAT: 'AUTO',
    JS_TREAT_INTEGER_AS_BIGINT: false,
    MULTI_STATEMENT_COUNT: 1,
  };
}

const STRING_PARAMETERS = new Set([
  'TIMESTAMP_OUTPUT_FORMAT',
  'TIMESTAMP_NTZ_OUTPUT_FORMAT',
  'TIMESTAMP_LTZ_OUTPUT_FORMAT',
  'TIMESTAMP_TZ_OUTPUT_FORMAT',
  'DATE_OUTPUT_FORMAT',
  'TIME_OUTPUT_FORMAT',
  'QUERY_TAG',
]);

/** Parameters a client may set but that change nothing the stand-in does. */
const ACCEPTED_NO_EFFECT = new Set([
  'CLIENT_SESSION_KEEP_ALIVE',
  'CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY',
  'LOCK_TIMEOUT',
  'ABORT_DETACHED_QUERY',
  'USE_CACHED_RESULT',
  'CLIENT_REQUEST_MFA_TOKEN',
  'CLIENT_STORE_TEMPORARY_CREDENTIAL',
  'GCS_USE_DOWNSCOPED_CREDENTIAL',
]);

const INPUT_FORMATS = new Set(['DATE_INPUT_FORMAT', 'TIME_INPUT_FORMAT', 'TIMESTAMP_INPUT_FORMAT']);

/** The longest STATEMENT_TIMEOUT_IN_SECONDS, which 0 stands for. */
export const MAX_STATEMENT_TIMEOUT_SECONDS = 604800;

function booleanValue(key: string, text: string): boolean {
  if (/^(true|1)$/i.test(text)) return true;
  if (/^(false|0)$/i.test(text)) return false;
  throw unsupported(`${key} = '${text}'`);
}

/** Sets one parameter (names are case-insensitive, values already decoded from the literal). */
export function setParameter(
  params: SessionParameters,
  name: string,
  value: string | number | boolean,
): void {
  const key = name.toUpperCase();
  const text = String(value);
  if (key === 'TIMEZONE') {
    if (!isKnownTimeZone(text)) throw unsupported(`time zone '${text}'`);
    params.TIMEZONE = text;
  } else if (STRING_PARAMETERS.has(key)) {
    (params as unknown as Record<string, string>)[key] =
      text === 'AUTO' ? defaultParameters()[key as 'DATE_OUTPUT_FORMAT'] : text;
  } else if (key === 'BINARY_OUTPUT_FORMAT' || key === 'BINARY_INPUT_FORMAT') {
    const format = text.toUpperCase();
    if (!['HEX', 'BASE64', 'UTF8', 'UTF-8'].includes(format)) throw unsupported(`${key} '${text}'`);
    params[key] = format === 'UTF-8' ? 'UTF8' : format;
  } else if (key === 'TIMESTAMP_TYPE_MAPPING') {
    const mapping = text.toUpperCase();
    if (!['TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ'].includes(mapping))
      throw unsupported(`${key} '${text}'`);
    params.TIMESTAMP_TYPE_MAPPING = mapping;
  } else if (key === 'JS_TREAT_INTEGER_AS_BIGINT') {
    params.JS_TREAT_INTEGER_AS_BIGINT = /^(true|1)$/i.test(text);
  } else if (key === 'MULTI_STATEMENT_COUNT') {
    if (!/^\d+$/.test(text)) throw unsupported(`${key} '${text}'`);
    params.MULTI_STATEMENT_COUNT = Number(text);
  } else if (key === 'AUTOCOMMIT' || key === 'QUOTED_IDENTIFIERS_IGNORE_CASE') {
    params[key] = booleanValue(key, text);
  } else if (key === 'STATEMENT_TIMEOUT_IN_SECONDS') {
    const seconds = Number(text);
    if (!/^\d+$/.test(text) || seconds > MAX_STATEMENT_TIMEOUT_SECONDS) throw unsupported(`${key} = ${text}`);
    params.STATEMENT_TIMEOUT_IN_SECONDS = seconds;
  } else if (INPUT_FORMATS.has(key)) {
    // A format the stand-in cannot read is refused here, not at the first value.
    if (text.toUpperCase() !== 'AUTO') formatReader(text);
    (params as unknown as Record<string, string>)[key] = text.toUpperCase() === 'AUTO' ? 'AUTO' : text;
  } else if (!ACCEPTED_NO_EFFECT.has(key)) {
    throw unsupported(`session parameter ${key}`);
  }
}

/** UNSET: back to the value of the level above (`inherited`: the user's, the account's or the default). */
export function unsetParameter(params: SessionParameters, name: string, inherited: SessionParameters): void {
  const key = name.toUpperCase() as keyof SessionParameters;
  if (key in inherited) (params as unknown as Record<string, unknown>)[key] = inherited[key];
  else if (!ACCEPTED_NO_EFFECT.has(key)) throw unsupported(`session parameter ${key}`);
}

/** Parameters set at the account or for a user (ALTER ACCOUNT / ALTER USER ... SET), checked on the way in. */
export class ParameterLevel {
  private readonly values = new Map<string, string | number | boolean>();

  set(name: string, value: string | number | boolean): void {
    setParameter(defaultParameters(), name, value);
    this.values.set(name.toUpperCase(), value);
  }

  unset(name: string): void {
    const key = name.toUpperCase();
    if (!(key in defaultParameters()) && !ACCEPTED_NO_EFFECT.has(key))
      throw unsupported(`session parameter ${key}`);
    this.values.delete(key);
  }

  applyTo(params: SessionParameters): void {
    for (const [name, value] of this.values) setParameter(params, name, value);
  }
}

/** `data.parameters` of every answer. */
export function responseParameters(
  params: SessionParameters,
): { name: string; value: string | number | boolean }[] {
  return [
    { name: 'TIMEZONE', value: params.TIMEZONE },
    { name: 'TIMESTAMP_OUTPUT_FORMAT', value: params.TIMESTAMP_OUTPUT_FORMAT },
    { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: params.TIMESTAMP_NTZ_OUTPUT_FORMAT },
    { name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: params.TIMESTAMP_LTZ_OUTPUT_FORMAT },
    { name: 'TIMESTAMP_TZ_OUTPUT_FORMAT', value: params.TIMESTAMP_TZ_OUTPUT_FORMAT },
    { name: 'DATE_OUTPUT_FORMAT', value: params.DATE_OUTPUT_FORMAT },
    { name: 'TIME_OUTPUT_FORMAT', value: params.TIME_OUTPUT_FORMAT },
    { name: 'BINARY_OUTPUT_FORMAT', value: params.BINARY_OUTPUT_FORMAT },
    { name: 'TIMESTAMP_TYPE_MAPPING', value: params.TIMESTAMP_TYPE_MAPPING },
    { name: 'CLIENT_RESULT_CHUNK_SIZE', value: 160 },
    { name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 },
    { name: 'AUTOCOMMIT', value: params.AUTOCOMMIT },
    { name: 'JS_TREAT_INTEGER_AS_BIGINT', value: params.JS_TREAT_INTEGER_AS_BIGINT },
  ];
}
