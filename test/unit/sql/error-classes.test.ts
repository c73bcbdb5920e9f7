import { temporalUnreachable } from '../../../src/config/temporal-connection';
import { describeError } from '../../../src/cli/describe-error';
import { csvRecord } from '../../../src/load/batch-file';
import { classifySnowflakeError, rejectedValue, unreachableReason } from '../../../src/snowflake/errors';
import { classifyFilterError, classifySqlServerError } from '../../../src/sqlserver/errors';

describe('messages that say what happened', () => {
  it('SQL Server 229 (permission denied) is a permission error with the grant hint', () => {
    const err = {
      code: 'EREQUEST',
      number: 229,
      message: "The SELECT permission was denied on the object 'orders', database 'shop', schema 'dbo'.",
    };
    expect(classifySqlServerError(err)).toMatchObject({ type: 'SourcePermissionDenied' });
    expect(describeError(err, 'source')).toBe(
      "SQL Server error 229: The SELECT permission was denied on the object 'orders', database 'shop', schema 'dbo'.\n" +
        '    What to do: Grant the source login SELECT on the table (or the db_datareader role) and VIEW DEFINITION; it needs nothing else.',
    );
  });

  it('41332 (a memory-optimized table read at SNAPSHOT) is not retried, and says what to do', () => {
    const message =
      'Memory optimized tables and natively compiled stored procedures cannot be accessed or created when the session TRANSACTION ISOLATION LEVEL is set to SNAPSHOT.';
    const err = classifySqlServerError({ code: 'EREQUEST', number: 41332, message });
    expect(err).toMatchObject({
      type: 'MemoryOptimizedSnapshot',
      message: `SQL Server error 41332: ${message}`,
    });
  });

  it('a missing database (4060) is not a failed login', () => {
    expect(
      classifySqlServerError({
        code: 'ELOGIN',
        message: 'Cannot open database "shopp" requested by the login. The login failed.',
      }),
    ).toMatchObject({ type: 'SourceDatabaseNotFound' });
    expect(classifySqlServerError({ code: 'ELOGIN', message: "Login failed for user 'sa'." })).toMatchObject({
      type: 'SourceLoginFailed',
    });
  });

  it("SQL Server's compile errors in a filter name the filter", () => {
    const err = { code: 'EREQUEST', number: 207, message: "Invalid column name 'nope'." };
    expect(classifyFilterError(err, 'dbo.orders', 'nope = 1')).toMatchObject({
      type: 'InvalidFilter',
      message:
        "SQL Server refused the filter of dbo.orders (nope = 1): error 207: Invalid column name 'nope'.",
    });
    expect(classifyFilterError({ code: 'EREQUEST', number: 1205, message: 'deadlock' }, 't', 'a = 1')).toBe(
      undefined,
    );
  });

  it('Snowflake 002003 says the object may have been dropped or not be visible, not "grant privileges"', () => {
    const err = {
      code: '002003',
      message: "Table 'STEVE_MCP.DATA_MIGRATION.ORDERS__MIGRATING_X' does not exist or not authorized.",
    };
    expect(describeError(err, 'target')).toBe(
      "Snowflake error 002003: Table 'STEVE_MCP.DATA_MIGRATION.ORDERS__MIGRATING_X' does not exist or not authorized.\n" +
        '    What to do: The object may have been dropped or renamed (during the run, or by someone else), or the role may not see it: ' +
        'check that it exists and that target.role has USAGE on its database and schema.',
    );
    expect(classifySnowflakeError({ code: '003001', message: 'Insufficient privileges' })).toMatchObject({
      type: 'TargetPermissionDenied',
    });
  });

  it.each([
    [
      'no warehouse',
      '000606',
      "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n",
    ],
    [
      'a resource monitor at its quota',
      '090073',
      "Warehouse 'MIGRATION_WH' cannot be resumed because resource monitor 'DAILY' has exceeded its quota.",
    ],
    [
      'a suspended warehouse',
      '000606',
      "Warehouse 'MIGRATION_WH' cannot be resumed because it is suspended.",
    ],
  ])(
    'Snowflake without a running warehouse (%s) fails at once and says what to do',
    (_what, code, message) => {
      const err = { code, message };
      expect(classifySnowflakeError(err)).toMatchObject({ type: 'TargetWarehouseUnavailable' });
      expect(describeError(err, 'target')).toBe(
        `Snowflake error ${code}: ${message.trimEnd()}\n` +
          "    What to do: Snowflake has no running warehouse for the migrator's sessions: set target.warehouse (or the user's DEFAULT_WAREHOUSE) to a warehouse target.role has USAGE on. " +
          'If it is suspended, resume it (ALTER WAREHOUSE <name> RESUME) or set AUTO_RESUME = TRUE; if a resource monitor suspended it, raise its CREDIT_QUOTA or wait for its next interval. Then start the run again.',
      );
    },
  );

  it('a statement timeout (000630) stays retryable', () => {
    expect(
      classifySnowflakeError({
        code: '000630',
        message: 'Statement reached its statement or warehouse timeout of 3600 second(s) and was canceled.',
      }),
    ).toBeUndefined();
  });

  it('a refused Snowflake port is "connection refused"', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 401001,
      cause: { code: 'ECONNREFUSED' },
    });
    expect(unreachableReason(err)).toBe('connection refused');
    expect(unreachableReason({ code: '390100', message: 'Incorrect username or password' })).toBeUndefined();
  });

  it('an unreachable Temporal is one line with the address and what to do', () => {
    const refused = new Error(
      'tonic::transport::Error(Transport, ConnectError(ConnectError("tcp connect error", 127.0.0.1:1, Os { code: 111, kind: ConnectionRefused, message: "Connection refused" })))',
    );
    const what =
      '. Start a server (npm run demo starts a dev server, or `temporal server start-dev`) or fix temporal.address (MIGRATOR_TEMPORAL__ADDRESS=host:port).';
    expect(temporalUnreachable('127.0.0.1:1', refused).message).toBe(
      `Cannot reach Temporal at 127.0.0.1:1: connection refused${what}`,
    );
    const dns = new Error(
      'tonic::transport::Error(Transport, ConnectError(ConnectError("dns error", Custom { kind: Uncategorized, error: "failed to lookup address information: Name or service not known" })))',
    );
    expect(temporalUnreachable('nohost:7233', dns).message).toBe(
      `Cannot reach Temporal at nohost:7233: host not found${what}`,
    );
    expect(temporalUnreachable('h:7233', new Error('Failed to connect before the deadline')).message).toBe(
      `Cannot reach Temporal at h:7233: no answer in time${what}`,
    );
  });
});

