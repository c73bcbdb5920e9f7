/** USE, ALTER SESSION | ACCOUNT | USER, and the transaction statements BEGIN / COMMIT / ROLLBACK. */
import { cannotPerform, insufficientPrivileges, objectMissing, unsupported } from '../../errors';
import type { Cursor } from '../../sql/cursor';
import { displayName } from '../../sql/identifiers';
import { setParameter, unsetParameter, type ParameterLevel } from '../parameters';
import { status, STATEMENT_TYPE, type RowsResult } from '../result';
import type { Session } from '../session';

const DONE = 'Statement executed successfully.';

export async function use(session: Session, c: Cursor): Promise<RowsResult> {
  c.expect('USE');
  const id = session.identity;
  if (c.accept('WAREHOUSE')) id.warehouse = c.identifier();
  else if (c.accept('ROLE')) id.role = c.identifier();
  else if (c.accept('SECONDARY', 'ROLES')) c.next();
  else if (c.accept('SCHEMA')) {
    const parts = c.qualifiedName();
    const database = parts.length === 2 ? parts[0]! : id.database;
    const schema = parts[parts.length - 1]!;
    if (parts.length > 2 || database === null || !(await session.catalog.hasSchema(database, schema)))
      throw cannotPerform();
    id.database = database;
    id.schema = schema;
  } else {
    c.accept('DATABASE');
    const parts = c.qualifiedName();
    if (parts.length > 2 || !(await session.catalog.hasDatabase(parts[0]!))) throw cannotPerform();
    const schema = parts[1] ?? 'PUBLIC';
    const hasSchema = await session.catalog.hasSchema(parts[0]!, schema);
    if (parts.length === 2 && !hasSchema) throw cannotPerform();
    id.database = parts[0]!;
    id.schema = hasSchema ? schema : null;
  }
  c.end();
  return status(DONE, STATEMENT_TYPE.SCL);
}

type ParameterValue = string | number | boolean;

/** `SET name = value [, ...]` (commas optional, as Snowflake allows) or `UNSET name [, ...]`. */
function readChanges(c: Cursor, what: string): { set: [string, ParameterValue][] } | { unset: string[] } {
  if (c.accept('SET')) {
    const set: [string, ParameterValue][] = [];
    do {
      const name = c.identifier();
      c.expectOp('=');
      const t = c.next();
      const value =
        t.kind === 'string'
          ? t.value
          : t.kind === 'number'
            ? Number(t.value)
            : t.kind === 'word'
              ? t.value
              : undefined;
      if (value === undefined) throw c.error();
      set.push([name, value === 'TRUE' ? true : value === 'FALSE' ? false : value]);
    } while (c.acceptOp(',') || (!c.done && !c.isOp(';')));
    c.end();
    return { set };
  }
  if (c.accept('UNSET')) {
    const unset = [c.identifier()];
    while (c.acceptOp(',')) unset.push(c.identifier());
    c.end();
    return { unset };
  }
  throw unsupported(`${what} other than SET and UNSET`);
}

/**
 * ALTER SESSION SET | UNSET. Changing AUTOCOMMIT commits the open transaction, as
 * https://docs.snowflake.com/en/sql-reference/transactions#autocommit describes.
 */
export async function alterSession(session: Session, c: Cursor): Promise<RowsResult> {
  c.expect('ALTER', 'SESSION');
  const autocommit = session.params.AUTOCOMMIT;
  const changes = readChanges(c, 'ALTER SESSION');
  if ('set' in changes) for (const [name, value] of changes.set) setParameter(session.params, name, value);
  else for (const name of changes.unset) unsetParameter(session.params, name, session.inherited);
  if (session.params.AUTOCOMMIT !== autocommit) await session.commit();
  return status(DONE, STATEMENT_TYPE.SCL);
}

/** The account's and each user's parameters, which sessions opened later start from. */
export interface ParameterLevels {
  account: ParameterLevel;
  /** undefined: no such user. */
  user(name: string): ParameterLevel | undefined;
}

/**
 * `ALTER ACCOUNT SET | UNSET` (the ACCOUNTADMIN role only) and `ALTER USER [IF EXISTS] name SET | UNSET`
 * (ACCOUNTADMIN, or the user itself) for session parameters, the way an administrator sets an account
 * up: https://docs.snowflake.com/en/sql-reference/sql/alter-account,
 * https://docs.snowflake.com/en/sql-reference/sql/alter-user. Sessions opened afterwards start from
 * the new values.
 */
export function alterAccountOrUser(session: Session, c: Cursor, levels: ParameterLevels): RowsResult {
  c.expect('ALTER');
  const id = session.identity;
  let level: ParameterLevel;
  if (c.accept('ACCOUNT')) {
    if (id.role !== 'ACCOUNTADMIN') throw insufficientPrivileges(`account '${id.account}'`);
    level = levels.account;
  } else {
    c.expect('USER');
    const ifExists = c.accept('IF', 'EXISTS');
    const name = c.identifier();
    const found = levels.user(name);
    if (!found) {
      if (ifExists) return status(DONE, STATEMENT_TYPE.DDL);
      throw objectMissing('User', displayName(name));
    }
    if (id.role !== 'ACCOUNTADMIN' && name !== id.user) throw insufficientPrivileges(`user '${name}'`);
    level = found;
  }
  const changes = readChanges(c, 'ALTER ACCOUNT and ALTER USER');
  if ('set' in changes) for (const [name, value] of changes.set) level.set(name, value);
  else for (const name of changes.unset) level.unset(name);
  return status(DONE, STATEMENT_TYPE.DDL);
}

export async function transaction(session: Session, c: Cursor): Promise<RowsResult> {
  const word = c.next().value;
  if (word === 'BEGIN' || word === 'START') {
    if (word === 'START') c.expect('TRANSACTION');
    else if (!c.accept('TRANSACTION')) c.accept('WORK');
    if (c.accept('NAME')) c.identifier();
    c.end();
    session.checkTransaction('OTHER');
    await session.begin();
  } else if (word === 'COMMIT') {
    c.accept('WORK');
    c.end();
    session.checkTransaction('COMMIT');
    await session.commit();
  } else {
    c.accept('WORK');
    c.end();
    session.checkTransaction('ROLLBACK');
    await session.rollback();
  }
  return status(DONE, STATEMENT_TYPE.TCL);
}
