/** USE, ALTER SESSION, and the transaction statements BEGIN / COMMIT / ROLLBACK. */
import { cannotPerform, unsupported } from '../../errors';
import type { Cursor } from '../../sql/cursor';
import { setParameter, unsetParameter } from '../parameters';
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

export function alterSession(session: Session, c: Cursor): RowsResult {
  c.expect('ALTER', 'SESSION');
  if (c.accept('SET')) {
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
      setParameter(session.params, name, value === 'TRUE' ? true : value === 'FALSE' ? false : value);
    } while (c.acceptOp(',') || (!c.done && !c.isOp(';')));
  } else if (c.accept('UNSET')) {
    do unsetParameter(session.params, c.identifier());
    while (c.acceptOp(','));
  } else {
    throw unsupported('ALTER SESSION other than SET and UNSET');
  }
  c.end();
  return status(DONE, STATEMENT_TYPE.SCL);
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
