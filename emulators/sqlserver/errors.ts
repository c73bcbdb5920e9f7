/**
 * An error the stand-in reports to the client as SQL Server would: an ERROR token with this number, state,
 * class (severity) and message. Anything else thrown while running a request is reported as error 50000.
 */
export interface SqlErrorDetails {
  state?: number;
  class?: number;
  /** Ends the connection after the error is sent (login failures). */
  fatal?: boolean;
}

export class SqlError extends Error {
  readonly number: number;
  readonly state: number;
  readonly class: number;
  readonly fatal: boolean;
  /** Line of the failing statement in its batch. */
  lineNumber = 1;

  constructor(number: number, message: string, details: SqlErrorDetails = {}) {
    super(message);
    this.name = 'SqlError';
    this.number = number;
    this.state = details.state ?? 1;
    this.class = details.class ?? 16;
    this.fatal = details.fatal ?? false;
  }
}

/** Error 102, SQL Server's answer to anything its parser cannot read. */
export const syntaxError = (near: string): SqlError =>
  new SqlError(102, `Incorrect syntax near '${near}'.`, { class: 15 });

/** The honest answer for T-SQL that SQL Server accepts but this stand-in does not implement. */
export const notSupported = (what: string): SqlError =>
  new SqlError(50000, `The SQL Server stand-in does not support ${what}.`);

export const invalidObject = (name: string): SqlError => new SqlError(208, `Invalid object name '${name}'.`);

export const invalidColumn = (name: string): SqlError => new SqlError(207, `Invalid column name '${name}'.`);

export const overflow = (target: string): SqlError =>
  new SqlError(8115, `Arithmetic overflow error converting expression to data type ${target}.`);

export const DEADLOCK = {
  number: 1205,
  state: 51,
  class: 13,
  message:
    'Transaction (Process ID 52) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.',
};

/** Whatever was thrown, as the SqlError that goes on the wire. */
export function asSqlError(error: unknown): SqlError {
  if (error instanceof SqlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SqlError(50000, `The SQL Server stand-in failed: ${message}`);
}

/**
 * An Always Encrypted column is kept in the stand-in's catalog only: a real server would return (and
 * take) ciphertext that only a client holding the column master key reads, which the stand-in does not
 * model, so any read or write of the column is refused rather than answered in plain text.
 */
export function encryptedColumnRead(column: string): SqlError {
  return notSupported(
    `reading or writing the Always Encrypted column ${column} (the stand-in keeps no ciphertext)`,
  );
}
