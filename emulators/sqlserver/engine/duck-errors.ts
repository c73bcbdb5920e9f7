/** DuckDB's errors in SQL Server's words, for the few DuckDB can raise on data the stand-in sends it. */
import { SqlError } from '../errors';

export function translateDuckError(error: unknown): SqlError {
  if (error instanceof SqlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/Current transaction is aborted/i.test(message)) {
    return new SqlError(
      3930,
      'The current transaction cannot be committed and cannot support operations that write to the log file. Roll back the transaction.',
    );
  }
  if (
    /Overflow|out of range|Could not cast value|can't be cast because the value is out of range/i.test(
      message,
    )
  ) {
    return new SqlError(8115, 'Arithmetic overflow error converting expression to data type numeric.');
  }
  if (/division by zero/i.test(message)) return new SqlError(8134, 'Divide by zero error encountered.');
  if (/Constraint Error/i.test(message) && /PRIMARY KEY|UNIQUE|duplicate key/i.test(message)) {
    return new SqlError(
      2627,
      'Violation of PRIMARY KEY or UNIQUE KEY constraint. Cannot insert duplicate key.',
      { state: 1, class: 14 },
    );
  }
  if (/Conflict|write-write conflict/i.test(message)) {
    return new SqlError(
      1205,
      'Transaction (Process ID 52) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.',
      { state: 51, class: 13 },
    );
  }
  return new SqlError(50000, `The SQL Server stand-in failed: ${message}`);
}
