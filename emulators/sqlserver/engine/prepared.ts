/**
 * A connection's prepared statements (sp_prepare, sp_prepexec): each handle names a statement and its
 * parameter declarations until sp_unprepare or the end of the connection.
 */
import { SqlError } from '../errors';

export interface PreparedStatement {
  statement: string;
  declarations: string | null;
}

export class PreparedStatements {
  private readonly statements = new Map<number, PreparedStatement>();
  /** SQL Server numbers a connection's handles from 1. */
  private nextHandle = 1;

  prepare(statement: PreparedStatement): number {
    const handle = this.nextHandle++;
    this.statements.set(handle, statement);
    return handle;
  }

  get(handle: unknown): PreparedStatement {
    const found = typeof handle === 'number' ? this.statements.get(handle) : undefined;
    if (!found) throw notFound(handle);
    return found;
  }

  unprepare(handle: unknown): void {
    if (typeof handle !== 'number' || !this.statements.delete(handle)) throw notFound(handle);
  }
}

const notFound = (handle: unknown): SqlError =>
  new SqlError(8179, `Could not find prepared statement with handle ${String(handle)}.`);
