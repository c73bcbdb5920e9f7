/** Runs one parameterised T-SQL query (sp_executesql): text parameters as nvarchar, counts as int. */
import sql from 'mssql';
import type { BoundQuery } from '../sql/sqlserver/queries';
import type { SourceReader } from './read-transaction';

export function bindRequest(
  pool: SourceReader,
  query: BoundQuery,
  extra: Record<string, number> = {},
): sql.Request {
  const request = pool.request();
  for (const [name, value] of Object.entries(query.params)) request.input(name, sql.NVarChar(4000), value);
  for (const [name, value] of Object.entries(extra)) request.input(name, sql.BigInt, value);
  return request;
}

export async function queryRows<T extends Record<string, unknown>>(
  pool: SourceReader,
  query: BoundQuery,
  extra: Record<string, number> = {},
): Promise<T[]> {
  const result = await bindRequest(pool, query, extra).query<T>(query.text);
  return result.recordset ?? [];
}
