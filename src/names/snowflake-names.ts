/**
 * Snowflake's identifier rule, for the names a config gives (database, schema, stage, a table's target):
 * an unquoted identifier starts with a letter or `_`, holds letters, digits, `_` and `$`, and is stored and
 * resolved in upper case; a double-quoted identifier is kept exactly, `""` standing for one `"`.
 * https://docs.snowflake.com/en/sql-reference/identifiers-syntax
 * So `steve_mcp` names the database STEVE_MCP, as `USE steve_mcp` would, and `'"Mixed"'` (YAML keeps the
 * quotes) names Mixed. A name no unquoted identifier can be (spaces, other characters) is kept as written,
 * as the migrator always quotes what it sends. Pure, and free of imports that a workflow bundle could not
 * take: the workflows show names through displaySnowflakeName.
 */
import type { SnowflakeName } from '../contracts/table';
export const UNQUOTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

export function resolveIdentifier(written: string): string {
  const quoted = /^"((?:[^"]|"")+)"$/.exec(written);
  if (quoted) return quoted[1]!.replace(/""/g, '"');
  return UNQUOTED_IDENTIFIER.test(written) ? written.toUpperCase() : written;
}

/**
 * The Snowflake name for a SQL Server name: a name Snowflake accepts unquoted is upper-cased (so
 * `SELECT * FROM customers` finds CUSTOMERS); any other (spaces, unicode, symbols) is kept exactly and
 * is always quoted.
 */
export function snowflakeNameFor(sourceName: string): string {
  return UNQUOTED_IDENTIFIER.test(sourceName) ? sourceName.toUpperCase() : sourceName;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const displayPart = (p: string) => (/^[A-Z_][A-Z0-9_$]*$/.test(p) ? p : quoteIdentifier(p));

/** A name as a person would type it: quotes only where Snowflake needs them. */
export function displaySnowflakeName(name: SnowflakeName): string {
  return [name.database, name.schema, name.name].map(displayPart).join('.');
}

/** A schema's name as a person would type it. */
export const displaySnowflakeSchema = (database: string, schema: string): string =>
  [database, schema].map(displayPart).join('.');
