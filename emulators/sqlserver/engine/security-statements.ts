/**
 * The statements that set up masking and row-level security: logins, users, grants, masks, predicate
 * functions and security policies (see security.ts for what they change).
 */
import { SqlError, invalidColumn, notSupported, syntaxError } from '../errors';
import type { ObjectName, Statement } from '../tsql/ast';
import { parseBatch } from '../tsql/parser';
import { sameName } from './catalog';
import type { FunctionHeader } from './scalar-functions';
import type { Database } from './database';
import { checkMaskingFunction, defaultMask, type PredicateFunction } from './security';

/**
 * CREATE FUNCTION schema.name (@p type, ...) RETURNS TABLE [WITH SCHEMABINDING] AS RETURN [(]SELECT 1 AS
 * alias WHERE <condition>[)]: the inline table-valued function a filter predicate names
 * (https://learn.microsoft.com/sql/relational-databases/security/row-level-security). Like CREATE
 * PROCEDURE it is a batch of its own. Other table-valued functions are refused.
 */
export function parseCreateFunction(header: FunctionHeader, database: string): PredicateFunction {
  const { text, tokens, word, parameters } = header;
  let i = header.next;
  // Scalar functions are scalar-functions.ts'; what is left is RETURNS TABLE or RETURNS @t TABLE.
  if (!word(i, 'returns') || !word(i + 1, 'table'))
    throw notSupported('multi-statement table-valued functions (RETURNS @table TABLE)');
  i += 2;
  if (word(i, 'with')) {
    if (!word(i + 1, 'schemabinding')) throw notSupported('function options other than SCHEMABINDING');
    i += 2;
  }
  if (!word(i, 'as') || !word(i + 1, 'return')) throw syntaxError(tokens[i]?.text ?? '');
  let body = text.slice(tokens[i + 1]!.end).trim();
  if (body.startsWith('(') && body.endsWith(')')) body = body.slice(1, -1);
  const statements = parseBatch(body);
  const select = statements[0];
  if (
    statements.length !== 1 ||
    select?.kind !== 'select' ||
    select.from !== undefined ||
    select.where === undefined
  ) {
    throw notSupported('a predicate function other than RETURN SELECT ... WHERE <condition> without FROM');
  }
  return {
    database,
    schema: header.schema,
    name: header.name,
    parameters,
    predicate: select.where,
  };
}

type SecurityStatement = Extract<
  Statement,
  {
    kind:
      | 'createLogin'
      | 'createUser'
      | 'createExternalUser'
      | 'grant'
      | 'addRoleMember'
      | 'alterColumnMask'
      | 'createSecurityPolicy'
      | 'dropSecurityPolicy';
  }
>;

/** The schema and name of a one- or two-part name in the current database. */
function schemaAndName(db: Database, name: ObjectName, database: string): { schema: string; name: string } {
  const q = db.qualify(name, database);
  if (!sameName(q.database, database)) throw notSupported('security objects of another database');
  return { schema: q.schema, name: q.name };
}

/**
 * `entraSession`: whether the session logged in with a Microsoft Entra token; only such a session may
 * create Entra users ("you must be a member of Microsoft Entra ID" to use FROM EXTERNAL PROVIDER,
 * https://learn.microsoft.com/en-us/sql/t-sql/statements/create-user-transact-sql).
 */
export function runSecurityStatement(
  s: SecurityStatement,
  db: Database,
  database: string,
  entraSession: boolean,
): void {
  const security = db.catalog.security;
  switch (s.kind) {
    case 'createLogin':
      return security.createLogin(s.name, s.password);
    case 'createUser':
      return security.createUser(database, s.name, s.login);
    case 'createExternalUser':
      if (!entraSession)
        throw new SqlError(
          33159,
          `Principal '${s.name}' could not be created. Only connections established with Active Directory accounts can create other Active Directory users.`,
          { class: 16 },
        );
      return security.createExternalUser(database, s.name);
    case 'grant':
      return security.grant(database, s.permissions, s.principal, s.revoke);
    case 'addRoleMember':
      return security.addRoleMember(database, s.role, s.member);
    case 'alterColumnMask': {
      const table = db.table(s.table, database);
      const column = table.columns.find((c) => sameName(c.name, s.column));
      if (!column) throw invalidColumn(s.column);
      if (s.mask === undefined) delete column.mask;
      else {
        column.mask = checkMaskingFunction(s.mask);
        defaultMask(column.type); // a type whose default() is not documented is refused now
      }
      db.catalog.version++;
      return;
    }
    case 'createSecurityPolicy': {
      const { schema, name } = schemaAndName(db, s.name, database);
      const predicates = s.filters.map((f, i) => {
        const fnName = schemaAndName(db, f.fn, database);
        const fn = security.function(database, fnName.schema, fnName.name);
        if (!fn)
          throw new SqlError(
            4121,
            `Cannot find either column "${fnName.schema}" or the user-defined function or aggregate "${fnName.schema}.${fnName.name}", or the name is ambiguous.`,
          );
        const table = db.table(f.table, database);
        if (f.columns.length < fn.parameters.length) {
          throw new SqlError(
            313,
            `An insufficient number of arguments were supplied for the procedure or function ${fn.schema}.${fn.name}.`,
          );
        }
        if (f.columns.length > fn.parameters.length) {
          throw new SqlError(8144, `Procedure or function ${fn.name} has too many arguments specified.`);
        }
        for (const c of f.columns)
          if (!table.columns.some((t) => sameName(t.name, c))) throw invalidColumn(c);
        return { id: i + 1, fn, targetObjectId: table.objectId, columns: f.columns };
      });
      security.addPolicy({
        objectId: db.catalog.newObjectId(),
        database,
        schema,
        name,
        enabled: s.enabled,
        schemaBinding: s.schemaBinding,
        createdMs: Date.now(),
        predicates,
      });
      return;
    }
    case 'dropSecurityPolicy': {
      const { schema, name } = schemaAndName(db, s.name, database);
      return security.dropPolicy(database, schema, name, s.ifExists);
    }
  }
}
