/**
 * The T-SQL of following changes with Change Tracking
 * (https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server).
 */
import { mapColumn } from '../../../src/mapping/type-map';
import {
  CURRENT_VERSION_QUERY,
  DATABASE_CHANGE_TRACKING_QUERY,
  changesQuery,
  enableDatabaseChangeTrackingStatement,
  enableTableChangeTrackingStatement,
  grantViewChangeTrackingStatement,
  minValidVersionQuery,
  tableChangeTrackingQuery,
} from '../../../src/sql/sqlserver/change-tracking';
import { column } from '../../support/columns';

const table = { schema: 'dbo', table: "o'rder lines" };
const region = column('region', 'nvarchar', { charMaxLength: 50, nullable: false });
const guid = column('guid', 'uniqueidentifier', { nullable: false });
const placed = column('placed at', 'datetimeoffset', { datetimePrecision: 7 });
const note = column('note', 'nvarchar', { charMaxLength: 100 });

describe('Change Tracking queries', () => {
  it('reads both versions, naming the table through OBJECT_ID with its quote doubled', () => {
    expect(CURRENT_VERSION_QUERY).toBe('SELECT CHANGE_TRACKING_CURRENT_VERSION() AS current_version');
    expect(minValidVersionQuery(table)).toBe(
      "SELECT CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID(N'[dbo].[o''rder lines]')) AS min_valid_version",
    );
  });

  it('checks the database and the table in the catalog views', () => {
    expect(DATABASE_CHANGE_TRACKING_QUERY).toBe(
      'SELECT is_auto_cleanup_on, retention_period, retention_period_units_desc ' +
        'FROM sys.change_tracking_databases WHERE database_id = DB_ID()',
    );
    expect(tableChangeTrackingQuery(table)).toBe(
      'SELECT begin_version, min_valid_version FROM sys.change_tracking_tables ' +
        "WHERE object_id = OBJECT_ID(N'[dbo].[o''rder lines]')",
    );
  });

  it('joins CHANGETABLE to the table: keys from the changes, the other columns current, all read losslessly', () => {
    const columns = [region, guid, placed, note].map((c) => mapColumn('t', c));
    const query = changesQuery(table, columns, [region, guid], '42');
    expect(query).toEqual({
      text:
        'DECLARE @last bigint = CAST(@last_version AS bigint); ' +
        'SELECT ct.SYS_CHANGE_VERSION AS [sys_change_version], ct.SYS_CHANGE_OPERATION AS [sys_change_operation], ' +
        'ct.[region] AS [region], CONVERT(nchar(36), ct.[guid]) AS [guid], ' +
        'CONVERT(nvarchar(34), t.[placed at], 121) AS [placed at], t.[note] AS [note] ' +
        "FROM CHANGETABLE(CHANGES [dbo].[o'rder lines], @last) AS ct " +
        "LEFT JOIN [dbo].[o'rder lines] AS t ON t.[region] = ct.[region] AND t.[guid] = ct.[guid]",
      params: { last_version: '42' },
      versionColumn: 'sys_change_version',
      operationColumn: 'sys_change_operation',
    });
  });

  it('names its own result columns apart from any column of the table', () => {
    const clash = column('SYS_CHANGE_OPERATION', 'int', { nullable: false });
    const query = changesQuery(table, [mapColumn('t', clash)], [clash], '0');
    expect(query.operationColumn).toBe('_sys_change_operation');
    expect(query.text).toContain(
      'ct.SYS_CHANGE_OPERATION AS [_sys_change_operation], ct.[SYS_CHANGE_OPERATION] AS [SYS_CHANGE_OPERATION]',
    );
  });

  it('spells what a DBA runs to let the migrator follow a table', () => {
    expect(enableDatabaseChangeTrackingStatement('sh]op')).toBe(
      'ALTER DATABASE [sh]]op] SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON)',
    );
    expect(enableTableChangeTrackingStatement(table)).toBe(
      "ALTER TABLE [dbo].[o'rder lines] ENABLE CHANGE_TRACKING",
    );
    expect(grantViewChangeTrackingStatement(table, 'migrator')).toBe(
      "GRANT VIEW CHANGE TRACKING ON OBJECT::[dbo].[o'rder lines] TO [migrator]",
    );
  });
});