describe('values Snowflake refuses', () => {
  it('reads the reason, the record and the column from COPY’s abort message', () => {
    const message =
      "String 'three' is too long and would be truncated\n  File 'b000000-a1.csv.gz', line 3, character 1\n" +
      '  Row 3, column "NOTES__MIGRATING_X"["NOTE":2]\n' +
      "  If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE'...";
    expect(rejectedValue(message)).toEqual({
      reason: "String 'three' is too long and would be truncated",
      row: 3,
      column: 'NOTE',
    });
    expect(rejectedValue("Numeric value 'x' is not recognized")).toEqual({
      reason: "Numeric value 'x' is not recognized",
    });
  });

  it('classifies the 100xxx data errors as non-retryable', () => {
    expect(classifySnowflakeError({ code: 100078, message: "String 'x' is too long" })?.type).toBe(
      'ValueTooLong',
    );
    expect(classifySnowflakeError({ code: '100040', message: "Date 'x' is not recognized" })?.type).toBe(
      'TargetValueRejected',
    );
  });

  it('finds a record of a batch file, quoted commas, quotes and newlines included', () => {
    const text = '1,"a,b",x\n2,"say ""hi""\nthere",y\n3,,z\n';
    expect(csvRecord(text, 2)).toEqual(['2', 'say "hi"\nthere', 'y']);
    expect(csvRecord(text, 3)).toEqual(['3', '', 'z']);
    expect(csvRecord(text, 4)).toBeUndefined();
  });
});
