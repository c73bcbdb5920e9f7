/** How a SQL Server source is named to people: its address and the identity the migrator logs in as. */
import type { SourceConfig } from './schema';

/** SQL Server's port unless configured otherwise. */
export const DEFAULT_SQLSERVER_PORT = 1433;

/** `sql1:1433`, or `sql1\SALES` for a named instance (whose port SQL Server Browser tells). */
export function sourceAddress(source: Pick<SourceConfig, 'server' | 'port' | 'instanceName'>): string {
  return source.instanceName !== undefined
    ? `${source.server}\\${source.instanceName}`
    : `${source.server}:${source.port ?? DEFAULT_SQLSERVER_PORT}`;
}

/** `the source login migrator`, or the Entra ID identity the authentication type stands for. */
export function sourceLogin(source: Pick<SourceConfig, 'user' | 'authentication'>): string {
  return source.user !== undefined
    ? `the source login ${source.user}`
    : `the source login (${source.authentication.type})`;
}
