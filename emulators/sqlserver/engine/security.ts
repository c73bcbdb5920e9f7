/**
 * Logins, database users and what they may see: the subset of SQL Server's security model that dynamic
 * data masking and row-level security need. The configured login is `sa`, a sysadmin, which SQL Server
 * maps to the dbo user of every database and grants everything (UNMASK included). Other logins come
 * from `CREATE LOGIN`, users from `CREATE USER ... FOR LOGIN`, and they hold only what `GRANT` and
 * `ALTER ROLE ... ADD MEMBER` give them. Only UNMASK (masking) and VIEW DEFINITION (which security
 * policies a user sees) change answers; SELECT and the other permissions are recorded and reported by
 * HAS_PERMS_BY_NAME but not enforced. None of this is kept by --data (like procedures).
 */
import { SqlError, notSupported } from '../errors';
import type { Expr } from '../tsql/ast';
import { convert } from '../types/convert';
import {
  MAX,
  isBinaryType,
  isDateTimeType,
  isNumeric,
  isStringType,
  varchar,
  type SqlType,
} from '../types/sql-type';
import type { SqlValue } from '../types/values';
import { type Catalog, nameKey } from './catalog';

/** Database permissions (sys.fn_builtin_permissions('DATABASE')) the stand-in knows; `ANY` means any of them. */
export const DATABASE_PERMISSIONS = new Set([
  'ANY',
  'ALTER',
  'ALTER ANY MASK',
  'ALTER ANY SCHEMA',
  'ALTER ANY SECURITY POLICY',
  'ALTER ANY USER',
  'ALTER ANY ROLE',
  'AUTHENTICATE',
  'BACKUP DATABASE',
  'CHECKPOINT',
  'CONNECT',
  'CONTROL',
  'CREATE FUNCTION',
  'CREATE PROCEDURE',
  'CREATE SCHEMA',
  'CREATE TABLE',
  'CREATE VIEW',
  'DELETE',
  'EXECUTE',
  'INSERT',
  'REFERENCES',
  'SELECT',
  'SHOWPLAN',
  'TAKE OWNERSHIP',
  'UNMASK',
  'UPDATE',
  'VIEW DATABASE STATE',
  // SQL Server 2022: covered by VIEW DATABASE STATE
  // (https://learn.microsoft.com/en-us/sql/relational-databases/security/permissions-database-engine).
  'VIEW DATABASE PERFORMANCE STATE',
  'VIEW DEFINITION',
]);

/** Permissions a database-level permission implies (besides CONTROL, which implies all). */
const IMPLIED_BY: Record<string, string> = { 'VIEW DATABASE PERFORMANCE STATE': 'VIEW DATABASE STATE' };

/**
 * HAS_PERMS_BY_NAME's OBJECT class, for what the migrator asks of a table: SELECT (held through the
 * database's SELECT or db_datareader) and VIEW CHANGE TRACKING (an object or schema permission, which only
 * CONTROL of the database implies here: `GRANT ... ON` an object is not modelled).
 */
export const OBJECT_PERMISSIONS = new Set(['SELECT', 'VIEW CHANGE TRACKING']);

/**
 * What the fixed database roles the stand-in lets users join grant
 * (https://learn.microsoft.com/sql/relational-databases/security/authentication-access/database-level-roles).
 * db_owner holds CONTROL, which includes every database permission, UNMASK among them.
 */
const ROLE_PERMISSIONS: Record<string, string[] | 'all'> = {
  db_owner: 'all',
  db_datareader: ['SELECT'],
  db_datawriter: ['INSERT', 'UPDATE', 'DELETE'],
};

export interface DatabaseUser {
  name: string;
  /** The login's name, or for a Microsoft Entra user (FROM EXTERNAL PROVIDER) the principal's. */
  login: string;
  /** Made FROM EXTERNAL PROVIDER: reached by an Entra ID token, never by a SQL login of the same name. */
  external: boolean;
  roles: Set<string>;
  permissions: Set<string>;
}

/** Who a session runs as: the admin login (dbo everywhere) or a database user. */
export interface Principal {
  admin: boolean;
  /** The database user; undefined for the admin. */
  user?: DatabaseUser;
}

