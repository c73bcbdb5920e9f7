/**
 * The session parameters the migrator relies on, pinned right after login with one ALTER SESSION, so an
 * account's or a user's own settings (ALTER ACCOUNT / ALTER USER ... SET) cannot change what its
 * statements mean. A session's own value overrides the user's and the account's:
 * https://docs.snowflake.com/en/sql-reference/parameters#parameter-hierarchy-and-types. Pure.
 */
import { literal } from '../sql/snowflake/statements';

/** Names the migrator's statements in QUERY_HISTORY (and the part of every tag before the details). */
export const QUERY_TAG_PREFIX = 'sqlserver-snowflake-migrator';

/** QUERY_TAG holds at most 2000 characters. */
const QUERY_TAG_MAX = 2000;

/**
 * `sqlserver-snowflake-migrator run=<id> table=<name> batch=<n>`: what an operator filters
 * QUERY_HISTORY by (https://docs.snowflake.com/en/sql-reference/parameters#query-tag).
 */
export function queryTag(details: Record<string, string | number | undefined> = {}): string {
  const parts = Object.entries(details)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`);
  return [QUERY_TAG_PREFIX, ...parts].join(' ').slice(0, QUERY_TAG_MAX);
}

export const setQueryTag = (tag: string) => `ALTER SESSION SET QUERY_TAG = ${literal(tag)}`;

/** The one statement that pins a new session. */
export function pinSessionParameters(statementTimeoutSeconds: number, tag = queryTag()): string {
  const pinned: [string, string][] = [
    // DML commits by itself; the migrator's own BEGIN ... COMMIT (publish by append) is explicit. A
    // user whose default is FALSE would otherwise leave every load uncommitted, and rolled back at
    // logout: https://docs.snowflake.com/en/sql-reference/parameters#autocommit,
    // https://docs.snowflake.com/en/sql-reference/transactions#autocommit
    ['AUTOCOMMIT', 'TRUE'],
    // Quoted names keep their case: the migrator quotes every name and reads result columns by their
    // quoted aliases ("rows" would come back as ROWS):
    // https://docs.snowflake.com/en/sql-reference/parameters#quoted-identifiers-ignore-case
    ['QUOTED_IDENTIFIERS_IGNORE_CASE', 'FALSE'],
    // Dates, times and timestamps are written as ISO text (batch files with the file format's default
    // DATE_FORMAT / TIME_FORMAT / TIMESTAMP_FORMAT = AUTO, which defer to these, and INSERT binds), which
    // AUTO detection reads; an account's own format would refuse or misread them:
    // https://docs.snowflake.com/en/sql-reference/parameters#date-input-format,
    // https://docs.snowflake.com/en/sql-reference/parameters#time-input-format,
    // https://docs.snowflake.com/en/sql-reference/parameters#timestamp-input-format,
    // https://docs.snowflake.com/en/sql-reference/sql/create-file-format#type-csv
    ['DATE_INPUT_FORMAT', literal('AUTO')],
    ['TIME_INPUT_FORMAT', literal('AUTO')],
    ['TIMESTAMP_INPUT_FORMAT', literal('AUTO')],
    // Binary binds are hex text (files say BINARY_FORMAT = HEX themselves):
    // https://docs.snowflake.com/en/sql-reference/parameters#binary-input-format
    ['BINARY_INPUT_FORMAT', literal('HEX')],
    // Long enough for one batch's statements and a table's checks, short enough that a stuck statement
    // ends with 000630 and its activity retries, instead of an account's minutes or 2 days:
    // https://docs.snowflake.com/en/sql-reference/parameters#statement-timeout-in-seconds
    ['STATEMENT_TIMEOUT_IN_SECONDS', String(statementTimeoutSeconds)],
    ['QUERY_TAG', literal(tag)],
  ];
  return `ALTER SESSION SET ${pinned.map(([name, value]) => `${name} = ${value}`).join(', ')}`;
}
