/**
 * Snowflake-style errors. The driver turns `{success: false, code, message, data: {sqlState}}` into an
 * error whose `code` is the string code and `sqlState` the SQL state, so each error here carries both.
 *
 * Codes and states are the ones real Snowflake answers with; the sources are noted beside each, since
 * product code classifies errors by these codes.
 */
export class SnowflakeError extends Error {
  override readonly name = 'SnowflakeError';
  /** Where in the statement a syntax error is: Snowflake's `data.line` and `data.pos` (-1 without). */
  place: { line: number; pos: number } = { line: -1, pos: -1 };
  /** Errors about the request's authentication come with their own HTTP status; the rest with 200. */
  httpStatus = 200;
  constructor(
    readonly code: string,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
  }

  /** Snowflake marks errors found before execution as `data.type = 'COMPILATION'`. */
  get compilation(): boolean {
    return this.message.startsWith('SQL compilation error') || this.code === '000002';
  }
}

const make = (code: string, sqlState: string) => (message: string) =>
  new SnowflakeError(code, sqlState, message);

/** 002003 (42S02): "SQL compilation error:\nObject 'X' does not exist or not authorized." */
export const objectMissing = (kind: string, name: string) =>
  make('002003', '42S02')(`SQL compilation error:\n${kind} '${name}' does not exist or not authorized.`);

/** 002002 (42710): "SQL compilation error:\nObject 'X' already exists." */
export const objectExists = (name: string) =>
  make('002002', '42710')(`SQL compilation error:\nObject '${name}' already exists.`);

/** 001003 (42000): "SQL compilation error:\nsyntax error line 1 at position 7 unexpected 'X'." */
export function syntaxError(line: number, column: number, near: string): SnowflakeError {
  const what = near === '' ? 'end of input' : `'${near}'`;
  const error = make(
    '001003',
    '42000',
  )(`SQL compilation error:\nsyntax error line ${line} at position ${column} unexpected ${what}.`);
  error.place = { line, pos: column };
  return error;
}

/** 000904 (42000): "SQL compilation error: error line 1 at position 7\ninvalid identifier 'X'" */
export const invalidIdentifier = (name: string) =>
  make('000904', '42000')(`SQL compilation error: error line 0 at position -1\ninvalid identifier '${name}'`);

/** 000002 (0A000): "Unsupported feature 'X'." — everything the stand-in does not implement says so plainly. */
export const unsupported = (feature: string) =>
  make(
    '000002',
    '0A000',
  )(`Unsupported feature '${feature}'. (The Snowflake stand-in does not implement it.)`);

/** 002043 (02000): "SQL compilation error:\nObject does not exist, or operation cannot be performed." */
export const cannotPerform = () =>
  make('002043', '02000')('SQL compilation error:\nObject does not exist, or operation cannot be performed.');

/** 090105 (22000): no current database for an unqualified name. */
export const noCurrentDatabase = (action: string) =>
  make(
    '090105',
    '22000',
  )(
    `Cannot perform ${action}. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.`,
  );

/** 090106 (22000): no current schema for an unqualified name. */
export const noCurrentSchema = (action: string) =>
  make(
    '090106',
    '22000',
  )(
    `Cannot perform ${action}. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.`,
  );

/** Value conversion errors, as COPY and INSERT report them (messages as in Snowflake's documentation). */
export const conversion = {
  /** 100038 (22018), e.g. snowflake-connector-python issues: "Numeric value 'id' is not recognized". */
  number: (v: string) => make('100038', '22018')(`Numeric value '${v}' is not recognized`),
  /** 100039 (22003), Snowflake TO_DECIMAL docs: "Numeric value '345.123' is out of range". */
  numberRange: (v: string) => make('100039', '22003')(`Numeric value '${v}' is out of range`),
  /** 100046 (22003): "Number out of representable range", e.g. a SUM that overflows NUMBER(38). */
  overflow: (detail: string) => make('100046', '22003')(`Number out of representable range: ${detail}`),
  /** 100037 (22018): "Boolean value 'x' is not recognized". */
  boolean: (v: string) => make('100037', '22018')(`Boolean value '${v}' is not recognized`),
  /** 100040 (22007), Snowflake docs: "Date '09-23-2023' is not recognized". */
  date: (v: string) => make('100040', '22007')(`Date '${v}' is not recognized`),
  /** 100108 (22007): "Time 'x' is not recognized". */
  time: (v: string) => make('100108', '22007')(`Time '${v}' is not recognized`),
  /** 100035 (22007), seen in dbt logs: "Timestamp '...' is not recognized". */
  timestamp: (v: string) => make('100035', '22007')(`Timestamp '${v}' is not recognized`),
  /** 100115 (22000), Snowflake binary docs: "The following string is not a legal hex-encoded value: 'HELP'". */
  hex: (v: string) =>
    make('100115', '22000')(`The following string is not a legal hex-encoded value: '${v}'`),
  /** 100116 (22000): the BASE64 twin of the hex error. */
  base64: (v: string) =>
    make('100116', '22000')(`The following string is not a legal base64-encoded value: '${v}'`),
  /** 100078 (22000): "String '...' is too long and would be truncated" (the value is cut in the message). */
  tooLong: (v: string) =>
    make('100078', '22000')(`String '${abbreviate(v)}' is too long and would be truncated`),
  /** 100082 (22000): a BINARY value longer than the column. */
  binaryTooLong: (hex: string) =>
    make(
      '100082',
      '22000',
    )(`Max LOB size (8388608) exceeded, actual size of parsed column is ${hex.length / 2}`),
  /** 100069 (22P02): "Error parsing JSON: ..." */
  json: (detail: string) => make('100069', '22P02')(`Error parsing JSON: ${detail}`),
};