/** An inline table-valued function `RETURNS TABLE AS RETURN SELECT ... WHERE <predicate>`. */
export interface PredicateFunction {
  database: string;
  schema: string;
  name: string;
  parameters: { name: string; type: SqlType }[];
  /** The WHERE of its SELECT; a row passes when it is true. */
  predicate: Expr;
}

export interface FilterPredicate {
  id: number;
  fn: PredicateFunction;
  targetObjectId: number;
  /** The target's columns passed as the function's arguments, in order. */
  columns: string[];
}

export interface SecurityPolicy {
  objectId: number;
  database: string;
  schema: string;
  name: string;
  enabled: boolean;
  schemaBinding: boolean;
  createdMs: number;
  predicates: FilterPredicate[];
}

const key = (...parts: string[]): string => parts.map(nameKey).join('\u0000');

export class Security {
  /** Logins besides the configured one: name key -> password. */
  private readonly logins = new Map<string, { name: string; password: string }>();
  private readonly users = new Map<string, DatabaseUser>();
  private readonly functions = new Map<string, PredicateFunction>();
  private readonly policies = new Map<string, SecurityPolicy>();

  constructor(private readonly catalog: Catalog) {}

  createLogin(name: string, password: string): void {
    if (this.logins.has(key(name)) || nameKey(name) === nameKey('sa')) {
      throw new SqlError(15025, `The server principal '${name}' already exists.`);
    }
    this.logins.set(key(name), { name, password });
  }

  /** A login other than the configured one: its name as created, when the password matches. */
  authenticate(name: string, password: string): string | undefined {
    const login = this.logins.get(key(name));
    return login && login.password === password ? login.name : undefined;
  }

  createUser(database: string, name: string, login: string): void {
    if (!this.logins.has(key(login))) {
      throw new SqlError(15007, `'${login}' is not a valid login or you do not have permission.`);
    }
    if (this.userOfLogin(database, login)) {
      throw new SqlError(15063, 'The login already has an account under a different user name.');
    }
    this.addUser(database, { name, login, external: false });
  }

  /** A Microsoft Entra user, whose name is the principal's (a user's UPN). */
  createExternalUser(database: string, name: string): void {
    this.addUser(database, { name, login: name, external: true });
  }

  private addUser(database: string, user: Pick<DatabaseUser, 'name' | 'login' | 'external'>): void {
    if (this.users.has(key(database, user.name)) || nameKey(user.name) === nameKey('dbo')) {
      throw new SqlError(
        15023,
        `User, group, or role '${user.name}' already exists in the current database.`,
      );
    }
    this.users.set(key(database, user.name), {
      ...user,
      roles: new Set(),
      // A new user is granted CONNECT (https://learn.microsoft.com/sql/t-sql/statements/create-user-transact-sql).
      permissions: new Set(['CONNECT']),
    });
  }

  /** The user of a login (or, `external`, of an Entra principal) in a database. */
  userOfLogin(database: string, login: string, external = false): DatabaseUser | undefined {
    for (const [k, user] of this.users) {
      if (
        k.startsWith(key(database) + '\u0000') &&
        user.external === external &&
        nameKey(user.login) === nameKey(login)
      )
        return user;
    }
    return undefined;
  }

  private requireUser(database: string, name: string): DatabaseUser {
    const user = this.users.get(key(database, name));
    if (!user) {
      throw new SqlError(
        15151,
        `Cannot find the user '${name}', because it does not exist or you do not have permission.`,
      );
    }
    return user;
  }

  grant(database: string, permissions: string[], userName: string, revoke: boolean): void {
    const user = this.requireUser(database, userName);
    for (const p of permissions) {
      if (!DATABASE_PERMISSIONS.has(p) || p === 'ANY') throw notSupported(`the permission ${p}`);
      if (revoke) user.permissions.delete(p);
      else user.permissions.add(p);
    }
  }

  addRoleMember(database: string, role: string, userName: string): void {
    const name = role.toLowerCase();
    if (!(name in ROLE_PERMISSIONS)) throw notSupported(`ALTER ROLE ${role}`);
    this.requireUser(database, userName).roles.add(name);
  }

