import { permissionFinding, permissionStatuses, type HeldPermissions } from '../../../src/source/permissions';
import {
  DATABASE_STATE_PERMISSIONS_QUERY,
  TABLE_PERMISSIONS_QUERY,
} from '../../../src/sql/sqlserver/catalog-queries';

const LOGIN = 'the source login r';
const all: HeldPermissions = {
  unmask: true,
  viewDefinition: true,
  readsPolicies: true,
  viewDatabaseState: true,
  tables: [{ table: 'dbo.orders', select: true, viewChangeTracking: true }],
};
const datareaderOnly: HeldPermissions = {
  unmask: false,
  viewDefinition: false,
  readsPolicies: false,
  viewDatabaseState: false,
  tables: [{ table: 'dbo.orders', select: true, viewChangeTracking: false }],
};
const lines = (held: HeldPermissions, mode: 'snapshot' | 'follow') =>
  permissionStatuses(held, mode).map((p) => permissionFinding(LOGIN, p));

describe('check: the permissions the source login has and lacks', () => {
  it('lists each one the migrator uses, held', () => {
    expect(lines(all, 'follow')).toEqual([
      [true, 'the source login r holds SELECT on dbo.orders'],
      [true, 'the source login r holds VIEW DEFINITION'],
      [true, 'the source login r holds UNMASK'],
      [true, 'the source login r holds VIEW DATABASE STATE'],
      [true, 'the source login r holds VIEW CHANGE TRACKING on dbo.orders'],
    ]);
  });

  it('says what each missing one costs, as a problem when the run needs it (db_datareader only)', () => {
    expect(lines(datareaderOnly, 'snapshot')).toEqual([
      [true, 'the source login r holds SELECT on dbo.orders'],
      [
        false,
        "the source login r lacks VIEW DEFINITION: every table is refused: the migrator cannot see whether a security policy filters it; discover shows defaults as 'default not visible'; GRANT VIEW DEFINITION TO <user>",
      ],
      [
        'warn',
        'the source login r lacks UNMASK: a table with a masked column is refused (the login would read masks such as xxxx, 0 or 1900-01-01, and validation would agree), unless allowMaskedOrFiltered: true; GRANT UNMASK TO <user>',
      ],
      [
        'warn',
        'the source login r lacks VIEW DATABASE STATE: discover shows table sizes as unknown (SQL Server 2022: VIEW DATABASE PERFORMANCE STATE is enough); GRANT VIEW DATABASE STATE TO <user>',
      ],
      [
        true,
        'the source login r lacks VIEW CHANGE TRACKING on dbo.orders: mode: follow is not possible (CHANGETABLE is refused); GRANT VIEW CHANGE TRACKING ON dbo.orders TO <user> (not needed for mode: snapshot)',
      ],
    ]);
    expect(lines(datareaderOnly, 'follow')[4]![0]).toBe(false);
    const noSelect = lines(
      { ...all, tables: [{ table: 'dbo.orders', select: false, viewChangeTracking: true }] },
      'snapshot',
    );
    expect(noSelect[0]).toEqual([
      false,
      'the source login r lacks SELECT on dbo.orders: the table fails (SourcePermissionDenied); GRANT SELECT ON dbo.orders TO <user>',
    ]);
  });

  it('with ALTER ANY SECURITY POLICY instead of VIEW DEFINITION, only the defaults are lost', () => {
    const [, viewDefinition] = permissionStatuses({ ...all, viewDefinition: false }, 'snapshot');
    expect(viewDefinition).toEqual({
      permission: 'VIEW DEFINITION',
      on: 'database',
      held: false,
      withoutIt:
        "discover shows defaults as 'default not visible' (ALTER ANY SECURITY POLICY shows the security policies)",
      severity: 'degrades',
    });
  });

  it('asks SQL Server with HAS_PERMS_BY_NAME, per table by its quoted name', () => {
    expect(TABLE_PERMISSIONS_QUERY).toBe(
      "SELECT HAS_PERMS_BY_NAME(@name, 'OBJECT', 'SELECT') AS [select], HAS_PERMS_BY_NAME(@name, 'OBJECT', 'VIEW CHANGE TRACKING') AS [view_change_tracking]",
    );
    expect(DATABASE_STATE_PERMISSIONS_QUERY).toContain("'VIEW DATABASE PERFORMANCE STATE'");
  });
});