/** 100072 (22000), snowflake-connector-python#36: "NULL result in a non-nullable column". */
export const nullInNotNull = () => make('100072', '22000')('NULL result in a non-nullable column');

/** Login and session errors (codes the driver knows: constants/gs_errors.js). */
export const auth = {
  /** 390100 (08004): "Incorrect username or password was specified." */
  badCredentials: () => make('390100', '08004')('Incorrect username or password was specified.'),
  /** 390144 (08004): "JWT token is invalid." */
  badJwt: (why: string) => make('390144', '08004')(`JWT token is invalid. [${why}]`),
  /**
   * 390104, HTTP 401: a session token Snowflake never issued (the driver reports its own
   * ERR_SF_RESPONSE_INVALID_TOKEN for exactly this answer: services/sf.js).
   */
  invalidToken: () => {
    const error = make('390104', '08001')('Invalid session token.');
    error.httpStatus = 401;
    return error;
  },
  /** 390111: the session is gone (logged out, or the stand-in restarted). */
  sessionGone: () =>
    make('390111', '08001')('Session no longer exists.  New login required to access the service.'),
  /** 390112: the session token expired; the driver renews it with the master token. */
  sessionExpired: () => make('390112', '08001')('Your session has expired. Please login again.'),
  /** 390114: the master token expired as well. */
  masterExpired: () =>
    make('390114', '08001')('Authentication token has expired.  The user must authenticate again.'),
};

/**
 * 000630 (57014): a statement that ran longer than STATEMENT_TIMEOUT_IN_SECONDS is canceled.
 * https://docs.snowflake.com/en/sql-reference/parameters#statement-timeout-in-seconds
 */
export const statementTimedOut = (seconds: number) =>
  make(
    '000630',
    '57014',
  )(`Statement reached its statement or warehouse timeout of ${seconds} second(s) and was canceled.`);

/**
 * 000606 (57P03): a statement that needs a warehouse (queries of tables, DML, COPY) in a session
 * without one. https://docs.snowflake.com/en/user-guide/warehouses-overview
 */
export const noActiveWarehouse = () =>
  make(
    '000606',
    '57P03',
  )(
    "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n",
  );

/** 003001 (42501): the role may not alter the account or another user. */
export const insufficientPrivileges = (what: string) =>
  make('003001', '42501')(`SQL access control error:\nInsufficient privileges to operate on ${what}.`);

/** 000604 (57014): "SQL execution canceled". */
export const canceled = () => make('000604', '57014')('SQL execution canceled');

/** 100080 (22000): a CSV record with another number of fields than the table has columns. */
export const columnCountMismatch = (found: number, expected: number) =>
  make(
    '100080',
    '22000',
  )(
    `Number of columns in file (${found}) does not match that of the corresponding table (${expected}), use file format option error_on_column_count_mismatch=false to ignore this error`,
  );

/** 253006 (58030): a file named in FILES = (...) is not in the stage. */
export const remoteFileMissing = (file: string) =>
  make('253006', '58030')(`Remote file '${file}' was not found.`);

/** Internal failures keep the generic code so they are never mistaken for a product error. */
export const internal = (message: string) =>
  make('000603', 'XX000')(`Internal error in the Snowflake stand-in: ${message}`);

function abbreviate(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}...` : value;
}

/** 002020 (21S01): the VALUES or SELECT give another number of columns than the INSERT names. */
export const insertCountMismatch = (expected: number, got: number) =>
  new SnowflakeError(
    '002020',
    '21S01',
    `SQL compilation error:\nInsert value list does not match column list expecting ${expected} but got ${got}`,
  );