  /** HAS_PERMS_BY_NAME on the database: `ANY` asks for any permission. */
  holds(principal: Principal, permission: string): boolean {
    if (principal.admin) return true;
    const user = principal.user!;
    const granted = new Set(user.permissions);
    for (const role of user.roles) {
      const permissions = ROLE_PERMISSIONS[role]!;
      if (permissions === 'all') return true;
      permissions.forEach((p) => granted.add(p));
    }
    if (granted.has('CONTROL')) return true;
    if (permission === 'ANY') return granted.size > 0;
    const parent = IMPLIED_BY[permission];
    return granted.has(permission) || (parent !== undefined && granted.has(parent));
  }

  /** HAS_PERMS_BY_NAME on a table (see OBJECT_PERMISSIONS). */
  holdsOnObject(principal: Principal, permission: string): boolean {
    return this.holds(principal, permission === 'SELECT' ? 'SELECT' : 'CONTROL');
  }

  isRoleMember(principal: Principal, role: string): boolean {
    if (role === 'public') return true;
    return principal.admin ? role === 'db_owner' : principal.user!.roles.has(role);
  }

  createFunction(fn: PredicateFunction): void {
    const k = key(fn.database, fn.schema, fn.name);
    if (this.functions.has(k) || this.catalog.table(fn.database, fn.schema, fn.name)) {
      throw new SqlError(2714, `There is already an object named '${fn.name}' in the database.`);
    }
    this.functions.set(k, fn);
  }

  function(database: string, schema: string, name: string): PredicateFunction | undefined {
    return this.functions.get(key(database, schema, name));
  }

  addPolicy(policy: SecurityPolicy): void {
    const k = key(policy.database, policy.schema, policy.name);
    if (this.policies.has(k)) {
      throw new SqlError(2714, `There is already an object named '${policy.name}' in the database.`);
    }
    this.policies.set(k, policy);
  }

  dropPolicy(database: string, schema: string, name: string, ifExists: boolean): void {
    if (this.policies.delete(key(database, schema, name)) || ifExists) return;
    throw new SqlError(
      3701,
      `Cannot drop the security policy '${name}', because it does not exist or you do not have permission.`,
    );
  }

  policiesOf(database: string): SecurityPolicy[] {
    return [...this.policies.values()]
      .filter((p) => nameKey(p.database) === nameKey(database))
      .sort((a, b) => a.objectId - b.objectId);
  }

  /** The filter predicates of enabled policies on a table: every reader's rows pass all of them. */
  filtersOn(objectId: number): FilterPredicate[] {
    return [...this.policies.values()].flatMap((p) =>
      p.enabled ? p.predicates.filter((f) => f.targetObjectId === objectId) : [],
    );
  }
}

/**
 * The value `default()` shows a user without UNMASK, per the result type of what is projected
 * (https://learn.microsoft.com/sql/relational-databases/security/dynamic-data-masking: "Whenever you
 * project an expression referencing a column for which a data masking function is defined, the
 * expression will also be masked ... with the default function"). Strings: the page's example shows
 * `xxxx` (fewer x's for a shorter column); numbers 0; dates and times 1900-01-01 00:00:00.0000000;
 * binary a single 0 byte. Types the page gives no default for are refused.
 */
export function defaultMask(type: SqlType): SqlValue {
  if (isStringType(type)) {
    const length = type.length === undefined || type.length === MAX ? 4 : Math.min(4, type.length);
    return convert('x'.repeat(length), varchar(4), type);
  }
  if (isNumeric(type)) return convert(0, { name: 'int' }, type);
  if (isDateTimeType(type)) {
    const text =
      type.name === 'time'
        ? '00:00:00'
        : type.name === 'datetimeoffset'
          ? '1900-01-01 00:00:00 +00:00'
          : '1900-01-01 00:00:00';
    return convert(text, varchar(30), type);
  }
  if (isBinaryType(type)) return Buffer.from([0]);
  throw notSupported(`the default() mask of a ${type.name} value`);
}

/** Only the documented default() is implemented; email(), partial(), random() and datetime() are refused. */
export function checkMaskingFunction(text: string): string {
  if (!/^\s*default\s*\(\s*\)\s*$/i.test(text)) throw notSupported(`the masking function ${text}`);
  return 'default()';
}
