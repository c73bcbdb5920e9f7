/**
 * Snowflake's identifier rule, for the names a config gives (database, schema, stage, a table's target):
 * an unquoted identifier starts with a letter or `_`, holds letters, digits, `_` and `$`, and is stored and
 * resolved in upper case; a double-quoted identifier is kept exactly, `""` standing for one `"`.
 * https://docs.snowflake.com/en/sql-reference/identifiers-syntax
 * So `steve_mcp` names the database STEVE_MCP, as `USE steve_mcp` would, and `'"Mixed"'` (YAML keeps the
 * quotes) names Mixed. A name no unquoted identifier can be (spaces, other characters) is kept as written,
 * as the migrator always quotes what it sends. Pure.
 */
export const UNQUOTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

export function resolveIdentifier(written: string): string {
  const quoted = /^"((?:[^"]|"")+)"$/.exec(written);
  if (quoted) return quoted[1]!.replace(/""/g, '"');
  return UNQUOTED_IDENTIFIER.test(written) ? written.toUpperCase() : written;
}
