/**
 * What `check` says about the source login's permissions: each one the migrator uses, whether the login
 * holds it (HAS_PERMS_BY_NAME, https://learn.microsoft.com/en-us/sql/t-sql/functions/has-perms-by-name-transact-sql)
 * and what lacking it costs. Pure: the reading is in src/sqlserver/catalog.ts.
 */
import type { MigrationMode } from '../config/schema';
import { WRITE_PERMISSIONS } from '../sql/sqlserver/catalog-queries';

/** What the login holds in the database, and on each selected table. */
export interface HeldPermissions {
  unmask: boolean;
  viewDefinition: boolean;
  /** Whether it sees the security policies: VIEW DEFINITION, or ALTER ANY SECURITY POLICY. */
  readsPolicies: boolean;
  /** VIEW DATABASE STATE, or SQL Server 2022's VIEW DATABASE PERFORMANCE STATE. */
  viewDatabaseState: boolean;
  tables: { table: string; select: boolean; viewChangeTracking: boolean }[];
}

/** One permission on one securable, as `check --json` carries it. */
export interface PermissionStatus {
  permission: string;
  /** `database`, or the table. */
  on: string;
  held: boolean;
  /** What a run (or `discover`) does without it. */
  withoutIt: string;
  /** Whether this configuration's run needs it: a missing one is then a problem, else a warning or a note. */
  severity: 'needed' | 'degrades' | 'optional';
}

export function permissionStatuses(held: HeldPermissions, mode: MigrationMode): PermissionStatus[] {
  const database = (
    permission: string,
    has: boolean,
    withoutIt: string,
    severity: PermissionStatus['severity'],
  ): PermissionStatus => ({ permission, on: 'database', held: has, withoutIt, severity });
  return [
    ...held.tables.map((t): PermissionStatus => ({
      permission: 'SELECT',
      on: t.table,
      held: t.select,
      withoutIt: 'the table fails (SourcePermissionDenied)',
      severity: 'needed',
    })),
    held.readsPolicies && !held.viewDefinition
      ? database(
          'VIEW DEFINITION',
          false,
          "discover shows defaults as 'default not visible' (ALTER ANY SECURITY POLICY shows the security policies)",
          'degrades',
        )
      : database(
          'VIEW DEFINITION',
          held.viewDefinition,
          "every table is refused: the migrator cannot see whether a security policy filters it; discover shows defaults as 'default not visible'",
          'needed',
        ),
    database(
      'UNMASK',
      held.unmask,
      'a table with a masked column is refused (the login would read masks such as xxxx, 0 or 1900-01-01, and validation would agree), unless allowMaskedOrFiltered: true',
      'degrades',
    ),
    database(
      'VIEW DATABASE STATE',
      held.viewDatabaseState,
      'discover shows table sizes as unknown (SQL Server 2022: VIEW DATABASE PERFORMANCE STATE is enough)',
      'degrades',
    ),
    ...held.tables.map((t): PermissionStatus => ({
      permission: 'VIEW CHANGE TRACKING',
      on: t.table,
      held: t.viewChangeTracking,
      withoutIt: 'mode: follow is not possible (CHANGETABLE is refused)',
      severity: mode === 'follow' ? 'needed' : 'optional',
    })),
  ];
}

/** `check`'s line for a permission: ok when held; when missing, a problem, a warning, or a note. */
export function permissionFinding(login: string, p: PermissionStatus): [boolean | 'warn', string] {
  const on = p.on === 'database' ? '' : ` on ${p.on}`;
  if (p.held) return [true, `${login} holds ${p.permission}${on}`];
  const grant = `GRANT ${p.permission}${on ? ` ON ${p.on}` : ''} TO <user>`;
  const text = `${login} lacks ${p.permission}${on}: ${p.withoutIt}; ${grant}`;
  if (p.severity === 'needed') return [false, text];
  if (p.severity === 'degrades') return ['warn', text];
  return [true, `${text} (not needed for mode: snapshot)`];
}

/** Pure: the roles and permissions a WRITE_ACCESS_QUERY row says the login holds. */
export function writeAccessOf(row: Record<string, number | null>): string[] {
  const roles = ['sysadmin', 'db_owner'].filter((r) => row[r] === 1).map((r) => `member of ${r}`);
  const perms = WRITE_PERMISSIONS.filter((p) => row[p] === 1);
  return [...roles, ...(perms.length ? [`${perms.join(', ')} on the database`] : [])];
}
