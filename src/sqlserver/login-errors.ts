/**
 * What SQL Server said while refusing a login. tedious turns a refused login into one ConnectionError
 * (`ELOGIN`) carrying the last error's text and no number; pool.ts records every error token of the login
 * and attaches them here, so that classification can tell a wrong password (18456) from a database that is
 * missing (4060), starting (18401) or moving between replicas on Azure (40613, 4060 during a failover).
 */
export interface LoginServerError {
  number: number;
  message: string;
}

export interface LoginErrors {
  errors: LoginServerError[];
  /** Whether this pool had opened the database before: a 4060 then means it is failing over, not missing. */
  databaseWasOpen: boolean;
}

const KEY = 'sqlServerLoginErrors';

export function attachLoginErrors(err: Error, found: LoginErrors): void {
  Object.defineProperty(err, KEY, { value: found, enumerable: false });
}

/** The login errors attached to a driver error (mssql keeps tedious' error as `originalError`). */
export function loginErrorsOf(err: unknown): LoginErrors | undefined {
  for (let e = err as Record<string, unknown> | undefined, depth = 0; e && depth < 4; depth += 1) {
    const found = e[KEY] as LoginErrors | undefined;
    if (found) return found;
    e = (e.originalError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return undefined;
}
